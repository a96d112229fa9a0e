package dev.nalu.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The multiply-accumulate cell: an NMU-like multiplication of the state by an input-dependent
 * positive factor, then an NAU-like addition of an input-dependent term,
 * h_t = h_{t−1} ⊙ (x_t·M) + x_t·A with M = exp(L), per-member tables L and A (in × hidden),
 * unclamped. Reading tokens it takes the one-hot row of token w_t itself
 * ({@link CellKind#readsOneHot()}), so h_t = h_{t−1} ⊙ M[w_t] + A[w_t]: a token-conditioned
 * recursion in which "three hundred and forty two" can be exactly
 * ((((0·1 + 3)·100 + 0)·1 + 0)·1 + 40)·1 + 2, M and A integer tables.
 *
 * <p>Why the factor is learned as its logarithm: Adam moves every parameter by about its learning rate
 * a step, so with M itself a parameter a product M[w]·A[v] that must reach 100·d grows both factors
 * alike (M ≈ A ≈ √(100·d)) and settles on digits scaled by a common factor c, A[d] = c·d, M[hundred] =
 * 100/c, a compromise that is wrong on the units digit (docs/results/number-words.md measured it:
 * test MAE 2.5 to 6). With M = exp(L) a step moves a factor by about the learning rate in relative
 * terms, so a factor of 100 is reached in tens of steps while the additive terms stay at the size
 * the data asks. The price: factors are positive (a factor of 0, L = −∞, only by snapping).
 *
 * <p>The state starts empty: h_0 = 0, clamped there (an accumulator's start; a learnable h_0 would only
 * add a scale that the first token's M and A already have). Initialisation is generic, never from a
 * task's values: L = U(−r, r) (M near 1, the identity recurrence), A = U(−r, r), r = ½. The NAU's
 * regulariser λ pulls A towards integers ({@link Penalty#INTEGER}, mean over the table);
 * {@link SequenceNetwork#snapped()} rounds A and M (L = ln rint(e^L)). Batched over the population
 * like {@link NauCell}: both tables are stored [in, K, hidden], so each step is two GEMMs of the shared
 * x [B, in] against M and A, a multiply and an add, whatever K; M = exp(L) is made once per forward
 * pass (one op) and dL = dM ⊙ M once per backward pass (one op).
 *
 * <p>BPTT with m_t = x_t·M: dA += x_tᵀ·dh_t, dM += x_tᵀ·(dh_t ⊙ h_{t−1}), dh_{t−1} = dh_t ⊙ m_t.
 */
final class MacCell extends RecurrentCell {
    /** The half-width of the initial spread of L and A around 0. */
    static final double INIT_RANGE = 0.5;
    private final Param l;
    private final Param a;
    /** M = exp(L), [in, K, hidden], made once per forward pass, and the steps' gradient with respect to it. */
    private final INDArray mValue;
    private final INDArray mGrad;

    MacCell(int in, int hidden, int members, DataType type) {
        super(CellKind.MAC, in, hidden, members, type, 1);
        this.l = param("L", Param.Layout.MEMBER_MIDDLE, in, hidden);
        this.mValue = buffer(in, members, hidden);
        this.mGrad = buffer(in, members, hidden);
        this.a = param("A", Param.Layout.MEMBER_MIDDLE, in, hidden).penalised(Penalty.INTEGER);
        initial[0].clampedTo(0, 0);
    }

    /** The NAU's λ applies to A's pull towards integers ({@link Penalty#INTEGER}). */
    @Override
    Unit regularisedAs() {
        return Unit.NAU;
    }

    @Override
    protected void initialiseWeights(int member, SplittableRandom rng) {
        l.write(member, uniform(rng, in, hidden, -INIT_RANGE, INIT_RANGE));
        a.write(member, uniform(rng, in, hidden, -INIT_RANGE, INIT_RANGE));
    }

    @Override
    void prepare() {
        Nd.exp(l.value, mValue);
    }

    @Override
    void beginBackward() {
        mGrad.assign(0);
    }

    /** dL = dM ⊙ M (the model zeroed dL). */
    @Override
    void finishBackward() {
        Nd.mul(mGrad, mValue, l.grad);
    }

    @Override
    List<Step> newSteps(int batch, int count) {
        long kh = (long) members * hidden;
        INDArray m2 = mValue.reshape(in, kh);
        INDArray a2 = a.value.reshape(in, kh);
        INDArray dm2 = mGrad.reshape(in, kh);
        INDArray da2 = a.grad.reshape(in, kh);
        INDArray product = buffer(batch, kh);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            INDArray factor = buffer(batch, kh);
            INDArray term = buffer(batch, kh);
            KernelCache forwardOps = new KernelCache();
            KernelCache backwardOps = new KernelCache();
            steps.add(new Step() {
                @Override
                void forward(INDArray x, INDArray[] prev, INDArray[] next) {
                    Nd.run(forwardOps.get(() -> {
                        INDArray h = next[0].reshape(batch, kh);
                        return new Nd.Kernel[] {
                            Nd.gemmOp(x, m2, factor, false, false, 0.0),                 // m_t = x_t M
                            Nd.gemmOp(x, a2, term, false, false, 0.0),                   // a_t = x_t A
                            Nd.mulOp(prev[0].reshape(batch, kh), factor, h),
                            Nd.addOp(h, term, h),                                        // h_t = h_{t−1} ⊙ m_t + a_t
                        };
                    }, x, prev[0], next[0]));
                }

                @Override
                void backward(INDArray x, INDArray[] prev, INDArray[] next, INDArray[] dNext, INDArray[] dPrev) {
                    Nd.run(backwardOps.get(() -> {
                        INDArray dh = dNext[0].reshape(batch, kh);
                        return new Nd.Kernel[] {
                            Nd.gemmOp(x, dh, da2, true, false, 1.0),                     // dA += xᵀ dh
                            Nd.mulOp(dh, prev[0].reshape(batch, kh), product),
                            Nd.gemmOp(x, product, dm2, true, false, 1.0),                // dM += xᵀ (dh ⊙ h_{t−1})
                            Nd.mulOp(dh, factor, dPrev[0].reshape(batch, kh)),           // dh_{t−1} = dh ⊙ m_t
                        };
                    }, x, prev[0], dNext[0], dPrev[0]));
                }
            });
        }
        return steps;
    }

    /** h_t = h_{t−1} ⊙ (x_t M) + x_t A with M = exp(L), in float64. */
    static double[][] step(CellWeights w, double[] x, double[][] prev) {
        double[] factor = Matrices.times(x, factors(w));
        double[] h = Matrices.times(x, w.get("A"));
        for (int j = 0; j < h.length; j++) {
            h[j] += prev[0][j] * factor[j];
        }
        return new double[][] {h};
    }

    /** M = exp(L) of one member's weights, in float64. */
    static Tensor factors(CellWeights w) {
        return w.get("L").map(Math::exp);
    }
}
