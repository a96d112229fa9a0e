package dev.nalu.compute;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.custom.DivideNoNan;
import org.nd4j.linalg.api.ops.impl.reduce.same.Prod;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Cos;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sin;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One ND4J op per call, always into a preallocated output. ND4J costs ~10 µs per op
 * whatever the size, so the training step is written as a short, fixed list of these
 * calls over whole populations; nothing here allocates a result array.
 *
 * <p>Element-wise binary ops broadcast numpy-style ({@code [B,K,in,1] ⊙ [1,K,in,out]}).
 */
final class Nd {
    private Nd() {
    }

    /**
     * An op built once, bound to its arrays, and run every step. Building an ND4J op (and the
     * scalar array of a scalar op) costs as much as running it on small tensors: measured at K=1,
     * a reused scalar op runs in 2 µs against 16 µs built afresh, a reused row broadcast in 18 µs
     * against 68 µs.
     */
    @FunctionalInterface
    interface Kernel {
        void run();
    }

    static void run(Kernel[] kernels) {
        for (Kernel k : kernels) {
            k.run();
        }
    }

    static Kernel prepared(Op op) {
        return () -> exec(op);
    }

    static Kernel prepared(CustomOp op) {
        return () -> exec(op);
    }

    /** c = op(a)·op(b) as a reusable matrix-product op. */
    static Kernel gemmOp(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB) {
        return prepared(new Mmul(a, b, c, MMulTranspose.builder().transposeA(transA).transposeB(transB).build()));
    }

    /** c = op(a)·op(b) + beta·c as a reusable op. */
    static Kernel gemmOp(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double beta) {
        return prepared(new Mmul(a, b, c, 1.0, beta, MMulTranspose.builder().transposeA(transA).transposeB(transB).build()));
    }

    static Kernel addOp(INDArray x, INDArray y, INDArray z) {
        return prepared(new AddOp(x, y, z));
    }

    static Kernel sumOp(INDArray x, INDArray z, int... dims) {
        return prepared(new Sum(x, z, dims));
    }

    static Kernel mulOp(INDArray x, INDArray y, INDArray z) {
        return prepared(new MulOp(x, y, z));
    }

    static Kernel subOp(INDArray x, INDArray y, INDArray z) {
        return prepared(new SubOp(x, y, z));
    }

    /** z = x ⊙ row, row [1, n] broadcast over the rows of x [m, n]: far faster than numpy-style. */
    static Kernel mulRowOp(INDArray x, INDArray row, INDArray z) {
        return prepared(new BroadcastMulOp(x, row.reshape(row.length()), z, 1));
    }

    /**
     * z = x ⊙ y with y laid along the given dimensions of x (ND4J's legacy broadcast: y [m] along
     * dimension 0 of x [m, n] scales each row; y [a, c] along dimensions 0 and 2 of x [a, b, c]).
     * Far faster here than a numpy-style broadcast of the same output.
     */
    static Kernel broadcastMulOp(INDArray x, INDArray y, INDArray z, int... dims) {
        return prepared(new BroadcastMulOp(x, y, z, dims));
    }

    /** z = x + row, row [1, n] broadcast over the rows of x [m, n]. */
    static Kernel addRowOp(INDArray x, INDArray row, INDArray z) {
        return prepared(new BroadcastAddOp(x, row.reshape(row.length()), z, 1));
    }

    static Kernel scaleOp(INDArray x, double s, INDArray z) {
        return prepared(new ScalarMultiplication(x, null, z, s));
    }

    static Kernel addScalarOp(INDArray x, double s, INDArray z) {
        return prepared(new ScalarAdd(x, null, z, s));
    }

    static Kernel rsubOp(INDArray x, double s, INDArray z) {
        return prepared(new ScalarReverseSubtraction(x, null, z, s));
    }

    static Kernel prodOp(INDArray x, INDArray z, int... dims) {
        return prepared(new Prod(x, z, dims));
    }

    static Kernel divNoNanOp(INDArray x, INDArray y, INDArray z) {
        return prepared(new DivideNoNan(x, y, z));
    }

    /** z = Σ over dims of x². */
    static Kernel squaredNormOp(INDArray x, INDArray z, int... dims) {
        return prepared(new SquaredNorm(x, z, dims));
    }

    private static void exec(Op op) {
        Nd4j.getExecutioner().exec(op);
    }

    private static void exec(CustomOp op) {
        Nd4j.getExecutioner().exec(op);
    }

    /** A [rows, cols] view of the last-axis slice i of a [rows, cols, n] array. */
    static INDArray column(INDArray x3, int i) {
        return x3.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(i));
    }

    static INDArray ones(DataType type, long... shape) {
        return Nd4j.ones(type, shape);
    }

    static void mul(INDArray x, INDArray y, INDArray z) {
        exec(new MulOp(x, y, z));
    }

    static void add(INDArray x, INDArray y, INDArray z) {
        exec(new AddOp(x, y, z));
    }

    static void sub(INDArray x, INDArray y, INDArray z) {
        exec(new SubOp(x, y, z));
    }

    /** z = x / y, and 0 where y == 0 (a product-of-the-others that hit an exact zero factor). */
    static void divNoNan(INDArray x, INDArray y, INDArray z) {
        DivideNoNan op = new DivideNoNan(x, y, z);
        exec(op);
    }

    /** y += alpha · x. */
    static void axpy(double alpha, INDArray x, INDArray y) {
        exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy(x, y, y, alpha));
    }

    static void scale(INDArray x, double s, INDArray z) {
        exec(new ScalarMultiplication(x, null, z, s));
    }

    static void addScalar(INDArray x, double s, INDArray z) {
        exec(new ScalarAdd(x, null, z, s));
    }

    /** z = s − x. */
    static void rsub(INDArray x, double s, INDArray z) {
        exec(new ScalarReverseSubtraction(x, null, z, s));
    }

    /** z = (x > cutoff) ? 1 : 0. */
    static void step(INDArray x, double cutoff, INDArray z) {
        exec(new Step(x, z, cutoff));
    }

    static void minScalar(INDArray x, double s, INDArray z) {
        exec(new ScalarMin(x, null, z, s));
    }

    static void maxScalar(INDArray x, double s, INDArray z) {
        exec(new ScalarMax(x, null, z, s));
    }

    /** z = Σ over dims of x². */
    static void squaredNorm(INDArray x, INDArray z, int... dims) {
        exec(new SquaredNorm(x, z, dims));
    }

    static void sum(INDArray x, INDArray z, int... dims) {
        exec(new Sum(x, z, dims));
    }

    static void prod(INDArray x, INDArray z, int... dims) {
        exec(new Prod(x, z, dims));
    }

    static void tanh(INDArray x, INDArray z) {
        exec(new Tanh(x, z));
    }

    static void sigmoid(INDArray x, INDArray z) {
        exec(new Sigmoid(x, z));
    }

    static void exp(INDArray x, INDArray z) {
        exec(new Exp(x, z));
    }

    static void log(INDArray x, INDArray z) {
        exec(new Log(x, z));
    }

    static void abs(INDArray x, INDArray z) {
        exec(new Abs(x, z));
    }

    static void sign(INDArray x, INDArray z) {
        exec(new Sign(x, z));
    }

    static void cos(INDArray x, INDArray z) {
        exec(new Cos(x, z));
    }

    static void sin(INDArray x, INDArray z) {
        exec(new Sin(x, z));
    }
}
