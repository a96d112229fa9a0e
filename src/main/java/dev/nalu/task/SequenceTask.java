package dev.nalu.task;

/**
 * Arithmetic over a sequence: x_1 … x_T, each a vector of {@link #inputs()} values drawn from one
 * domain, and one exact target (or {@link #outputs()} of them) computed from the whole sequence.
 * A task only makes samples and scores results; what learns it is the model.
 * A task with one output is a {@link ScalarSequenceTask}.
 */
public interface SequenceTask {
    /** Values per time step. */
    int inputs();

    /** Targets per sequence. */
    default int outputs() {
        return 1;
    }

    /** Where training (and validation) values come from. */
    Domain trainDomain();

    /** Fills length × inputs values of one sequence at x[offset …]: by default each drawn from {@link #trainDomain()}. */
    default void sample(Rng rng, double[] x, int offset, int length) {
        int n = length * inputs();
        rng.nextDoubles(x, offset, n);
        Domain d = trainDomain();
        for (int i = offset; i < offset + n; i++) {
            x[i] = d.sample(x[i]);
        }
    }

    /** Writes the {@link #outputs()} exact targets of one sequence (length × inputs values at x[offset …]) to y[yOffset …]. */
    void targets(double[] x, int offset, int length, double[] y, int yOffset);

    /**
     * Σ over the outputs of (ε-perturbed prediction − exact target)² for one sequence: the prediction of the
     * task's exact recurrent model with every weight of its cell off by ε (each 1 made 1 − ε, each 0 made ε), in
     * float64. Madsen and Johansen's ε-criterion carried over to recurrent cells: its mean is the success threshold.
     */
    double perturbedError(double[] x, int offset, int length, double eps);

    /** For reports: "running sum", "recurrent arithmetic add (a = Σ x[1..4), b = …)". */
    String describe();
}
