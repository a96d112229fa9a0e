package dev.nalu.task;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Recurrent cells learn arithmetic over sequences from length 10 and, snapped, keep it at lengths
 * they never saw. Fixed seeds; the member is selected on validation at the training length and
 * snapped without looking at any longer sequence; only then is it measured far out.
 */
class SequenceLearningTest {

    private static TrainingConfig config(long seed, int k, long steps) {
        return TrainingConfig.defaults(seed, steps).withPopulation(k).withBatchSize(64).withLearningRate(1e-2)
                .withEvaluateEvery((int) steps).withSplitInputMean(false);
    }

    @Test
    void theNauCellLearnsTheRunningSumAndSnappedSumsTenThousandStepsExactly() {
        SequenceTaskData data = new SequenceTaskData(new RunningTotalTask(RunningTotalTask.Kind.SUM), 1, 10,
                List.of(100), 256, 64);
        long steps = 3000;
        SequenceResult result = new SequenceTrainer(SequenceSpec.of(1, CellKind.NAU), data, config(1, 8, steps),
                SequenceRegulariser.linear(10, steps / 3, 2 * steps / 3)).run(p -> System.out.println(p), () -> false);
        SequenceNetwork snapped = result.network().snapped();
        assertThat(snapped).as("an NAU cell with an NAU head snaps").isNotNull();
        System.out.println("running sum, snapped: " + snapped.formula());
        assertThat(SequenceTrainer.mse(snapped, data.validation())).as("snapped validation MSE").isZero();

        // length 10,000 in float64: the snapped cell adds exactly as a sequential sum does
        int length = 10_000;
        double[] x = new double[length];
        Rng rng = Rng.seeded(99, 0);
        for (int row = 0; row < 5; row++) {
            double sum = 0;
            for (int t = 0; t < length; t++) {
                x[t] = RunningTotalTask.SUM_DOMAIN.sample(rng.nextDouble());
                sum += x[t];
            }
            assertThat(snapped.predictOne(x, 0, length)).as("row %d", row).isEqualTo(sum);
        }
        // and the unsnapped member it came from does not: rounding made the difference
        assertThat(result.network().predictOne(x, 0, length)).isNotEqualTo(snapped.predictOne(x, 0, length));
    }

    @Test
    void theNmuCellLearnsTheRunningProductAndSnappedMultipliesThousandSteps() {
        SequenceTaskData data = new SequenceTaskData(new RunningTotalTask(RunningTotalTask.Kind.PRODUCT), 1, 10,
                List.of(1000), 256, 64);
        long steps = 3000;
        SequenceResult result = new SequenceTrainer(SequenceSpec.of(1, CellKind.NMU), data, config(1, 8, steps),
                SequenceRegulariser.linear(10, steps / 3, 2 * steps / 3)).run(p -> System.out.println(p), () -> false);
        SequenceNetwork snapped = result.network().snapped();
        assertThat(snapped).as("an NMU cell with an NMU head snaps").isNotNull();
        System.out.println("running product, snapped: " + snapped.formula());
        SequenceData.EvalSet validation = data.validation();
        assertThat(SequenceTrainer.mse(snapped, validation)).isLessThan(validation.threshold());
        // length 1000 in float64: the snapped cell multiplies (in another order than a sequential product)
        int length = 1000;
        double[] x = new double[length];
        Rng rng = Rng.seeded(98, 0);
        for (int row = 0; row < 5; row++) {
            double product = 1;
            for (int t = 0; t < length; t++) {
                x[t] = RunningTotalTask.PRODUCT_DOMAIN.sample(rng.nextDouble());
                product *= x[t];
            }
            assertThat(snapped.predictOne(x, 0, length)).as("row %d", row)
                    .isCloseTo(product, org.assertj.core.data.Percentage.withPercentage(1e-10));
        }
        assertThat(SequenceTrainer.mse(snapped, data.extrapolation().get(0))).isLessThan(data.extrapolation().get(0).threshold());
    }

    @Test
    void theNauCellLearnsRecurrentAdditionAndSnappedExtrapolatesToLengthThousand() {
        RecurrentArithmeticTask task = new RecurrentArithmeticTask(ArithmeticTask.Op.ADD, 1);
        SequenceTaskData data = new SequenceTaskData(task, 1, 10, List.of(1000), 512, 256);
        long steps = 5000;
        SequenceSpec spec = SequenceSpec.of(10, CellKind.NAU).withHead(Unit.NAU);
        SequenceResult result = new SequenceTrainer(spec, data, config(1, 16, steps),
                SequenceRegulariser.linear(1, steps / 3, 2 * steps / 3)).run(p -> System.out.println(p), () -> false);
        SequenceNetwork snapped = result.network().snapped();
        assertThat(snapped).isNotNull();
        System.out.println(task.describe() + ", snapped: " + snapped.formula());
        SequenceData.EvalSet validation = data.validation();
        assertThat(SequenceTrainer.mse(snapped, validation)).as("snapped validation MSE, length 10")
                .isLessThan(validation.threshold());
        SequenceData.EvalSet far = data.extrapolation().get(0);
        double mse = SequenceTrainer.mse(snapped, far);
        System.out.printf("length %d: snapped MSE %.3g, threshold %.3g; unsnapped %.3g%n", far.length(), mse,
                far.threshold(), result.extrapolationMse()[0][result.selected()]);
        assertThat(mse).as("snapped MSE at length 1000").isLessThan(far.threshold());
    }
}
