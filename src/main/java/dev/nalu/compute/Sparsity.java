package dev.nalu.compute;

/**
 * Madsen and Johansen 2020's sparsity error: the largest distance of any discrete-valued weight
 * from {-1, 0, 1}, max min(|W|, |1 − |W||). For NAC-style units W = tanh(Ŵ)⊙σ(M̂); units without
 * such weights (dense layers, RealNPU exponents) do not count.
 */
public final class Sparsity {
    private Sparsity() {
    }

    public static double error(Network network) {
        double worst = 0;
        for (LayerWeights lw : network.layers()) {
            worst = Math.max(worst, error(lw));
        }
        return worst;
    }

    /** The sparsity error of one layer's discrete-valued weights; 0 for a layer without any. */
    public static double error(LayerWeights lw) {
        Tensor w = switch (lw.spec().unit()) {
            case NAU, NMU -> lw.get("W");
            case NAC_ADD, NAC_MUL, NALU -> NacWeight.weight(lw, "");
            default -> null;
        };
        double worst = 0;
        if (w != null) {
            for (double v : w.data()) {
                double a = Math.abs(v);
                worst = Math.max(worst, Math.min(a, Math.abs(1 - a)));
            }
        }
        return worst;
    }
}
