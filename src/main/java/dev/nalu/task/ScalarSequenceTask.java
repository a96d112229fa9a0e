package dev.nalu.task;

/** A {@link SequenceTask} with one target per sequence. */
public interface ScalarSequenceTask extends SequenceTask {
    /** The exact target of the sequence of {@code length} steps at x[offset …] (length × inputs values). */
    double target(double[] x, int offset, int length);

    /**
     * The prediction of the task's exact recurrent model with every weight of its cell off by ε (each 1 made
     * 1 − ε, each 0 made ε), in float64; see {@link SequenceTask#perturbedError}.
     */
    double perturbedTarget(double[] x, int offset, int length, double eps);

    @Override
    default void targets(double[] x, int offset, int length, double[] y, int yOffset) {
        y[yOffset] = target(x, offset, length);
    }

    @Override
    default double perturbedError(double[] x, int offset, int length, double eps) {
        double d = perturbedTarget(x, offset, length, eps) - target(x, offset, length);
        return d * d;
    }
}
