package dev.nalu.compute;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Improved NALU (Schlör, Ring and Hotho 2020). Separate weights for the two paths,
 * W_a = tanh(Ŵ_a) ⊙ σ(M̂_a) and W_m = tanh(Ŵ_m) ⊙ σ(M̂_m); an input-independent gate g = σ(G);
 * a clipped exponent and a sign correction:
 * <pre>
 *   a = x W_a
 *   m = exp(min(log(max(|x|, ε)) W_m, ω))
 *   s_j = ∏_i (sign(x_i) |W_m,ij| + 1 − |W_m,ij|)
 *   y = g ⊙ a + (1 − g) ⊙ m ⊙ s
 * </pre>
 * Its regulariser (1/t)·Σ max(min(−ŵ, ŵ) + t, 0) (t = {@link Penalty#T}) pushes Ŵ and M̂ past ±t so the weights
 * saturate at {-1, 0, 1}; stuck members are re-initialised by the trainer.
 */
public final class Inalu extends PopulationLayer {
    static final double EPSILON = 1e-7;
    /** Clip of the exponent, ω (Schlör et al. 2020). */
    static final double OMEGA = 20;
    private final NacWeight wa;
    private final NacWeight wm;
    private final Param gate;
    private final INDArray absWm;
    private final INDArray oneMinusAbsWm;
    private final INDArray signWm;
    private final INDArray gateSigmoid;
    private final INDArray gateSlope;

    Inalu(LayerSpec spec, int in, int members, boolean sharedInput, DataType type) {
        super(spec, in, members, sharedInput, type);
        this.wa = new NacWeight(this, "a", Param.Layout.MEMBER_FIRST);
        this.wm = new NacWeight(this, "m", Param.Layout.MEMBER_FIRST);
        this.gate = param("G", Param.Layout.MEMBER_FIRST, 1, out);
        for (Param p : new Param[] {wa.wHat, wa.mHat, wm.wHat, wm.mHat}) {
            p.penalised(Penalty.INALU);
        }
        this.absWm = buffer(1, members, in, out);
        this.oneMinusAbsWm = absWm.like();
        this.signWm = buffer(members, in, out);
        this.gateSigmoid = buffer(1, members, out);
        this.gateSlope = gateSigmoid.like();
    }

    /** Xavier-uniform Ŵ, M̂ for both paths; G = 0 (gate ½). */
    @Override
    public void initialise(int member, SplittableRandom rng) {
        wa.initialise(member, rng, in, out);
        wm.initialise(member, rng, in, out);
        gate.write(member, constant(1, out, 0));
    }

    @Override
    public Pass newPass(int batch, INDArray input, INDArray gradInput) {
        boolean wantInput = gradInput != null;
        int kIn = sharedInput ? 1 : members;
        return new Pass(batch, input, gradInput) {
            private final INDArray a = outBuffer();
            private final INDArray p = outBuffer();
            private final INDArray m = outBuffer();
            private final INDArray s = outBuffer();
            private final INDArray ms = outBuffer();
            private final INDArray da = outBuffer();
            private final INDArray dp = outBuffer();
            private final INDArray ds = outBuffer();
            private final INDArray t = outBuffer();
            private final INDArray absX = inBuffer();
            private final INDArray maxAbs = inBuffer();
            private final INDArray logX = inBuffer();
            private final INDArray mask = wantInput ? memberInBuffer() : null;
            private final INDArray signX4 = buffer(batch, kIn, in, 1);
            private final INDArray signXMinus1 = buffer(batch, kIn, in, 1);
            private final INDArray f = buffer(batch, members, in, out);
            private final INDArray others = buffer(batch, members, in, out);
            private final INDArray dLog = wantInput ? memberInBuffer() : null;
            private final INDArray dxAdd = wantInput ? memberInBuffer() : null;
            private final INDArray dwmLog = buffer(members, in, out);
            private final INDArray gGrad = gate.grad.reshape(members, out);
            private final INDArray gSum = buffer(members, out);
            private final INDArray s4 = s.reshape(batch, members, 1, out);
            private final INDArray ds4 = ds.reshape(batch, members, 1, out);
            private final Linear add = new Linear(batch, members, in, out, false, input, wa.w, wa.dw, a, da, dxAdd);
            private final Linear mul = new Linear(batch, members, in, out, false, logX, wm.w, dwmLog, p, dp, dLog);

            @Override
            public void forward() {
                wa.forward();
                wm.forward();
                add.forward();                                   // a = x W_a
                Nd.abs(input, absX);
                Nd.maxScalar(absX, EPSILON, maxAbs);
                Nd.log(maxAbs, logX);                            // log(max(|x|, ε))
                mul.forward();
                Nd.minScalar(p, OMEGA, m);
                Nd.exp(m, m);                                    // m = exp(min(P, ω))
                Nd.abs(wm.w.reshape(1, members, in, out), absWm);
                Nd.rsub(absWm, 1, oneMinusAbsWm);
                Nd.sign(input.reshape(batch, kIn, in, 1), signX4);
                Nd.mul(signX4, absWm, f);
                Nd.add(f, oneMinusAbsWm, f);
                Nd.prod(f, s, 2);                                // s = ∏ (sign(x)|W_m| + 1 − |W_m|)
                Nd.mul(m, s, ms);
                Nd.sigmoid(gate.value.reshape(1, members, out), gateSigmoid);
                Nd.sub(a, ms, t);
                Nd.mul(t, gateSigmoid, output);
                Nd.add(output, ms, output);                      // y = g a + (1 − g) m s
            }

            @Override
            public void backward() {
                Nd.mul(gradOutput, t, t);
                Nd.sum(t, gSum, 0);
                Nd.rsub(gateSigmoid, 1, gateSlope);
                Nd.mul(gateSlope, gateSigmoid, gateSlope);
                Nd.mul(gSum, gateSlope.reshape(members, out), gGrad);   // dG = Σ_b dy (a − ms) g(1 − g)
                Nd.mul(gradOutput, gateSigmoid, da);             // da = dy g
                Nd.sub(gradOutput, da, t);                       // d(ms) = dy (1 − g)
                Nd.mul(t, m, ds);                                // ds = d(ms) m
                Nd.mul(t, s, dp);
                Nd.mul(dp, m, dp);                               // dm ⊙ m
                Nd.step(p, OMEGA, t);
                Nd.rsub(t, 1, t);
                Nd.mul(dp, t, dp);                               // zero where the exponent was clipped
                add.backward();                                  // dW_a, dx
                mul.backward();                                  // dW_m (exponent part), d log
                Nd.divNoNan(s4, f, others);
                Nd.mul(others, ds4, others);
                Nd.addScalar(signX4, -1, signXMinus1);
                Nd.mul(others, signXMinus1, others);
                Nd.sum(others, wm.dw, 0);                        // d|W_m| from the sign product
                Nd.sign(wm.w, signWm);
                Nd.mul(wm.dw, signWm, wm.dw);
                Nd.add(wm.dw, dwmLog, wm.dw);
                wa.backward();
                wm.backward();
                if (wantInput) {
                    Nd.step(absX, EPSILON, mask);
                    Nd.mul(dLog, mask, dLog);
                    Nd.mul(dLog, signX4.reshape(batch, members, in), dLog);
                    Nd.divNoNan(dLog, maxAbs, dLog);             // d log(max(|x|, ε)) / dx
                    Nd.add(dxAdd, dLog, gradInput);
                }
            }
        };
    }

    static double[] apply(LayerWeights lw, double[] x) {
        Tensor wa = NacWeight.weight(lw, "a");
        Tensor wm = NacWeight.weight(lw, "m");
        Tensor g = lw.get("G");
        double[] a = Matrices.times(x, wa);
        double[] logX = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            logX[i] = Math.log(Math.max(Math.abs(x[i]), EPSILON));
        }
        double[] p = Matrices.times(logX, wm);
        double[] y = new double[a.length];
        for (int j = 0; j < y.length; j++) {
            double s = 1;
            for (int i = 0; i < x.length; i++) {
                double w = Math.abs(wm.at(i, j));
                s *= Math.signum(x[i]) * w + 1 - w;
            }
            double m = Math.exp(Math.min(p[j], OMEGA));
            double gj = Matrices.sigmoid(g.at(j));
            y[j] = gj * a[j] + (1 - gj) * m * s;
        }
        return y;
    }
}
