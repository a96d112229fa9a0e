package dev.nalu.task;

import java.util.List;

/**
 * What a model learns: a function of {@link #inputSize()} real inputs, its exact value in float64,
 * and where its training (interpolation) inputs come from. Rows are read from flat row-major
 * arrays: the row starting at {@code offset} is {@code x[offset .. offset + inputSize())}.
 */
public interface Task {

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
