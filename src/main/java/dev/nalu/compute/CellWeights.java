package dev.nalu.compute;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One member's recurrent cell in float64, by the names of its parameters (h0, Wx, Wh, b, …):
 * the weights {@link SequenceNetwork} steps through a sequence of any length without ND4J.
 */
public record CellWeights(CellKind kind, int in, int hidden, Map<String, Tensor> tensors) {
    public CellWeights {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(kind + " cell has no weight '" + name + "', has " + tensors.keySet());
        }
        return t;
    }

    public CellWeights with(String name, Tensor t) {
        Map<String, Tensor> m = new LinkedHashMap<>(tensors);
        m.put(name, t);
        return new CellWeights(kind, in, hidden, m);
    }
}
