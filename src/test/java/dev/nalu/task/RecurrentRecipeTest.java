package dev.nalu.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.nalu.compute.SequenceData;
import dev.nalu.compute.SequenceNetwork;
import dev.nalu.compute.SequenceResult;
import dev.nalu.compute.SequenceTrainer;

/**
 * The recipe "auto" trains for each op of the recurrent arithmetic task (docs/sequence.md, "The
 * recipe"), as it stands, on fixed seeds: the run stops at the first evaluation where a member's
 * snapped network is below the validation threshold at length 10, and that network meets the
 * ε-criterion at length 1000. A run given length-100 and length-1000 sets and a wider value range stops
 * at the same step with the same network as a run given none: the stop and the selection never read
 * test sets (so the per-op runs train without them, which keeps them fast, and are judged afterwards).
 */
class RecurrentRecipeTest {
    private static final int ROWS = 512;

    private static SequenceTaskData data(RecurrentArithmeticTask task, long seed, List<Integer> testLengths, int testRows) {
        return new SequenceTaskData(task, seed, 10, testLengths, ROWS, testRows);
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @CsvSource({"add, 6", "sub, 2", "mul, 1", "square, 2"})
    void autoSnapsToAnExactModelThatHoldsAtLengthThousand(String name, long seed) {
        ArithmeticTask.Op op = ArithmeticTask.Op.parse(name);
        RecurrentRecipe recipe = RecurrentRecipe.forOp(op).withSeed(seed);
        RecurrentArithmeticTask task = new RecurrentArithmeticTask(op, seed);
        SequenceResult result = recipe.train(data(task, seed, List.of(), ROWS));
        SequenceTaskData data = data(task, seed, List.of(1000), ROWS);
        System.out.printf("%s: stopped at step %d, %s%n", task.describe(), result.steps(), result.network().formula());
        assertThat(result.snapped()).as("stopped on an exact snapped network").isTrue();
        assertThat(result.steps()).isLessThan(recipe.config().steps());
        SequenceNetwork network = result.network();
        assertThat(network.formula()).as("every weight in {−1, 0, 1}").isNotNull();
        SequenceData.EvalSet validation = data.validation();
        assertThat(SequenceTrainer.mse(network, validation)).isLessThan(validation.threshold());
        SequenceData.EvalSet far = data.extrapolation().get(0);
        double mse = SequenceTrainer.mse(network, far);
        System.out.printf("length 1000: MSE %.3g, threshold %.3g%n", mse, far.threshold());
        assertThat(mse).as("snapped MSE at length 1000").isLessThan(far.threshold());
    }

    @Test
    void theStopAndTheSelectionNeverReadTestLengthsOrRanges() {
        ArithmeticTask.Op op = ArithmeticTask.Op.SQUARE;
        long seed = 2;
        RecurrentRecipe recipe = RecurrentRecipe.forOp(op).withSeed(seed);
        RecurrentArithmeticTask task = new RecurrentArithmeticTask(op, seed);
        SequenceResult with = recipe.train(new SequenceTaskData(task, seed, 10, List.of(100, 1000), ROWS, 16,
                List.of(task.withDomain(Domain.of(1, 5)))));
        assertThat(with.extrapolationMse()).hasNumberOfRows(3);
        SequenceResult without = recipe.train(data(task, seed, List.of(), 16));
        assertThat(with.snapped()).isTrue();
        assertThat(without.steps()).isEqualTo(with.steps());
        assertThat(without.selected()).isEqualTo(with.selected());
        assertThat(without.network().cell().tensors()).isEqualTo(with.network().cell().tensors());
        assertThat(without.network().head().tensors()).isEqualTo(with.network().head().tensors());
    }

    @Test
    void everyOpHasARecipeWithAReason() {
        for (ArithmeticTask.Op op : ArithmeticTask.Op.values()) {
            RecurrentRecipe r = RecurrentRecipe.forOp(op);
            assertThat(r.reason()).isNotBlank();
            assertThat(r.spec().inputs()).isEqualTo(RecurrentArithmeticTask.DEFAULT_INPUTS);
            assertThat(r.config().steps()).isEqualTo(RecurrentRecipe.STEPS);
        }
    }
}
