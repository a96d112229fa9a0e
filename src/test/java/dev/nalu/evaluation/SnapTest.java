package dev.nalu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.nalu.task.Dataset;
import dev.nalu.task.Domain;
import dev.nalu.task.ExpressionTask;

/** Snapper.Snap#firstMismatch: exactness of a formula on a dataset, bit for bit. */
class SnapTest {
    private static final ExpressionTask SUM = ExpressionTask.parse("a + b", Map.of("a", Domain.of(1, 2), "b", Domain.of(1, 2)));
    private static final Dataset FAR = Dataset.on(SUM, Domain.of(1e3, 1e6), 100, 3);

    @Test
    void theTargetsOwnFormulaMatchesEveryRow() {
        Formula sum = new Formula.Sum(List.of(1, 1), List.of(new Formula.Input(0), new Formula.Input(1)));
        assertThat(new Snapper.Snap(sum, true, 0, 0).firstMismatch(FAR)).isEqualTo(-1);
    }

    @Test
    void anotherFormulaMismatchesAtTheFirstRow() {
        Formula difference = new Formula.Sum(List.of(1, -1), List.of(new Formula.Input(0), new Formula.Input(1)));
        assertThat(new Snapper.Snap(difference, true, 0, 0).firstMismatch(FAR)).isEqualTo(0);
    }

    @Test
    void noFormulaMatchesNothing() {
        assertThat(new Snapper.Snap(null, false, 0, 0).firstMismatch(FAR)).isEqualTo(0);
    }
}
