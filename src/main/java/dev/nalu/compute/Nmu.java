package dev.nalu.compute;

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
    private final SparsityRegulariser sparsity;
    private final org.nd4j.linalg.api.ndarray.INDArray oneMinusW;

    Nmu(LayerSpec spec, int in, int members, boolean sharedInput, DataType type) {
        super(spec, in, members, sharedInput, type);
        this.w = param("W", Param.Layout.MEMBER_FIRST, in, out);
        this.sparsity = new SparsityRegulariser(w, type);
        this.oneMinusW = buffer(1, members, in, out);
    }

    /** W ~ U(½ − r, ½ + r), r = min(¼, √3·½) (Madsen and Johansen 2020). */
    @Override
    public void initialise(int member, SplittableRandom rng) {
        double r = Math.min(0.25, Math.sqrt(3) * 0.5);
        w.write(member, uniform(rng, in, out, 0.5 - r, 0.5 + r));
    }

    @Override
    public void project() {
        Nd.clamp(w.value, 0, 1);
    }

    @Override
    public void regularise(double lambda) {
        sparsity.addGradient(lambda);
    }

    @Override
    public Pass newPass(int batch, INDArray input, INDArray gradInput) {
        int kIn = sharedInput ? 1 : members;
        return new Pass(batch, input, gradInput) {
            private final INDArray x4 = input.reshape(batch, kIn, in, 1);
            private final INDArray w4 = w.value.reshape(1, members, in, out);
            private final INDArray z4 = output.reshape(batch, members, 1, out);
            private final INDArray dz4 = gradOutput.reshape(batch, members, 1, out);
            private final INDArray f = buffer(batch, members, in, out);
            private final INDArray p = buffer(batch, members, in, out);
            private final INDArray scratch = buffer(batch, members, in, out);
            private final INDArray xMinus1 = buffer(batch, kIn, in, 1);

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
        };
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
