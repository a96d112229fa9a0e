package dev.nalu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nalu.task.ArithmeticTask.Op;
import dev.nalu.task.ArithmeticTask.Subset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ArithmeticTaskTest {

    /** The target's bounds come from the ranges by interval arithmetic and hold every target drawn from them. */
    @ParameterizedTest
    @EnumSource(Op.class)
    void targetBoundsHoldEveryTarget(Op op) {
        ArithmeticTask task = new ArithmeticTask(op, 3);
        for (Domain d : new Domain[] {Domain.of(1, 2), Domain.of(2, 6), Domain.of(0.1, 0.2)}) {
            Bounds bounds = task.targetBounds(d);
            Dataset data = Dataset.on(task, d, 500, 1);
            for (double y : data.y()) {
                assertThat(y).isBetween(bounds.lo(), bounds.hi());
            }
        }
        assertThat(task.targetBounds()).isEqualTo(task.targetBounds(ArithmeticTask.DEFAULT_TRAIN_DOMAIN));
    }

    @Test
    void aDivisionByTinySumsIsBoundedFarAway() {
        ArithmeticTask task = new ArithmeticTask(Op.DIV, 100, 0.25, 0.5, 1, Domain.of(1e-300, 1));
        // a ≤ 25, b ≥ 25e-300: a ÷ b reaches 1e300
        assertThat(task.targetBounds().hi()).isGreaterThan(Task.MAX_MAGNITUDE);
        assertThat(new ArithmeticTask(Op.MUL, 1).targetBounds().hi()).isEqualTo(50.0 * 50.0);
    }

    @Test
    void defaultSubsetsHave25InputsSharing12AsInThePaper() {
        for (long seed = 0; seed < 50; seed++) {
            ArithmeticTask task = new ArithmeticTask(Op.MUL, seed);
            Subset a = task.aSubset();
            Subset b = task.bSubset();
            assertThat(a.length()).isEqualTo(25);
            assertThat(b.length()).isEqualTo(25);
            assertThat(a.end() - b.start()).as("shared inputs").isEqualTo(12);
            assertThat(a.start()).isGreaterThanOrEqualTo(0);
            assertThat(b.end()).isLessThanOrEqualTo(100);
        }
    }

    @Test
    void subsetsAreFixedBySeedAndVaryAcrossSeeds() {
        assertThat(new ArithmeticTask(Op.ADD, 7).aSubset()).isEqualTo(new ArithmeticTask(Op.ADD, 7).aSubset());
        Set<Integer> starts = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            starts.add(new ArithmeticTask(Op.ADD, seed).aSubset().start());
        }
        assertThat(starts).hasSizeGreaterThan(15).allMatch(start -> start >= 0 && start <= 100 - 38);
    }

    @Test
    void placementUsesEveryValidPositionIncludingBothEnds() {
        Set<Integer> starts = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            starts.add(new ArithmeticTask(Op.ADD, 10, 0.3, 0.0, seed, Domain.of(1, 2)).aSubset().start());
        }
        assertThat(starts).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    }

    @Test
    void rejectsSubsetsThatDoNotFit() {
        assertThatThrownBy(() -> new ArithmeticTask(Op.ADD, 10, 0.9, 0.5, 1, Domain.of(1, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("of the 10 inputs");
        assertThatThrownBy(() -> new ArithmeticTask(Op.ADD, 10, new Subset(0, 5), new Subset(8, 5), Domain.of(1, 2)))
                .hasMessageContaining("within the 10 inputs");
        assertThatThrownBy(() -> new Subset(-1, 3)).hasMessageContaining("start >= 0");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"ADD, 8", "SUB, -2", "MUL, 15", "DIV, 0.6", "SQUARE, 9", "SQRT, 1.7320508075688772"})
    void targetAppliesTheOperationToTheSubsetSums(Op op, double expected) {
        // a = x0 + x1 = 3, b = x1 + x2 = 5
        ArithmeticTask task = new ArithmeticTask(op, 4, new Subset(0, 2), new Subset(1, 2), Domain.of(1, 2));
        assertThat(task.target(new double[] {9, 1, 2, 3, 4}, 1)).isEqualTo(expected);
    }

    @Test
    void perturbedTargetMovesEveryWeightByEpsilon() {
        ArithmeticTask task = new ArithmeticTask(Op.MUL, 4, new Subset(0, 2), new Subset(1, 2), Domain.of(1, 2));
        double[] row = {1, 2, 3, 4};
        // a_ε = 0.9·3 + 0.1·7 = 3.4, b_ε = 0.9·5 + 0.1·5 = 5
        assertThat(task.perturbedTarget(row, 0, 0.1)).isCloseTo(17, within(1e-12));
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void perturbedTargetAtZeroEpsilonIsTheTarget(Op op) {
        ArithmeticTask task = new ArithmeticTask(op, 3);
        Dataset data = Dataset.interpolation(task, 50, 1);
        for (int r = 0; r < data.rows(); r++) {
            assertThat(task.perturbedTarget(data.x(), r * 100, 0)).isEqualTo(data.y()[r]);
        }
    }

    @Test
    void namesItsInputsAndDescribesItself() {
        ArithmeticTask task = new ArithmeticTask(Op.MUL, 100, new Subset(0, 25), new Subset(12, 25),
                ArithmeticTask.DEFAULT_TRAIN_DOMAIN);
        assertThat(task.inputSize()).isEqualTo(100);
        assertThat(task.variables()).hasSize(100).startsWith("x0", "x1").endsWith("x99");
        assertThat(task.trainDomain(99)).isEqualTo(Domain.of(1, 2));
        assertThat(task.describe()).isEqualTo("arithmetic mul (n=100, subsets [0,25) and [12,37))");
        ArithmeticTask square = new ArithmeticTask(Op.SQUARE, 100, new Subset(0, 25), new Subset(12, 25),
                ArithmeticTask.DEFAULT_TRAIN_DOMAIN);
        assertThat(square.describe()).isEqualTo("arithmetic square (n=100, subset [0,25))");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"add, ADD", "+, ADD", "sub, SUB", "-, SUB", "−, SUB", "MUL, MUL", "*, MUL", "×, MUL",
            "div, DIV", "/, DIV", "÷, DIV", "square, SQUARE", "sqrt, SQRT", "√, SQRT"})
    void parsesOperationNamesAndSigns(String text, Op expected) {
        assertThat(Op.parse(text)).isEqualTo(expected);
    }

    @Test
    void rejectsAnUnknownOperation() {
        assertThatThrownBy(() -> Op.parse("pow")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown operation 'pow'");
    }
}
