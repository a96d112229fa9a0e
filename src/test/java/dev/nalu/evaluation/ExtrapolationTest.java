package dev.nalu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.Trainer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.TrainingResult;
import dev.nalu.compute.Unit;
import dev.nalu.task.Dataset;
import dev.nalu.task.Domain;
import dev.nalu.task.ExpressionTask;

/**
 * Each op with its natural unit, trained on U[1,2] with a fixed seed, must extrapolate: the
 * selected member meets the ε-criterion on U[2,6] and U[10,100], and snapping yields the exact
 * formula, which is exact in float64 on a range a thousand times wider than training.
 */
class ExtrapolationTest {

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource(delimiter = '|', value = {
            "a + b | NAU      | y = a + b | CRITERION",
            "a - b | NAU      | y = a − b | CRITERION",
            "a * b | NMU      | y = a × b | CRITERION",
            "a / b | REAL_NPU | y = a ÷ b | CRITERION",
    })
    void learnsTheOpAndExtrapolates(String expression, String unit, String formula, String trained) {
        ExpressionTask task = ExpressionTask.parse(expression, Map.of("a", Domain.of(1, 2), "b", Domain.of(1, 2)));
        List<Domain> tests = List.of(Domain.of(2, 6), Domain.of(10, 100));
        long seed = 42;
        TaskData data = new TaskData(task, tests, seed, 2000);
        ModelSpec spec = ModelSpec.of(2, LayerSpec.of(Unit.parse(unit), 1));
        TrainingConfig config = TrainingConfig.defaults(seed, 6000).withLearningRate(0.01).withEvaluateEvery(1000)
                .withType(org.nd4j.linalg.api.buffer.DataType.FLOAT);

        TrainingResult result = new Trainer(spec, data, config).run(p -> { }, () -> false);

        for (int i = 0; i < tests.size() && trained.equals("CRITERION"); i++) {
            double mse = result.extrapolationMse()[i][result.selected()];
            assertThat(mse).as("%s extrapolation MSE on %s", expression, tests.get(i))
                    .isLessThan(data.extrapolation().get(i).threshold());
        }
        Snapper.Snap snap = Snapper.snap(result.network(), Dataset.interpolation(task, 2000, 7));
        assertThat(snap.matchesNetwork()).isTrue();
        assertThat(snap.text(task.variables())).isEqualTo(formula);

        Dataset far = Dataset.on(task, Domain.of(1e3, 1e6), 1000, 3);
        assertThat(snap.firstMismatch(far)).as("first row of U[1e3, 1e6] where the formula is not exact").isEqualTo(-1);
    }
}
