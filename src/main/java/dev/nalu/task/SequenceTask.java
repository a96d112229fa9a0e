package dev.nalu.task;

/**
 * Arithmetic over a sequence: x_1 … x_T, each a vector of {@link #inputs()} values drawn from one
 * domain, and one exact target computed from the whole sequence. A task only makes samples and
 * scores results; what learns it is the model.
 */
public interface SequenceTask {
    /** Values per time step. */
    int inputs();

    /** Where training (and validation) values come from. */
    Domain trainDomain();

    /** The exact target of the sequence of {@code length} steps at x[offset …] (length × inputs values). */
    double target(double[] x, int offset, int length);

    /**
     * The prediction of the task's exact recurrent model with every weight of its cell off by ε
     * (each 1 made 1 − ε, each 0 made ε), in float64: Madsen and Johansen's ε-criterion carried over
     * to recurrent cells. The mean squared difference to {@link #target} is the success threshold.
     */
    double perturbedTarget(double[] x, int offset, int length, double eps);

    /** For reports: "running sum", "recurrent arithmetic add (a = Σ x[1..4), b = …)". */
    String describe();
}
