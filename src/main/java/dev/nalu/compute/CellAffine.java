package dev.nalu.compute;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * z = x·W_x + h·W_h (+ b) for every member at once, the affine map inside most recurrent cells,
 * with its backward pass accumulated over time steps. x [B, in] is data shared by all members, so
 * x·W_x is one GEMM against W_x stored [in, K, out]; h [B, K, hidden] is per member, so h·W_h is a
 * broadcast multiply [B, K, hidden, 1] ⊙ [1, K, hidden, out] and a sum; b is [K, 1, out]. Five
 * ops forward whatever K is. The weights may be parameters or weights derived from them (NAC's
 * tanh(Ŵ) ⊙ σ(M̂)); gradients are added to the given arrays, which the owner zeroes.
 */
final class CellAffine {
    private final int in;
    private final int hidden;
    private final int out;
    private final int members;
    private final INDArray wx2;
    private final INDArray dwx2;
    private final INDArray wh4;
    private final INDArray dwh;
    private final INDArray b3;
    private final INDArray db2;

    CellAffine(int in, int hidden, int out, int members, INDArray wx, INDArray dwx, INDArray wh, INDArray dwh,
               INDArray b, INDArray db) {
        this.in = in;
        this.hidden = hidden;
        this.out = out;
        this.members = members;
        long kOut = (long) members * out;
        this.wx2 = wx == null ? null : wx.reshape(in, kOut);
        this.dwx2 = wx == null ? null : dwx.reshape(in, kOut);
        this.wh4 = wh == null ? null : wh.reshape(1, members, hidden, out);
        this.dwh = dwh;
        this.b3 = b == null ? null : b.reshape(1, members, out);
        this.db2 = db == null ? null : db.reshape(members, out);
    }

    /**
     * The parameters Wx{suffix}, Wh{suffix} (and b{suffix}) of a cell, created with it; the map over
     * them is made by {@link #affine} once the model has bound them to its flat buffers.
     */
    record Params(Param wx, Param wh, Param b) {
        static Params of(RecurrentCell cell, String suffix, int out, boolean bias) {
            return of(cell, suffix, out, true, true, bias);
        }

        /** A map from the data only (x W_x + b) or from the state only (h W_h + b). */
        static Params of(RecurrentCell cell, String suffix, int out, boolean fromX, boolean fromH, boolean bias) {
            return new Params(fromX ? cell.param("Wx" + suffix, Param.Layout.MEMBER_MIDDLE, cell.in, out) : null,
                    fromH ? cell.param("Wh" + suffix, Param.Layout.MEMBER_FIRST, cell.hidden, out) : null,
                    bias ? cell.param("b" + suffix, Param.Layout.MEMBER_FIRST, 1, out) : null);
        }

        /**
         * The map over the bound parameters. Behind a token embedding E the data part is the one-hot
         * token times M = E·W_x, a weight derived once per pass ({@link TokenEmbedding}).
         */
        CellAffine affine(RecurrentCell cell) {
            if (wx != null && cell.embedding != null) {
                TokenEmbedding.Derived d = cell.embedding.derive(wx);
                return new CellAffine(cell.embedding.vocabulary(), cell.hidden, out(), cell.members, d.value(), d.grad(),
                        wh == null ? null : wh.value, wh == null ? null : wh.grad, b == null ? null : b.value,
                        b == null ? null : b.grad);
            }
            return new CellAffine(cell.in, cell.hidden, out(), cell.members, wx == null ? null : wx.value,
                    wx == null ? null : wx.grad, wh == null ? null : wh.value, wh == null ? null : wh.grad,
                    b == null ? null : b.value, b == null ? null : b.grad);
        }

        int out() {
            return wx != null ? wx.cols : wh.cols;
        }

        Params clampedTo(double lo, double hi) {
            wx.clampedTo(lo, hi);
            wh.clampedTo(lo, hi);
            return this;
        }

        Params penalised(Penalty penalty) {
            wx.penalised(penalty);
            wh.penalised(penalty);
            return this;
        }

        /** Xavier/Glorot-style uniform U(−r, r) for member k's Wx and Wh (and b). */
        void uniform(int member, java.util.SplittableRandom rng, double r, boolean biasToo) {
            if (wx != null) {
                wx.write(member, PopulationLayer.uniform(rng, wx.rows, wx.cols, -r, r));
            }
            if (wh != null) {
                wh.write(member, PopulationLayer.uniform(rng, wh.rows, wh.cols, -r, r));
            }
            if (b != null) {
                b.write(member, biasToo ? PopulationLayer.uniform(rng, 1, b.cols, -r, r) : Tensor.zeros(1, b.cols));
            }
        }
    }

