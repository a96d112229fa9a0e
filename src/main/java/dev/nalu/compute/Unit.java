package dev.nalu.compute;

/** The units of the NALU family, and the dense baseline. */
public enum Unit {
    /** Trask et al. 2018: W = tanh(Ŵ)⊙σ(M̂), a = xW. */
    NAC_ADD,
    /** Trask et al. 2018: m = exp(log(|x|+ε) W). */
    NAC_MUL,
    /** Trask et al. 2018: g = σ(xG), y = g⊙a + (1−g)⊙m, W shared by both paths. */
    NALU,
    /** Schlör et al. 2020: separate weights, input-independent gate, sign correction, clipped exponent. */
    INALU,
    /** Madsen and Johansen 2020: a = xW, W clamped to [-1, 1]. */
    NAU,
    /** Madsen and Johansen 2020: z_j = ∏_i (W_ij x_i + 1 − W_ij), W clamped to [0, 1]. */
    NMU,
    /** Heim et al. 2020: z = exp(W log r) ⊙ cos(π W k), with a relevance gate. */
    REAL_NPU,
    /** y = act(xW + b): the multilayer-perceptron baseline. */
    DENSE;

    /** Parses "NAU", "nac+", "real-npu", "RealNPU", ... */
    public static Unit parse(String text) {
        String t = text.trim().toUpperCase().replace('-', '_').replace(' ', '_');
        return switch (t) {
            case "NAC+", "NAC_ADD", "NACADD", "NAC" -> NAC_ADD;
            case "NAC*", "NAC•", "NAC_MUL", "NACMUL" -> NAC_MUL;
            case "REALNPU", "REAL_NPU", "NPU" -> REAL_NPU;
            case "DENSE", "LINEAR", "MLP" -> DENSE;
            default -> Unit.valueOf(t);
        };
    }

    /** Whether snapping can turn a trained layer of this unit into an exact formula. */
    public boolean snappable() {
        return this != DENSE;
    }
}
