package dev.nalu.compute;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A scaled power of one value, NPU(1→1)·c (the head of the search's power-of-a-sum family), starts with its gate
 * open and its exponent from a fixed spread over the members; the terms of a sum (an NPU·c feeding a NAU) start
 * with Glorot's exponents and open gates; every other RealNPU keeps Glorot and g = ½.
 */
class PowerStartTest {
    @Test
    void theHeadOfAPowerOfASumStartsFromASpreadOfPowers() {
        ModelSpec spec = ModelSpec.of(2, LayerSpec.withConstant(Unit.REAL_NPU, 2), LayerSpec.withConstant(Unit.NAU, 1),
                LayerSpec.withConstant(Unit.REAL_NPU, 1));
        PopulationModel model = new PopulationModel(spec, 10, DataType.DOUBLE);
        for (int k = 0; k < 10; k++) {
            model.initialise(k, 100 + k);
            Network n = model.network(k);
            LayerWeights head = n.layers().get(2);
            assertThat(head.get("W").at(0)).isEqualTo(RealNpu.POWER_STARTS[k % RealNpu.POWER_STARTS.length]);
            assertThat(head.get("g").at(0)).isEqualTo(1.0);
            LayerWeights terms = n.layers().get(0);
            assertThat(terms.get("g").data()).containsOnly(1.0);
            for (double w : terms.get("W").data()) {
                assertThat(Math.abs(w)).isLessThanOrEqualTo(Math.sqrt(6.0 / 4) + 1e-12);
            }
        }
        assertThat(model.network(0).layers().get(2).get("W").at(0)).isEqualTo(0.5);
    }

    @Test
    void onlyScaledTermsOfASumStartWithOpenGates() {
        ModelSpec unscaled = ModelSpec.of(2, LayerSpec.of(Unit.REAL_NPU, 2), LayerSpec.withConstant(Unit.NAU, 1));
        ModelSpec quotient = ModelSpec.of(2, LayerSpec.withConstant(Unit.NAU, 2), LayerSpec.withConstant(Unit.REAL_NPU, 1));
        ModelSpec scaled = ModelSpec.of(2, LayerSpec.withConstant(Unit.REAL_NPU, 3), LayerSpec.withConstant(Unit.NAU, 1));
        for (ModelSpec spec : new ModelSpec[] {unscaled, quotient, scaled}) {
            PopulationModel model = new PopulationModel(spec, 3, DataType.DOUBLE);
            for (int k = 0; k < 3; k++) {
                model.initialise(k, 11 + k);
                Network n = model.network(k);
                int npu = spec == quotient ? 1 : 0;
                assertThat(n.layers().get(npu).get("g").data()).containsOnly(spec == scaled ? 1.0 : 0.5);
            }
        }
    }

    @Test
    void aPowerWithoutAScaleKeepsGlorot() {
        PopulationModel model = new PopulationModel(ModelSpec.of(1, LayerSpec.of(Unit.REAL_NPU, 1)), 4, DataType.DOUBLE);
        boolean anyOther = false;
        for (int k = 0; k < 4; k++) {
            model.initialise(k, 7 + k);
            LayerWeights lw = model.network(k).layers().get(0);
            assertThat(lw.get("g").at(0)).isEqualTo(0.5);
            anyOther |= lw.get("W").at(0) != RealNpu.POWER_STARTS[k];
        }
        assertThat(anyOther).isTrue();
    }
}
