package dev.nalu.compute;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One parameter tensor of a layer, for all K members at once: a view into the model's flat
 * parameter buffer (and the same view into the flat gradient buffer), so one update pass
 * updates every parameter of every member.
 *
 * <p>Storage keeps the member axis where the layer's ops want it: {@link Layout#MEMBER_FIRST}
 * stores [K, rows, cols] (broadcast ops over [B, K, ...]); {@link Layout#MEMBER_MIDDLE} stores
 * [rows, K, cols], so a shared input x[B, rows] meets all members in one GEMM x·[W_1 … W_K].
 */
public final class Param {
    public enum Layout { MEMBER_FIRST, MEMBER_MIDDLE }

    final String name;
    final Layout layout;
    final int rows;
    final int cols;
    final int members;
    long offset;
    INDArray value;
    INDArray grad;
    /** Admissible range: the update clamps every value into [lo, hi] after each step. */
    double lo = Double.NEGATIVE_INFINITY;
    double hi = Double.POSITIVE_INFINITY;
    /** The regulariser on this tensor; its strength comes from the unit's λ on its ramp. */
    Penalty penalty = Penalty.NONE;

    Param(String name, Layout layout, int rows, int cols, int members) {
        this.name = name;
        this.layout = layout;
        this.rows = rows;
        this.cols = cols;
        this.members = members;
    }

    public String name() {
        return name;
    }

    /** Clamps values into [lo, hi] after every optimiser step (NAU's W in [-1, 1], NMU's in [0, 1]). */
    Param clampedTo(double lo, double hi) {
        this.lo = lo;
        this.hi = hi;
        return this;
    }

    Param penalised(Penalty penalty) {
        this.penalty = penalty;
        return this;
    }

    long length() {
        return (long) rows * cols * members;
    }

    long[] storageShape() {
        return layout == Layout.MEMBER_FIRST ? new long[] {members, rows, cols} : new long[] {rows, members, cols};
    }

    /** Binds this parameter to its slice of the flat buffers. */
    void bind(INDArray flatValues, INDArray flatGrads, long offset) {
        this.offset = offset;
        this.value = slice(flatValues);
        this.grad = slice(flatGrads);
    }

    INDArray slice(INDArray flat) {
        return flat.get(NDArrayIndex.interval(offset, offset + length())).reshape('c', storageShape());
    }

    /**
     * Element (i, j) of member k in this parameter's storage layout. Read and write address the
     * [K, rows, cols] or [rows, K, cols] view directly: a sub-view per member ({@code get(point(k), all(),
     * all())}) had no data buffer for some members of deeper models in this ND4J (W [8, 8, 8] of the
     * second dense layer of 1 → 8 → 8 → 8 → 1, members 6 and 7), so initialising them failed.
     */
    private long[] at(int k, int i, int j) {
        return layout == Layout.MEMBER_FIRST ? new long[] {k, i, j} : new long[] {i, k, j};
    }

    /** Member k's values in float64. */
    Tensor read(int k) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                d[i * cols + j] = value.getDouble(at(k, i, j));
            }
        }
        return new Tensor(rows, cols, d);
    }

    /** Sets member k's values. */
    void write(int k, Tensor t) {
        if (t.rows() != rows || t.cols() != cols) {
            throw new IllegalArgumentException(name + " expects " + rows + "×" + cols + ", got " + t.rows() + "×" + t.cols());
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                value.putScalar(at(k, i, j), t.at(i, j));
            }
        }
    }
}
