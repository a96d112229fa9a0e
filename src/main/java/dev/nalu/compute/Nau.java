package dev.nalu.compute;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Neural Addition Unit (Madsen and Johansen 2020): a = xW, W clamped to [-1, 1] after every
 * step, with the sparsity regulariser λ·mean(min(|W|, 1 − |W|)).
 */
public final class Nau extends PopulationLayer {
    private final Param w;

    Nau(LayerSpec spec, int in, int members, boolean sharedInput, DataType type) {
        super(spec, in, members, sharedInput, type);
        this.w = param("W", matrixLayout(), in, out).clampedTo(-1, 1).penalised(Penalty.SPARSITY);
    }

    /** W ~ U(−r, r), r = min(½, √3·√(2/(in+out))) (Madsen and Johansen 2020). */
    @Override
    public void initialise(int member, SplittableRandom rng) {
        double r = Math.min(0.5, Math.sqrt(3) * Math.sqrt(2.0 / (in + out)));
        w.write(member, uniform(rng, in, out, -r, r));
    }

    @Override
    public Pass newPass(int batch, INDArray input, INDArray gradInput) {
        return new Pass(batch, input, gradInput) {
            private final Linear a = linear(input, w, output, gradOutput, gradInput);

            @Override
            public void forward() {
                a.forward();                       // a = xW
            }

            @Override
            public void backward() {
                a.backward();                      // dW = xᵀ·da, dx = da·Wᵀ
            }
        };
    }

    /** a_j = Σ_i x_i W_ij, in float64. */
    static double[] apply(LayerWeights lw, double[] x) {
        return Matrices.times(x, lw.get("W"));
    }
}
