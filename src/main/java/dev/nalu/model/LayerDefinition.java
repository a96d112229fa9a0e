package dev.nalu.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.nalu.compute.Activation;
import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.Unit;

/**
 * One layer as JSON: its unit (NAU, NMU, NAC_ADD, NAC_MUL, NALU, INALU, REAL_NPU, DENSE), its
 * output size and, for DENSE only, its activation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LayerDefinition(String unit, int out, String activation) {

    public static LayerDefinition of(LayerSpec spec) {
        return new LayerDefinition(spec.unit().name(), spec.out(),
                spec.unit() == Unit.DENSE ? spec.activation().name().toLowerCase() : null);
    }

    public LayerSpec toSpec() {
        Unit u = Unit.parse(unit);
        return new LayerSpec(u, out, activation == null ? Activation.NONE : Activation.parse(activation));
    }
}