    /** Scratch for one batch size; it holds nothing between calls, so every step may share it. */
    final class Scratch {
        final int batch;
        final INDArray product;
        final INDArray sum;
        final INDArray weight;
        final INDArray bias;
        final INDArray gradIn;

        Scratch(int batch, RecurrentCell cell) {
            this.batch = batch;
            this.product = cell.buffer(batch, members, hidden, out);
            this.sum = cell.buffer(batch, members, out);
            this.weight = cell.buffer(members, hidden, out);
            this.bias = cell.buffer(members, out);
            this.gradIn = cell.buffer(batch, members, hidden);
        }

        /** Prepared ops per set of arrays (see {@link KernelCache}). */
        private final KernelCache forward = new KernelCache();
        private final KernelCache backward = new KernelCache();
    }

    /** z = x·W_x + h·W_h (+ b). */
    void forward(Scratch s, INDArray x, INDArray h, INDArray z) {
        Nd.run(s.forward.get(() -> forwardKernels(s, x, h, z), this, x, h, z));
    }

    private Nd.Kernel[] forwardKernels(Scratch s, INDArray x, INDArray h, INDArray z) {
        List<Nd.Kernel> k = new ArrayList<>();
        if (wx2 != null) {
            k.add(Nd.gemmOp(x, wx2, z.reshape(s.batch, (long) members * out), false, false, 0.0));
        }
        if (wh4 != null) {
            k.add(Nd.mulOp(h.reshape(s.batch, members, hidden, 1), wh4, s.product));
            if (wx2 != null) {
                k.add(Nd.sumOp(s.product, s.sum, 2));
                k.add(Nd.addOp(z, s.sum, z));
            } else {
                k.add(Nd.sumOp(s.product, z, 2));
            }
        }
        if (b3 != null) {
            k.add(Nd.addOp(z, b3, z));
        }
        return k.toArray(Nd.Kernel[]::new);
    }

    /**
     * dW_x += xᵀ·dz, dW_h += Σ_b h ⊗ dz, db += Σ_b dz; dh = dz·W_hᵀ, written, or added to dh when
     * {@code accumulate}; dh may be null.
     */
    void backward(Scratch s, INDArray x, INDArray h, INDArray dz, INDArray dh, boolean accumulate) {
        Nd.run(s.backward.get(() -> backwardKernels(s, x, h, dz, dh, accumulate), this, x, h, dz, dh, accumulate));
    }

    private Nd.Kernel[] backwardKernels(Scratch s, INDArray x, INDArray h, INDArray dz, INDArray dh, boolean accumulate) {
        List<Nd.Kernel> k = new ArrayList<>();
        INDArray dz4 = dz.reshape(s.batch, members, 1, out);
        if (wx2 != null) {
            k.add(Nd.gemmOp(x, dz.reshape(s.batch, (long) members * out), dwx2, true, false, 1.0));
        }
        if (db2 != null) {
            k.add(Nd.sumOp(dz, s.bias, 0));
            k.add(Nd.addOp(db2, s.bias, db2));
        }
        if (wh4 != null) {
            k.add(Nd.mulOp(h.reshape(s.batch, members, hidden, 1), dz4, s.product));
            k.add(Nd.sumOp(s.product, s.weight, 0));
            k.add(Nd.addOp(dwh, s.weight, dwh));
            if (dh != null) {
                k.add(Nd.mulOp(wh4, dz4, s.product));
                if (accumulate) {
                    k.add(Nd.sumOp(s.product, s.gradIn, 3));
                    k.add(Nd.addOp(dh, s.gradIn, dh));
                } else {
                    k.add(Nd.sumOp(s.product, dh, 3));
                }
            }
        }
        return k.toArray(Nd.Kernel[]::new);
    }

    /** z_j = Σ_i x_i Wx_ij + Σ_i h_i Wh_ij (+ b_j), in float64. */
    static double[] apply(Tensor wx, Tensor wh, Tensor b, double[] x, double[] h) {
        int out = wx != null ? wx.cols() : wh.cols();
        double[] z = wx != null ? Matrices.times(x, wx) : new double[out];
        double[] zh = wh != null ? Matrices.times(h, wh) : new double[out];
        for (int j = 0; j < z.length; j++) {
            z[j] += zh[j] + (b == null ? 0 : b.at(j));
        }
        return z;
    }
}
