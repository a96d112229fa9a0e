package dev.nalu.compute;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Real Neural Power Unit (Heim, Pevný and Šmídl 2020). With the relevance gate g ∈ [0, 1]^in:
 * r = g ⊙ (|x| + ε) + (1 − g), k = π g ⊙ [x < 0], z = exp(W log r) ⊙ cos(W k).
 * Powers of |x| with real exponents, the cosine restoring signs, so it learns ÷, powers and roots,
 * negative inputs included. Regularised by β·(|W| + |g|) (L1), g clamped to [0, 1].
 *
 * <p>With a learned constant ({@link LayerSpec#constant()}), each output j is scaled by c_j = exp(s_j):
 * z = exp(W log r + s) ⊙ cos(W k), so a product of powers carries its constant factor (x²/2, 4πr²).
 * The scale lives in log space like the exponents, so Adam moves it by a relative step; its gradient
 * is that of P: ds_j = Σ_b dP_bj. It starts at s = 0 (c = 1), is not regularised, and is positive:
 * a negative factor is a following NAU's weight −1.
 */
public final class RealNpu extends PopulationLayer {
    static final double EPSILON = 1e-7;
    private final Param w;
    private final Param gate;
    /** Log-scale s per output (c = exp(s)), or null without a learned constant. */
    private final Param scale;

    RealNpu(LayerSpec spec, int in, int members, boolean sharedInput, DataType type) {
        super(spec, in, members, sharedInput, type);
        this.w = param("W", Param.Layout.MEMBER_FIRST, in, out).penalised(Penalty.L1);
        this.gate = param("g", Param.Layout.MEMBER_FIRST, 1, in).clampedTo(0, 1).penalised(Penalty.L1);
        this.scale = spec.constant() ? param("s", Param.Layout.MEMBER_FIRST, 1, out) : null;
    }

    /**
     * Initial exponents of a scaled power of one value, NPU(1→1)·c, by member: the powers a search's "power of a
     * sum" head starts from, in turn over the population (a ½ first, then −1, 1, −½, 2, −2, 3/2, −3/2).
     */
    static final double[] POWER_STARTS = {0.5, -1, 1, -0.5, 2, -2, 1.5, -1.5};

    /**
     * Initial exponents of a scaled product of powers of two sums of monomials, NPU(2→1)·c after NPU·c → NAU (the
     * head of a search's ratio family), by member: P/Q, P/√Q, √(P/Q), P/Q², √P, 1/√P, in turn over the population.
     */
    static final double[][] PAIR_STARTS = {{1, -1}, {1, -0.5}, {0.5, -0.5}, {1, -2}, {0.5, 0}, {-0.5, 0}};

    /** Whether this layer is the head of a ratio of powers of sums of monomials ({@link #PAIR_STARTS}). */
    boolean ratioHead;

    /** Whether this scaled layer's products are the terms of a NAU's sums: its gates start open. */
    boolean termsOfASum;

    /**
     * Glorot-uniform W, g = ½ (Heim et al. 2020); s = 0 (scale 1). A scaled power of one value, NPU(1→1)·c (the
     * head of a search's power-of-a-sum family), starts instead with its gate open (g = 1) and its exponent
     * {@link #POWER_STARTS}[member mod 8]: from Glorot's U(−1.2, 1.2) and g = ½ the 8 members of √(a² + b²)
     * (seed 1) settled with small gates and exponents that imitate the curve (validation MSE 5e-5 at best), while
     * started from this spread one member reached 1.8e-7 in the basin of the exact formula. The spread is the
     * same whatever the data; training moves the exponent like any other. The terms of a sum, an NPU·c that feeds
     * a NAU (the first layer of a search's sum-of-monomials, power-of-a-sum and ratio families), start with their
     * gates open (g = 1), Glorot's exponents then being exponents of the inputs themselves: with g = ½ the search
     * missed √(a² + b²) on seeds 3 and 6 and the ratio family alone missed Feynman I.10.7, with g = 1 all three were
     * exact (docs/search.md, "Open gates for the terms of a sum").
     */
    @Override
    public void initialise(int member, SplittableRandom rng) {
        double r = glorot(in, out);
        w.write(member, uniform(rng, in, out, -r, r));
        gate.write(member, constant(1, in, termsOfASum ? 1 : 0.5));
        if (scale != null && in == 1 && out == 1) {
            w.write(member, constant(1, 1, POWER_STARTS[member % POWER_STARTS.length]));
            gate.write(member, constant(1, 1, 1));
        }
        if (ratioHead && in == 2 && out == 1) {
            double[] p = PAIR_STARTS[member % PAIR_STARTS.length];
            w.write(member, new Tensor(2, 1, new double[] {p[0], p[1]}));
            gate.write(member, constant(1, 2, 1));
        }
        if (scale != null) {
            scale.write(member, constant(1, out, 0));
        }
    }

    @Override
    public Pass newPass(int batch, INDArray input, INDArray gradInput) {
        boolean wantInput = gradInput != null;
        return new Pass(batch, input, gradInput) {
            private final INDArray g3 = gate.value.reshape(1, members, in);
            private final INDArray gGrad = gate.grad.reshape(members, in);
            private final INDArray absEpsMinus1 = inBuffer();
            private final INDArray negative = inBuffer();
            private final INDArray r = memberInBuffer();
            private final INDArray logR = memberInBuffer();
            private final INDArray k = memberInBuffer();
            private final INDArray dLogR = memberInBuffer();
            private final INDArray dk = memberInBuffer();
            private final INDArray t1 = memberInBuffer();
            private final INDArray t2 = memberInBuffer();
            private final INDArray signX = wantInput ? inBuffer() : null;
            private final INDArray p = outBuffer();
            private final INDArray q = outBuffer();
            private final INDArray e = outBuffer();
            private final INDArray c = outBuffer();
            private final INDArray dp = outBuffer();
            private final INDArray dq = outBuffer();
            private final INDArray dwq = buffer(members, in, out);
            private final Linear pLin = memberLinear(logR, w, p, dp, dLogR);
            private final Linear qLin = new Linear(batch, members, in, out, false, k, w.value, dwq, q, dq, dk);
            private final INDArray s3 = scale == null ? null : scale.value.reshape(1, members, out);
            private final INDArray sGrad = scale == null ? null : scale.grad.reshape(members, out);

            @Override
            public void forward() {
                Nd.abs(input, absEpsMinus1);
                Nd.addScalar(absEpsMinus1, EPSILON - 1, absEpsMinus1);   // |x| + ε − 1
                Nd.scale(input, -1, negative);
                Nd.step(negative, 0, negative);                          // [x < 0]
                Nd.mul(absEpsMinus1, g3, r);
                Nd.addScalar(r, 1, r);                                   // r = g(|x|+ε) + 1 − g
                Nd.log(r, logR);
                Nd.mul(negative, g3, k);
                Nd.scale(k, Math.PI, k);                                 // k = π g [x < 0]
                pLin.forward();                                          // P = W log r
                if (s3 != null) {
                    Nd.add(p, s3, p);                                    // P = W log r + s
                }
                qLin.forward();                                          // Q = W k
                Nd.exp(p, e);
                Nd.cos(q, c);
                Nd.mul(e, c, output);                                    // z = exp(P) cos(Q)
            }

            @Override
            public void backward() {
                Nd.mul(gradOutput, output, dp);                          // dP = dz ⊙ z
                Nd.sin(q, dq);
                Nd.mul(dq, e, dq);
                Nd.mul(dq, gradOutput, dq);
                Nd.scale(dq, -1, dq);                                    // dQ = −dz ⊙ exp(P) sin(Q)
                pLin.backward();                                         // dW (P part), d log r
                if (sGrad != null) {
                    Nd.sum(dp, sGrad, 0);                                // ds = Σ_b dP
                }
                qLin.backward();                                         // dW (Q part), dk
                Nd.add(w.grad, dwq, w.grad);
                Nd.divNoNan(dLogR, r, dLogR);                            // dr = d log r / r
                Nd.mul(dLogR, absEpsMinus1, t1);
                Nd.mul(dk, negative, t2);
                Nd.axpy(Math.PI, t2, t1);
                Nd.sum(t1, gGrad, 0);                                    // dg = Σ_b dr(|x|+ε−1) + π dk [x<0]
                if (wantInput) {
                    Nd.sign(input, signX);
                    Nd.mul(dLogR, g3, t1);
                    Nd.mul(t1, signX, gradInput);                        // dx = dr g sign(x)
                }
            }
        };
    }

    static double[] apply(LayerWeights lw, double[] x) {
        double[] logR = new double[x.length];
        double[] k = new double[x.length];
        logs(lw.get("g"), x, logR, k);
        Tensor w = lw.get("W");
        Tensor s = lw.spec().constant() ? lw.get("s") : null;
        double[] z = new double[w.cols()];
        for (int j = 0; j < z.length; j++) {
            z[j] = output(logR, k, w, s, j);
        }
        return z;
    }

    /** What the float64 forward takes from the inputs and gates alone: log r_i = log(g_i(|x_i| + ε) + 1 − g_i), k_i = π·g_i·[x_i < 0]. */
    static void logs(Tensor g, double[] x, double[] logR, double[] k) {
        for (int i = 0; i < x.length; i++) {
            double gi = g.at(i);
            logR[i] = Math.log(gi * (Math.abs(x[i]) + EPSILON) + 1 - gi);
            k[i] = x[i] < 0 ? Math.PI * gi : 0;
        }
    }

    /** Output j of the float64 forward from {@link #logs}: c_j·exp(Σ_i W_ij log r_i)·cos(Σ_i W_ij k_i); s null without a scale. */
    static double output(double[] logR, double[] k, Tensor w, Tensor s, int j) {
        double p = 0;
        double q = 0;
        for (int i = 0; i < w.rows(); i++) {
            p += logR[i] * w.at(i, j);
            q += k[i] * w.at(i, j);
        }
        if (s != null) {
            p += s.at(j);
        }
        return Math.exp(p) * Math.cos(q);
    }
}
