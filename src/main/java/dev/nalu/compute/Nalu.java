package dev.nalu.compute;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Neural Arithmetic Logic Unit (Trask et al. 2018). Both paths share W = tanh(Ŵ) ⊙ σ(M̂):
 * a = xW, m = exp(log(|x| + ε) W), g = σ(xG), y = g ⊙ a + (1 − g) ⊙ m.
 */
public final class Nalu extends PopulationLayer {
    private final NacWeight w;
    private final Param gate;
    private final INDArray dwAdd;
    private final INDArray dwMul;

    Nalu(LayerSpec spec, int in, int members, boolean sharedInput, DataType type) {
        super(spec, in, members, sharedInput, type);
        this.w = new NacWeight(this, "");
        this.gate = param("G", matrixLayout(), in, out);
        this.dwAdd = matrixBuffer();
        this.dwMul = matrixBuffer();
    }

    @Override
    public void initialise(int member, SplittableRandom rng) {
        w.initialise(member, rng, in, out);
        double r = glorot(in, out);
        gate.write(member, uniform(rng, in, out, -r, r));
    }

    @Override
    public Pass newPass(int batch, INDArray input, INDArray gradInput) {
        boolean wantInput = gradInput != null;
        return new Pass(batch, input, gradInput) {
            private final INDArray a = outBuffer();
            private final INDArray m = outBuffer();
            private final INDArray g = outBuffer();
            private final INDArray diff = outBuffer();
            private final INDArray da = outBuffer();
            private final INDArray dp = outBuffer();
            private final INDArray dg = outBuffer();
            private final INDArray dxAdd = wantInput ? memberInBuffer() : null;
            private final INDArray dxGate = wantInput ? memberInBuffer() : null;
            private final INDArray dxMul = wantInput ? memberInBuffer() : null;
            private final LogSpace logSpace = new LogSpace(input, inBuffer(), wantInput ? inBuffer() : null, dxMul);
            private final Linear add = linear(input, w.w, dwAdd, a, da, dxAdd);
            private final Linear mul = linear(logSpace.log, w.w, dwMul, m, dp, logSpace.gradLog);
            private final Linear gz = linear(input, gate, g, dg, dxGate);

            @Override
            public void forward() {
                w.forward();                       // W = tanh(Ŵ) ⊙ σ(M̂)
                add.forward();                     // a = xW
                logSpace.forward();
                mul.forward();
                Nd.exp(m, m);                      // m = exp(log(|x|+ε) W)
                gz.forward();
                Nd.sigmoid(g, g);                  // g = σ(xG)
                Nd.sub(a, m, diff);
                Nd.mul(g, diff, output);
                Nd.add(output, m, output);         // y = g ⊙ a + (1 − g) ⊙ m
            }

            @Override
            public void backward() {
                Nd.mul(gradOutput, g, da);         // da = dy ⊙ g
                Nd.sub(gradOutput, da, dp);        // dm = dy ⊙ (1 − g)
                Nd.mul(dp, m, dp);                 // dP = dm ⊙ m
                Nd.mul(gradOutput, diff, dg);      // dg = dy ⊙ (a − m)
                Nd.rsub(g, 1.0, diff);
                Nd.mul(diff, g, diff);
                Nd.mul(dg, diff, dg);              // d(xG) = dg ⊙ g(1 − g)
                add.backward();
                mul.backward();
                gz.backward();                     // dG
                Nd.add(dwAdd, dwMul, w.dw);
                w.backward();                      // dŴ, dM̂
                if (wantInput) {
                    logSpace.backward();
                    Nd.add(dxAdd, dxGate, gradInput);
                    Nd.add(gradInput, dxMul, gradInput);
                }
            }
        };
    }

    static double[] apply(LayerWeights lw, double[] x) {
        Tensor w = NacWeight.weight(lw, "");
        double[] a = Matrices.times(x, w);
        double[] m = LogSpace.expOfLogTimes(x, w);
        double[] gz = Matrices.times(x, lw.get("G"));
        double[] y = new double[a.length];
        for (int j = 0; j < y.length; j++) {
            double g = Matrices.sigmoid(gz[j]);
            y[j] = g * a[j] + (1 - g) * m[j];
        }
        return y;
    }
}
