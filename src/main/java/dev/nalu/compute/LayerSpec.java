package dev.nalu.compute;

import java.util.Objects;

/**
 * One layer of a model: its unit, its output size, (dense only) its activation, and whether it
 * carries a learned constant ({@code constant}, for the architecture search of {@code dev.nalu.search}):
 * a RealNPU layer then multiplies each output by a learned scale c = exp(s) (NPU(n→m)·c), and a NAU
 * layer sees one more input that is always 1, whose weight row b adds a learned constant to each
 * output (NAU(n+1→m)). Other units take no constant.
 */
public record LayerSpec(Unit unit, int out, Activation activation, boolean constant) {
    public LayerSpec {
        Objects.requireNonNull(unit, "unit");
        if (out < 1) {
            throw new IllegalArgumentException("layer output size must be at least 1, got " + out);
        }
        activation = activation == null ? Activation.NONE : activation;
        if (unit != Unit.DENSE && activation != Activation.NONE) {
            throw new IllegalArgumentException(unit + " takes no activation");
        }
        if (constant && unit != Unit.REAL_NPU && unit != Unit.NAU) {
            throw new IllegalArgumentException(unit + " takes no learned constant (only REAL_NPU and NAU do)");
        }
    }

    public LayerSpec(Unit unit, int out, Activation activation) {
        this(unit, out, activation, false);
    }

    public static LayerSpec of(Unit unit, int out) {
        return new LayerSpec(unit, out, Activation.NONE);
    }

    public static LayerSpec dense(int out, Activation activation) {
        return new LayerSpec(Unit.DENSE, out, activation);
    }

    /** A RealNPU layer with a learned scale per output, or a NAU layer with a constant-1 input. */
    public static LayerSpec withConstant(Unit unit, int out) {
        return new LayerSpec(unit, out, Activation.NONE, true);
    }

    @Override
    public String toString() {
        String base = unit == Unit.DENSE && activation != Activation.NONE ? unit + "[" + activation.label() + "](" + out + ")"
                : unit + "(" + out + ")";
        return constant ? base + (unit == Unit.NAU ? "+1" : "·c") : base;
    }
}
