package dev.nalu.task;

/**
 * Arithmetic over a sequence: x_1 … x_T, each a vector of {@link #inputs()} values drawn from one
 * domain, and one exact target (or {@link #outputs()} of them) computed from the whole sequence.
 * A task only makes samples and scores results; what learns it is the model.
 *
 * <p>A task with one output implements {@link #target} and {@link #perturbedTarget}; a task with
 * several implements {@link #targets} and {@link #perturbedError} instead.
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

    /** The exact target of the sequence of {@code length} steps at x[offset …] (length × inputs values). */
    default double target(double[] x, int offset, int length) {
        throw new UnsupportedOperationException(describe() + " has " + outputs() + " targets a sequence; use targets()");
    }

    /** Writes the {@link #outputs()} exact targets of one sequence to y[yOffset …]. */
    default void targets(double[] x, int offset, int length, double[] y, int yOffset) {
        y[yOffset] = target(x, offset, length);
    }

    /**
     * The prediction of the task's exact recurrent model with every weight of its cell off by ε
     * (each 1 made 1 − ε, each 0 made ε), in float64: Madsen and Johansen's ε-criterion carried over
     * to recurrent cells. The mean squared difference to {@link #target} is the success threshold.
     */
    default double perturbedTarget(double[] x, int offset, int length, double eps) {
        throw new UnsupportedOperationException(describe() + " has " + outputs() + " targets a sequence; use perturbedError()");
    }

    /**
     * Σ over the outputs of (perturbed prediction − exact target)² for one sequence, the ε-perturbed
     * model as in {@link #perturbedTarget}.
     */
    default double perturbedError(double[] x, int offset, int length, double eps) {
        double d = perturbedTarget(x, offset, length, eps) - target(x, offset, length);
        return d * d;
    }

    /** For reports: "running sum", "recurrent arithmetic add (a = Σ x[1..4), b = …)". */
    String describe();
}
