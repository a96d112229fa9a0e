package dev.nalu.compute;

import java.util.ArrayList;
import java.util.List;

/** A stack of layers, e.g. NAU(100→2) then NMU(2→1). The last layer has one output. */
public record ModelSpec(int inputs, List<LayerSpec> layers) {
    public ModelSpec {
        if (inputs < 1) {
            throw new IllegalArgumentException("a model needs at least one input");
        }
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one layer");
        }
        if (layers.get(layers.size() - 1).out() != 1) {
            throw new IllegalArgumentException("the last layer must have exactly one output");
        }
    }

    public static ModelSpec of(int inputs, LayerSpec... layers) {
        return new ModelSpec(inputs, List.of(layers));
    }

    /** Input size of layer i. */
    public int in(int i) {
        return i == 0 ? inputs : layers.get(i - 1).out();
    }

    /** "NAU(100→2) → NMU(2→1)"; learned constants show as "REAL_NPU(3→2)·c" and "NAU(2+1→1)". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            String act = l.unit() == Unit.DENSE && l.activation() != Activation.NONE ? "[" + l.activation().label() + "]" : "";
            String in = l.constant() && l.unit() == Unit.NAU ? in(i) + "+1" : Integer.toString(in(i));
            String scale = l.constant() && l.unit() == Unit.REAL_NPU ? "·c" : "";
            parts.add(l.unit() + act + "(" + in + "→" + l.out() + ")" + scale);
        }
        return String.join(" → ", parts);
    }
}
