package dev.nalu.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Neural Multiplication Unit (Madsen and Johansen 2020): z_j = ∏_i (W_ij x_i + 1 − W_ij),
 * W clamped to [0, 1], with the sparsity regulariser λ·mean(min(W, 1 − W)).
 *
 * <p>Backward: with f_ij = W_ij x_i + 1 − W_ij and the product of the other factors
 * p_ij = z_j / f_ij, dW_ij = Σ_b dz_j p_ij (x_i − 1) and dx_i = Σ_j dz_j p_ij W_ij.
 */
public final class Nmu extends PopulationLayer {
    private final Param w;
    private final INDArray oneMinusW;

    Nmu(LayerSpec spec, int in, int members, boolean sharedInput, DataType type) {
        super(spec, in, members, sharedInput, type);
        this.w = param("W", Param.Layout.MEMBER_FIRST, in, out).clampedTo(0, 1).penalised(Penalty.SPARSITY);
        this.oneMinusW = buffer(1, members, in, out);
    }

    /** W ~ U(½ − r, ½ + r), r = min(¼, √3·½) (Madsen and Johansen 2020). */
    @Override
    public void initialise(int member, SplittableRandom rng) {
        double r = Math.min(0.25, Math.sqrt(3) * 0.5);
        w.write(member, uniform(rng, in, out, 0.5 - r, 0.5 + r));
    }

    @Override
    public Pass newPass(int batch, INDArray input, INDArray gradInput) {
        if (!sharedInput && out == 1) {
            return new SingleOutputPass(batch, input, gradInput);
        }
        return new BroadcastPass(batch, input, gradInput);
    }

    /**
     * Any shape: [B, K or 1, in, 1] ⊙ [1, K, in, out] broadcasts, numpy-style (both operands
     * broadcast, which ND4J's row broadcasts cannot express).
     */
    private final class BroadcastPass extends Pass {
        private final int kIn = sharedInput ? 1 : members;
        private final INDArray x4 = input.reshape(batch, kIn, in, 1);
        private final INDArray w4 = w.value.reshape(1, members, in, out);
        private final INDArray z4 = output.reshape(batch, members, 1, out);
        private final INDArray dz4 = gradOutput.reshape(batch, members, 1, out);
        private final INDArray f = buffer(batch, members, in, out);
        private final INDArray p = buffer(batch, members, in, out);
        private final INDArray scratch = buffer(batch, members, in, out);
        private final INDArray xMinus1 = buffer(batch, kIn, in, 1);

        BroadcastPass(int batch, INDArray input, INDArray gradInput) {
            super(batch, input, gradInput);
        }

        @Override
        public void forward() {
            Nd.rsub(w4, 1.0, oneMinusW);
            Nd.mul(x4, w4, f);
            Nd.add(f, oneMinusW, f);           // f = W x + 1 − W
            Nd.prod(f, output, 2);             // z = ∏_i f
        }

        @Override
        public void backward() {
            Nd.divNoNan(z4, f, p);             // p = ∏ of the other factors
            Nd.mul(p, dz4, p);                 // dz ⊙ p
            Nd.addScalar(x4, -1.0, xMinus1);
            Nd.mul(p, xMinus1, scratch);
            Nd.sum(scratch, w.grad, 0);        // dW = Σ_b dz p (x − 1)
            if (gradInput != null) {
                Nd.mul(p, w4, scratch);
                Nd.sum(scratch, gradInput, 3); // dx = Σ_j dz p W
            }
        }
    }

    /**
     * One output per member on per-member inputs (NAU(n→2) → NMU(2→1)): W is a row over [K·in],
     * so f = x ⊙ W + (1 − W) is two row broadcasts over [B, K·in], 6× faster than the general
     * path at K=256. With two inputs, the product of the other factors is the other factor: no
     * division, exact even where a factor is 0.
     */
    private final class SingleOutputPass extends Pass {
        private final Nd.Kernel[] forward;
        private final Nd.Kernel[] backward;

        SingleOutputPass(int batch, INDArray input, INDArray gradInput) {
            super(batch, input, gradInput);
            long n = (long) members * in;
            INDArray x = input.reshape(batch, n);
            INDArray wRow = w.value.reshape(1, n);
            INDArray oneMinusWRow = oneMinusW.reshape(1, n);
            INDArray f3 = buffer(batch, members, in);
            INDArray f = f3.reshape(batch, n);
            INDArray z = output.reshape(batch, members);
            INDArray dz = gradOutput.reshape(batch, members);
            INDArray q3 = buffer(batch, members, in);
            INDArray q = q3.reshape(batch, n);
            INDArray scratch = buffer(batch, n);
            INDArray ones = Nd.ones(type, 1, batch);
            List<Nd.Kernel> fwd = new ArrayList<>();
            fwd.add(Nd.rsubOp(wRow, 1.0, oneMinusWRow));
            fwd.add(Nd.mulRowOp(x, wRow, f));
            fwd.add(Nd.addRowOp(f, oneMinusWRow, f));                           // f = W x + 1 − W
            List<Nd.Kernel> bwd = new ArrayList<>();
            if (in == 2) {
                INDArray f0 = Nd.column(f3, 0);
                INDArray f1 = Nd.column(f3, 1);
                fwd.add(Nd.mulOp(f0, f1, z));                                    // z = f_0 f_1
                bwd.add(Nd.mulOp(dz, f1, Nd.column(q3, 0)));                     // q_0 = dz f_1
                bwd.add(Nd.mulOp(dz, f0, Nd.column(q3, 1)));                     // q_1 = dz f_0
            } else {
                fwd.add(Nd.prodOp(f3, z, 2));                                    // z = ∏_i f
                bwd.add(Nd.divNoNanOp(z.reshape(batch, members, 1), f3, q3));    // ∏ of the other factors
                bwd.add(Nd.mulOp(q3, dz.reshape(batch, members, 1), q3));        // q = dz ∏ of the others
            }
            bwd.add(Nd.addScalarOp(x, -1.0, scratch));
            bwd.add(Nd.mulOp(q, scratch, scratch));
            bwd.add(Nd.gemmOp(ones, scratch, w.grad.reshape(1, n), false, false)); // dW = Σ_b q (x − 1)
            if (gradInput != null) {
                bwd.add(Nd.mulRowOp(q, wRow, gradInput.reshape(batch, n)));      // dx = q W
            }
            this.forward = fwd.toArray(Nd.Kernel[]::new);
            this.backward = bwd.toArray(Nd.Kernel[]::new);
        }

        @Override
        public void forward() {
            Nd.run(forward);
        }

        @Override
        public void backward() {
            Nd.run(backward);
        }
    }

    /** z_j = ∏_i (W_ij x_i + 1 − W_ij), in float64. */
    static double[] apply(LayerWeights lw, double[] x) {
        Tensor w = lw.get("W");
        double[] z = new double[w.cols()];
        for (int j = 0; j < w.cols(); j++) {
            double prod = 1;
            for (int i = 0; i < w.rows(); i++) {
                prod *= w.at(i, j) * x[i] + 1 - w.at(i, j);
            }
            z[j] = prod;
        }
        return z;
    }
}
