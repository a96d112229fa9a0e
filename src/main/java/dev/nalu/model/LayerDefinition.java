package dev.nalu.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.nalu.compute.Activation;
import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.Unit;

/**
 * One layer as JSON: its unit (NAU, NMU, NAC_ADD, NAC_MUL, NALU, INALU, REAL_NPU, DENSE), its
 * output size, for DENSE only its activation, and whether it carries a learned constant (NAU: a constant-1
 * input; REAL_NPU: a scale per output; written only when true).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LayerDefinition(String unit, int out, String activation, Boolean constant) {

    public LayerDefinition(String unit, int out, String activation) {
        this(unit, out, activation, null);
    }

    public static LayerDefinition of(LayerSpec spec) {
        return new LayerDefinition(spec.unit().name(), spec.out(),
                spec.unit() == Unit.DENSE ? spec.activation().name().toLowerCase() : null, spec.constant() ? true : null);
    }

    /** @throws IllegalArgumentException if the unit is unknown or takes no constant */
    public LayerSpec toSpec() {
        Unit u = Unit.parse(unit);
        return new LayerSpec(u, out, activation == null ? Activation.NONE : Activation.parse(activation),
                Boolean.TRUE.equals(constant));
    }
}
