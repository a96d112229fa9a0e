package dev.nalu.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The refit's forward differences move one weight at a time from kept layer inputs: every prediction must be the
 * moved network's own, bit for bit, or the refit (and so the search's result) would change with the speed-up.
 */
class NetworkDifferencesTest {
    static List<ModelSpec> shapes() {
        return List.of(
                ModelSpec.of(3, LayerSpec.withConstant(Unit.REAL_NPU, 4), LayerSpec.withConstant(Unit.NAU, 2),
                        LayerSpec.withConstant(Unit.REAL_NPU, 1)),
                ModelSpec.of(3, LayerSpec.withConstant(Unit.NAU, 4), LayerSpec.withConstant(Unit.REAL_NPU, 1)),
                ModelSpec.of(2, LayerSpec.of(Unit.REAL_NPU, 2), LayerSpec.of(Unit.NAU, 1)),
                ModelSpec.of(3, LayerSpec.of(Unit.NMU, 2), LayerSpec.withConstant(Unit.NAU, 1)),
                ModelSpec.of(4, LayerSpec.withConstant(Unit.NAU, 2), LayerSpec.of(Unit.NMU, 1)));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void everyMovedWeightPredictsAsTheMovedNetwork(ModelSpec spec) {
        PopulationModel model = new PopulationModel(spec, 1, DataType.DOUBLE);
        model.initialise(0, 7);
        Network n = model.network(0);
        Random random = new Random(3);
        // open gates strictly inside (0, 1), so every path of the RealNPU's forward is taken
        for (int l = 0; l < n.layers().size(); l++) {
            LayerWeights lw = n.layers().get(l);
            if (lw.spec().unit() == Unit.REAL_NPU) {
                double[] g = lw.get("g").data().clone();
                for (int i = 0; i < g.length; i++) {
                    g[i] = 0.2 + 0.7 * random.nextDouble();
                }
                n = n.withLayer(l, lw.with("g", new Tensor(1, g.length, g)));
            }
        }
        int rows = 50;
        double[] x = new double[rows * spec.inputs()];
        for (int i = 0; i < x.length; i++) {
            x[i] = -2 + 5 * random.nextDouble();   // negative inputs too: the RealNPU's cosine
        }
        NetworkDifferences differences = new NetworkDifferences(n, x, rows);
        List<String> checked = new ArrayList<>();
        for (int l = 0; l < n.layers().size(); l++) {
            LayerWeights lw = n.layers().get(l);
            for (String name : lw.tensors().keySet()) {
                Tensor t = lw.get(name);
                for (int i = 0; i < t.data().length; i++) {
                    double value = t.data()[i] + 1e-7 * Math.max(1, Math.abs(t.data()[i]));
                    double[] v = t.data().clone();
                    v[i] = value;
                    Network moved = n.withLayer(l, lw.with(name, new Tensor(t.rows(), t.cols(), v)));
                    assertThat(differences.predict(l, name, i, value)).as("layer %d %s[%d]", l, name, i)
                            .containsExactly(moved.predict(x, rows));
                    checked.add(l + name + i);
                }
            }
        }
        assertThat(checked).hasSizeGreaterThan(5);
    }
}
