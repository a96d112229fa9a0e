package dev.nalu.compute;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Additive Neural Accumulator (Trask et al. 2018): W = tanh(Ŵ) ⊙ σ(M̂), a = xW. */
public final class NacAdd extends PopulationLayer {
    private final NacWeight w;

    NacAdd(LayerSpec spec, int in, int members, boolean sharedInput, DataType type) {
        super(spec, in, members, sharedInput, type);
        this.w = new NacWeight(this, "");
    }

    @Override
    public void initialise(int member, SplittableRandom rng) {
        w.initialise(member, rng, in, out);
    }

    @Override
    public Pass newPass(int batch, INDArray input, INDArray gradInput) {
        return new Pass(batch, input, gradInput) {
            private final Linear a = linear(input, w.w, w.dw, output, gradOutput, gradInput);

            @Override
            public void forward() {
                w.forward();                      // W = tanh(Ŵ) ⊙ σ(M̂)
                a.forward();                      // a = xW
            }

            @Override
            public void backward() {
                a.backward();                     // dW, dx
                w.backward();                     // dŴ, dM̂
            }
        };
    }

    static double[] apply(LayerWeights lw, double[] x) {
        return Matrices.times(x, NacWeight.weight(lw, ""));
    }
}
