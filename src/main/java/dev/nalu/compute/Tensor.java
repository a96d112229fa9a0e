package dev.nalu.compute;

import java.util.Arrays;

/** A float64 weight tensor of one member, row-major: [rows, cols] or [cols] as [1, cols]. */
public record Tensor(int rows, int cols, double[] data) {
    public Tensor {
        if (data.length != rows * cols) {
            throw new IllegalArgumentException("tensor " + rows + "×" + cols + " needs " + rows * cols + " values, got " + data.length);
        }
    }

    public static Tensor zeros(int rows, int cols) {
        return new Tensor(rows, cols, new double[rows * cols]);
    }

    public double at(int i, int j) {
        return data[i * cols + j];
    }

    /** Element of a vector-shaped tensor. */
    public double at(int j) {
        return data[j];
    }

    public int[] shape() {
        return rows == 1 ? new int[] {cols} : new int[] {rows, cols};
    }

    public Tensor map(java.util.function.DoubleUnaryOperator f) {
        double[] d = data.clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = f.applyAsDouble(d[i]);
        }
        return new Tensor(rows, cols, d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && t.rows == rows && t.cols == cols && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape());
    }
}
