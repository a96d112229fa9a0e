package dev.nalu.compute;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Neural Addition Unit (Madsen and Johansen 2020): a = xW, W clamped to [-1, 1] after every
 * step, with the sparsity regulariser λ·mean(min(|W|, 1 − |W|)).
 *
 * <p>With a learned constant ({@link LayerSpec#constant()}) the layer has one more input that is
 * always 1: a = xW + 1·b, where b is that input's weight row (1 − v²/c² needs it). b starts at 0, is
 * neither clamped nor regularised (a constant need not be −1, 0 or 1), and db_j = Σ_b da_bj.
 */
public final class Nau extends PopulationLayer {
    private final Param w;
    /** The constant-1 input's weight row, or null. */
    private final Param bias;

    Nau(LayerSpec spec, int in, int members, boolean sharedInput, DataType type) {
        super(spec, in, members, sharedInput, type);
        this.w = param("W", matrixLayout(), in, out).clampedTo(-1, 1).penalised(Penalty.SPARSITY);
        this.bias = spec.constant() ? param("b", Param.Layout.MEMBER_FIRST, 1, out) : null;
    }

    /** W ~ U(−r, r), r = min(½, √3·√(2/(in+out))) (Madsen and Johansen 2020). */
    @Override
    public void initialise(int member, SplittableRandom rng) {
        double r = Math.min(0.5, Math.sqrt(3) * Math.sqrt(2.0 / (in + out)));
        w.write(member, uniform(rng, in, out, -r, r));
        if (bias != null) {
            bias.write(member, constant(1, out, 0));
        }
    }

    @Override
    public Pass newPass(int batch, INDArray input, INDArray gradInput) {
        return new Pass(batch, input, gradInput) {
            private final Linear a = linear(input, w, output, gradOutput, gradInput);
            private final INDArray b3 = bias == null ? null : bias.value.reshape(1, members, out);
            private final INDArray bGrad = bias == null ? null : bias.grad.reshape(members, out);

            @Override
            public void forward() {
                a.forward();                       // a = xW
                if (b3 != null) {
                    Nd.add(output, b3, output);    // a = xW + 1·b
                }
            }

            @Override
            public void backward() {
                a.backward();                      // dW = xᵀ·da, dx = da·Wᵀ
                if (bGrad != null) {
                    Nd.sum(gradOutput, bGrad, 0);  // db = Σ_b da
                }
            }
        };
    }

    /** a_j = Σ_i x_i W_ij, in float64. */
    static double[] apply(LayerWeights lw, double[] x) {
        double[] a = Matrices.times(x, lw.get("W"));
        if (lw.spec().constant()) {
            Tensor b = lw.get("b");
            for (int j = 0; j < a.length; j++) {
                a[j] += b.at(j);
            }
        }
        return a;
    }
}
