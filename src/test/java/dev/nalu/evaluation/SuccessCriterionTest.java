package dev.nalu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nalu.task.ArithmeticTask;
import dev.nalu.task.ArithmeticTask.Op;
import dev.nalu.task.ArithmeticTask.Subset;
import dev.nalu.task.Domain;
import dev.nalu.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuccessCriterionTest {

    /**
     * Madsen &amp; Johansen's (2020) thresholds on U[2,6], reproduced with their script's 26-input
     * subsets (a on inputs 0–25, b on 13–38, n = 100); published: × 0.1600, a² 0.1595,
     * + 1.479e-5, − 1.384e-8, √ 8.96e-9, ÷ 4.94e-12.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"MUL, 0.160", "SQUARE, 0.1595", "ADD, 1.478e-5", "SUB, 1.386e-8", "SQRT, 8.95e-9", "DIV, 4.96e-12"})
    void reproducesThePublishedThresholds(Op op, double expected) {
        Task task = new ArithmeticTask(op, 100, new Subset(0, 26), new Subset(13, 26), Domain.of(1, 2));
        double threshold = SuccessCriterion.threshold(task, Domain.of(2, 6), 200_000, 2020);
        assertThat(threshold).isBetween(expected * 0.97, expected * 1.03);
    }

    @Test
    void isDeterministicForASeed() {
        Task task = new ArithmeticTask(Op.MUL, 1);
        double first = SuccessCriterion.threshold(task, Domain.of(2, 6), 5_000, 3);
        assertThat(SuccessCriterion.threshold(task, Domain.of(2, 6), 5_000, 3)).isEqualTo(first);
        assertThat(SuccessCriterion.threshold(task, Domain.of(2, 6), 5_000, 4)).isNotEqualTo(first);
    }

    @Test
    void successIsStrictlyBelowTheThreshold() {
        assertThat(SuccessCriterion.succeeded(0.159, 0.16)).isTrue();
        assertThat(SuccessCriterion.succeeded(0.16, 0.16)).isFalse();
        assertThat(SuccessCriterion.succeeded(Double.NaN, 0.16)).isFalse();
        assertThat(SuccessCriterion.succeeded(Double.POSITIVE_INFINITY, 0.16)).isFalse();
    }
}
