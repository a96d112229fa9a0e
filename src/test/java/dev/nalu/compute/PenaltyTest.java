package dev.nalu.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The regularisers: each penalty's gradient against central finite differences of its value, and
 * the parameter update applying λ times that gradient (times 1/N for the sparsity mean) to exactly
 * the tensors that carry it.
 */
class PenaltyTest {

    @ParameterizedTest
    @EnumSource(Penalty.class)
    void gradientMatchesFiniteDifferences(Penalty penalty) {
        double h = 1e-6;
        // away from the kinks (0, ±½, ±1, ±t, and for INTEGER every integer and half-integer) where the penalties are
        // not differentiable
        for (double w : new double[] {-25.2, -19.3, -3.1, -0.9, -0.7, -0.3, -0.1, 0.05, 0.2, 0.4, 0.6, 0.8, 0.97, 2.6, 19.9, 21.3}) {
            double numeric = (penalty.value(w + h) - penalty.value(w - h)) / (2 * h);
            assertThat(penalty.gradient(w)).as("%s at w = %s", penalty, w).isCloseTo(numeric, within(1e-6));
        }
    }

    @Test
    void sparsityAndIntegerAreMeansOverTheTensor() {
        assertThat(Penalty.SPARSITY.perWeight(200)).isEqualTo(1.0 / 200);
        assertThat(Penalty.INTEGER.perWeight(200)).isEqualTo(1.0 / 200);
        assertThat(Penalty.L1.perWeight(200)).isEqualTo(1.0);
        assertThat(Penalty.INALU.perWeight(200)).isEqualTo(1.0);
    }

    /** With zero data gradient and SGD at lr 1, one update moves each weight by −λ·perWeight·penalty'(w). */
    @Test
    void updateAddsLambdaTimesThePenaltyGradientToTheTensorsThatCarryIt() {
        int members = 3;
        ModelSpec spec = ModelSpec.of(3, LayerSpec.of(Unit.NAU, 2), LayerSpec.of(Unit.REAL_NPU, 1));
        PopulationModel model = new PopulationModel(spec, members, DataType.DOUBLE);
        for (int k = 0; k < members; k++) {
            model.initialise(k, 11 + k);
        }
        List<Network> before = List.of(model.network(0), model.network(1), model.network(2));
        ParameterUpdate update = new ParameterUpdate(model, Optimizer.SGD, null);
        double nauLambda = 0.3;
        double npuBeta = 0.02;
        model.grads.assign(0);
        update.apply(unit -> unit == Unit.NAU ? nauLambda : unit == Unit.REAL_NPU ? npuBeta : 0, 0, 1.0,
                new long[] {1, 1, 1});

        for (int k = 0; k < members; k++) {
            Network after = model.network(k);
            Tensor w0 = before.get(k).layers().get(0).get("W");
            Tensor w1 = after.layers().get(0).get("W");
            for (int i = 0; i < w0.rows(); i++) {
                for (int j = 0; j < w0.cols(); j++) {
                    double w = w0.at(i, j);
                    double expected = Math.max(-1, Math.min(1, w - nauLambda / 6 * Penalty.SPARSITY.gradient(w)));
                    assertThat(w1.at(i, j)).as("NAU W[%d,%d] of member %d", i, j, k).isCloseTo(expected, within(1e-15));
                }
            }
            Tensor g0 = before.get(k).layers().get(1).get("g");
            Tensor g1 = after.layers().get(1).get("g");
            for (int j = 0; j < g0.cols(); j++) {
                double g = g0.at(0, j);
                double expected = Math.max(0, Math.min(1, g - npuBeta * Penalty.L1.gradient(g)));
                assertThat(g1.at(0, j)).as("RealNPU gate %d of member %d", j, k).isCloseTo(expected, within(1e-15));
            }
        }
    }
}
