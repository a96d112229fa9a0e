package dev.nalu.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Finite differences in float64 prove every unit's hand-written backward pass, both as a first
 * layer (shared input, GEMM path) and as a later layer (per-member input, whose input gradient
 * must reach the layer before it). They also prove that each member's float64 forward pass
 * ({@link Network}) computes what the population computes.
 */
class GradientCheckTest {
    private static final int MEMBERS = 3;
    private static final int ROWS = 6;

    static Stream<Arguments> models() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Unit u : Unit.values()) {
            if (u == Unit.DENSE) {
                continue;
            }
            b.add(Arguments.of(u + " first", ModelSpec.of(3, LayerSpec.of(u, 2), LayerSpec.of(Unit.NAU, 1))));
            b.add(Arguments.of(u + " second", ModelSpec.of(3, LayerSpec.of(Unit.NAU, 2), LayerSpec.of(u, 1))));
            b.add(Arguments.of(u + " alone", ModelSpec.of(2, LayerSpec.of(u, 1))));
            // three per-member inputs to one output, and per-member inputs to two outputs
            b.add(Arguments.of(u + " second, 3 inputs", ModelSpec.of(3, LayerSpec.of(Unit.NAU, 3), LayerSpec.of(u, 1))));
            b.add(Arguments.of(u + " middle", ModelSpec.of(3, LayerSpec.of(Unit.NAU, 3), LayerSpec.of(u, 2), LayerSpec.of(Unit.NAU, 1))));
        }
        // learned constants: RealNPU's scale c = exp(s), NAU's constant-1 input
        LayerSpec npuC = LayerSpec.withConstant(Unit.REAL_NPU, 2);
        LayerSpec nauC = LayerSpec.withConstant(Unit.NAU, 2);
        b.add(Arguments.of("NPU·c first", ModelSpec.of(3, npuC, LayerSpec.withConstant(Unit.NAU, 1))));
        b.add(Arguments.of("NPU·c alone", ModelSpec.of(2, LayerSpec.withConstant(Unit.REAL_NPU, 1))));
        b.add(Arguments.of("NAU+1 first", ModelSpec.of(3, nauC, LayerSpec.withConstant(Unit.REAL_NPU, 1))));
        b.add(Arguments.of("NAU+1 alone", ModelSpec.of(2, LayerSpec.withConstant(Unit.NAU, 1))));
        b.add(Arguments.of("NPU·c → NAU+1 → NPU·c", ModelSpec.of(3, npuC, LayerSpec.withConstant(Unit.NAU, 1),
                LayerSpec.withConstant(Unit.REAL_NPU, 1))));
        b.add(Arguments.of("NAU+1 → NMU", ModelSpec.of(3, nauC, LayerSpec.of(Unit.NMU, 1))));
        for (Activation a : Activation.values()) {
            b.add(Arguments.of("dense " + a, ModelSpec.of(3, LayerSpec.dense(4, a), LayerSpec.dense(3, a), LayerSpec.dense(1, Activation.NONE))));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void backwardMatchesFiniteDifferences(String name, ModelSpec spec) {
        PopulationModel model = new PopulationModel(spec, MEMBERS, DataType.DOUBLE);
        SplittableRandom rng = new SplittableRandom(7);
        for (int k = 0; k < MEMBERS; k++) {
            model.initialise(k, 100 + k);
        }
        // move off symmetric starting points (gates at ½, G = 0) so every term of the gradient shows
        double[] v = model.values.toDoubleVector();
        for (int i = 0; i < v.length; i++) {
            v[i] += 0.2 * (rng.nextDouble() - 0.5);
        }
        model.values.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(v));

        PopulationModel.Batch batch = model.newBatch(ROWS);
        double[] x = new double[ROWS * spec.inputs()];
        double[] t = new double[ROWS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (rng.nextBoolean() ? 1 : -1) * (0.5 + 1.5 * rng.nextDouble());
        }
        for (int i = 0; i < t.length; i++) {
            t[i] = rng.nextDouble() * 4 - 2;
        }
        batch.load(x, t);
        batch.forward();
        batch.backward();
        double[] analytic = model.grads.toDoubleVector();

        INDArray values = model.values;
        double h = 1e-6;
        int checked = 0;
        for (int i = 0; i < analytic.length; i++) {
            double orig = values.getDouble(i);
            values.putScalar(i, orig + h);
            double plus = totalLoss(batch);
            values.putScalar(i, orig - h);
            double minus = totalLoss(batch);
            values.putScalar(i, orig);
            double numeric = (plus - minus) / (2 * h);
            double scale = Math.max(1, Math.max(Math.abs(numeric), Math.abs(analytic[i])));
            assertThat(Math.abs(numeric - analytic[i]) / scale)
                    .as("%s: d loss / d param[%d] analytic %s numeric %s", name, i, analytic[i], numeric)
                    .isLessThan(1e-5);
            checked++;
        }
        assertThat(checked).isEqualTo(model.values.length());

        // the float64 reference forward of each member computes what the population computed
        batch.forward();
        for (int k = 0; k < MEMBERS; k++) {
            double[] population = batch.predictions(k);
            double[] reference = model.network(k).predict(x, ROWS);
            for (int r = 0; r < ROWS; r++) {
                assertThat(population[r]).as("%s member %d row %d", name, k, r)
                        .isCloseTo(reference[r], org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(reference[r]))));
            }
        }
    }

    private static double totalLoss(PopulationModel.Batch batch) {
        batch.forward();
        double sum = 0;
        for (double l : batch.meanSquaredErrors()) {
            sum += l;
        }
        return sum;
    }
}
