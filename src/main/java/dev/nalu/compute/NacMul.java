package dev.nalu.compute;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multiplicative Neural Accumulator (Trask et al. 2018): m = exp(log(|x| + ε) W), W = tanh(Ŵ) ⊙ σ(M̂).
 * Backward: dP = dm ⊙ m for P = log(|x|+ε)·W; dx = (dP·Wᵀ) ⊙ sign(x) / (|x| + ε).
 */
public final class NacMul extends PopulationLayer {
    /** Trask et al. 2018's ε inside the logarithm. */
    static final double EPSILON = 1e-7;
    private final NacWeight w;

    NacMul(LayerSpec spec, int in, int members, boolean sharedInput, DataType type) {
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
            private final LogSpace logSpace = new LogSpace(input, inBuffer(), gradInput == null ? null : inBuffer(), gradInput);
            private final INDArray dp = outBuffer();
            private final Linear p = linear(logSpace.log, w.w, w.dw, output, dp, logSpace.gradLog);

            @Override
            public void forward() {
                w.forward();
                logSpace.forward();               // L = log(|x| + ε)
                p.forward();                      // P = L·W
                Nd.exp(output, output);           // m = exp(P)
            }

            @Override
            public void backward() {
                Nd.mul(gradOutput, output, dp);   // dP = dm ⊙ m
                p.backward();                     // dW, dL
                logSpace.backward();              // dx = dL ⊙ sign(x) / (|x| + ε)
                w.backward();
            }
        };
    }

    static double[] apply(LayerWeights lw, double[] x) {
        return LogSpace.expOfLogTimes(x, NacWeight.weight(lw, ""));
    }
}
