package dev.nalu.compute;

import java.util.Objects;

/** One layer of a model: its unit, its output size and (dense only) its activation. */
public record LayerSpec(Unit unit, int out, Activation activation) {
    public LayerSpec {
        Objects.requireNonNull(unit, "unit");
        if (out < 1) {
            throw new IllegalArgumentException("layer output size must be at least 1, got " + out);
        }
        activation = activation == null ? Activation.NONE : activation;
        if (unit != Unit.DENSE && activation != Activation.NONE) {
            throw new IllegalArgumentException(unit + " takes no activation");
        }
    }

    public static LayerSpec of(Unit unit, int out) {
        return new LayerSpec(unit, out, Activation.NONE);
    }

    public static LayerSpec dense(int out, Activation activation) {
        return new LayerSpec(Unit.DENSE, out, activation);
    }

    @Override
    public String toString() {
        return unit == Unit.DENSE && activation != Activation.NONE ? unit + "[" + activation.label() + "](" + out + ")"
                : unit + "(" + out + ")";
    }
}
