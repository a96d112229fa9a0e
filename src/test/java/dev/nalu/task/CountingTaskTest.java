package dev.nalu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.nalu.compute.CellKind;
import dev.nalu.compute.SequenceData;
import dev.nalu.compute.SequenceNetwork;
import dev.nalu.compute.SequenceRegulariser;
import dev.nalu.compute.SequenceResult;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.SequenceTrainer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.Unit;

/**
 * Counting symbols: the samples and targets, the ε-threshold, and an NAU cell that learns to count
 * from sequences of 10 and, selected on validation and snapped, counts exactly at 1000 and 10,000.
 */
class CountingTaskTest {
    private static final int K = 3;

    @Test
    void samplesAreOneHotAndTargetsCountEachSymbol() {
        CountingTask task = new CountingTask(K);
        SequenceTaskData data = new SequenceTaskData(task, 5, 10, List.of(100), 16, 8);
        assertThat(data.inputs()).isEqualTo(K);
        assertThat(data.outputs()).isEqualTo(K);
        double[] x = new double[3 * 10 * K];
        double[] y = new double[3 * K];
        data.batch(7, x, y, 3);
        for (int r = 0; r < 3; r++) {
            double[] counts = new double[K];
            for (int t = 0; t < 10; t++) {
                double ones = 0;
                for (int j = 0; j < K; j++) {
                    double v = x[(r * 10 + t) * K + j];
                    assertThat(v).isIn(0.0, 1.0);
                    ones += v;
                    counts[j] += v;
                }
                assertThat(ones).as("one symbol per step").isEqualTo(1);
            }
            for (int j = 0; j < K; j++) {
                assertThat(y[r * K + j]).isEqualTo(counts[j]);
            }
        }
        double[] again = new double[x.length];
        data.batch(7, again, new double[y.length], 3);
        assertThat(again).isEqualTo(x);
        // the ε-threshold is positive and grows with the length, as the perturbed counter drifts
        double t10 = data.validation().threshold();
        double t100 = data.extrapolation().get(0).threshold();
        assertThat(t10).isPositive();
        assertThat(t100).isGreaterThan(10 * t10);
        assertThatThrownBy(() -> new CountingTask(0)).hasMessageContaining("symbols");
    }

    @Test
    void theNauCellLearnsToCountAndSnappedCountsExactlyFarBeyondItsTrainingLength() {
        CountingTask task = new CountingTask(K);
        SequenceTaskData data = new SequenceTaskData(task, 1, 10, List.of(100, 1000), 256, 64);
        long steps = 3000;
        SequenceSpec spec = SequenceSpec.of(K, CellKind.NAU).withHidden(K).withHead(Unit.NAU).withOutputs(K);
        TrainingConfig config = TrainingConfig.defaults(1, steps).withPopulation(8).withBatchSize(64)
                .withLearningRate(1e-2).withEvaluateEvery((int) steps).withSplitInputMean(false);
        SequenceResult result = new SequenceTrainer(spec, data, config,
                SequenceRegulariser.linear(1, steps / 3, 2 * steps / 3)).run(p -> System.out.println(p), () -> false);
        SequenceNetwork snapped = result.network().snapped();
        assertThat(snapped).as("an NAU cell with an NAU head snaps").isNotNull();
        System.out.println("counting, snapped: " + snapped.formula());
        assertThat(SequenceTrainer.mse(snapped, data.validation())).as("snapped validation MSE").isZero();
        for (SequenceData.EvalSet set : data.extrapolation()) {
            CountingTask.Accuracy a = CountingTask.accuracy(snapped, set);
            System.out.printf("%s: rounded counts right in %.4f of sequences; unsnapped %.4f%n", set.name(),
                    a.sequences(), CountingTask.accuracy(result.network(), set).sequences());
            assertThat(a.sequences()).as(set.name()).isEqualTo(1.0);
            assertThat(SequenceTrainer.mse(snapped, set)).as(set.name()).isZero();
        }
        // length 10,000 in float64: the snapped network's outputs are the counts, bit for bit
        int length = 10_000;
        double[] x = new double[length * K];
        double[] counts = new double[K];
        for (int row = 0; row < 3; row++) {
            task.sample(Rng.seeded(97, row), x, 0, length);
            task.targets(x, 0, length, counts, 0);
            assertThat(snapped.predictAll(x, 0, length)).as("row %d", row).isEqualTo(counts);
        }
    }
}
