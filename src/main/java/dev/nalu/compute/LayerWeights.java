package dev.nalu.compute;

import java.util.LinkedHashMap;
import java.util.Map;

/** One member's trained weights of one layer, in float64, by the parameter names of its paper (W, Ŵ, M̂, G, g, b). */
public record LayerWeights(LayerSpec spec, int in, Map<String, Tensor> tensors) {
    public LayerWeights {
        tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(spec.unit() + " layer has no weight '" + name + "', has " + tensors.keySet());
        }
        return t;
    }

    public int out() {
        return spec.out();
    }

    public LayerWeights with(String name, Tensor t) {
        Map<String, Tensor> m = new LinkedHashMap<>(tensors);
        m.put(name, t);
        return new LayerWeights(spec, in, m);
    }
}
