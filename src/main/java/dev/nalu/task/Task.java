package dev.nalu.task;

import java.util.List;

/**
 * What a model learns: a function of {@link #inputSize()} real inputs, its exact value in float64,
 * and where its training (interpolation) inputs come from. Rows are read from flat row-major
 * arrays: the row starting at {@code offset} is {@code x[offset .. offset + inputSize())}.
 */
public interface Task {

    /**
     * The largest |value| a target, or any value computed on the way to it, may take: errors of such
     * values, squared and summed over a validation set, stay finite in float64 (whose largest value
     * is 1.8e308). Tasks are checked against it by interval arithmetic over their ranges.
     */
    double MAX_MAGNITUDE = 1e150;

    /** Input column names in input order, e.g. {@code ["a", "b"]} or {@code ["x0", …, "x99"]}. */
    List<String> variables();

    default int inputSize() {
        return variables().size();
    }

    /** The interpolation range of one input column. */
    Domain trainDomain(int column);

    /** The exact target of one row, in float64. */
    double target(double[] x, int offset);

    /**
     * The target computed through the exact solution's first layer with every weight off by eps:
     * every 1 becomes 1 − eps and every 0 becomes eps (Madsen &amp; Johansen 2020, the success
     * criterion). At eps = 0 this equals {@link #target}.
     */
    double perturbedTarget(double[] x, int offset, double eps);

    /**
     * Bounds on the target over the training domains, by interval arithmetic (never by sampling):
     * every target lies within them, though they may be wider than the targets reach.
     */
    Bounds targetBounds();

    /** As {@link #targetBounds()}, with every input column drawn from {@code everyColumn}. */
    Bounds targetBounds(Domain everyColumn);

    /** Human-readable description, e.g. {@code a * b}. */
    String describe();

    /** Exact targets of {@code rows} consecutive rows of x into out[0 .. rows). */
    default void targets(double[] x, int rows, double[] out) {
        int n = inputSize();
        for (int r = 0; r < rows; r++) {
            out[r] = target(x, r * n);
        }
    }
}
