package dev.nalu.compute;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Every member's tensors can be written and read back, in both storage layouts, in a model as deep as
 * Trask et al.'s identity MLP (1 → 8 → 8 → 8 → 1): with per-member sub-views, initialising members 6
 * and 7 of its second layer failed in ND4J (a NullPointerException in DataBuffer.put).
 */
class ParamTest {

    @ParameterizedTest(name = "K = {0}")
    @ValueSource(ints = {1, 4, 8, 16})
    void everyMemberOfADeepModelRoundTrips(int members) {
        ModelSpec spec = ModelSpec.of(1, LayerSpec.dense(8, Activation.TANH), LayerSpec.dense(8, Activation.TANH),
                LayerSpec.dense(8, Activation.TANH), LayerSpec.dense(1, Activation.NONE));
        PopulationModel model = new PopulationModel(spec, members, DataType.FLOAT);
        for (int k = 0; k < members; k++) {
            model.initialise(k, 100 + k);
        }
        for (Param p : model.params) {
            for (int k = 0; k < members; k++) {
                double[] v = new double[p.rows * p.cols];
                for (int i = 0; i < v.length; i++) {
                    v[i] = k + i / 1000.0; // exact in float32
                }
                p.write(k, new Tensor(p.rows, p.cols, v));
            }
            for (int k = 0; k < members; k++) {
                Tensor t = p.read(k);
                for (int i = 0; i < t.rows() * t.cols(); i++) {
                    assertThat(t.data()[i]).as("%s member %d value %d", p.name, k, i).isCloseTo(k + i / 1000.0,
                            org.assertj.core.data.Offset.offset(1e-6));
                }
            }
        }
    }
}
