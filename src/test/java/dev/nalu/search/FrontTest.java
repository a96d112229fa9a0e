package dev.nalu.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.nalu.evaluation.Formula;

/** The served entry of a front: the simplest formula within the tolerance of the best validation error. */
class FrontTest {
    private static final Formula A = new Formula.Input(0);

    private static FrontEntry entry(Formula f, int complexity, double mse, double extrapolation) {
        return new FrontEntry("arch" + complexity, f, f == null ? -1 : complexity, mse, List.of(extrapolation), false, 1000);
    }

    @Test
    void theSimplestFormulaWithinTwiceTheBestIsServed() {
        List<FrontEntry> front = List.of(entry(A, 9, 1.0e-6, 0), entry(A, 4, 1.9e-6, 5), entry(A, 2, 2.1e-6, 0));
        assertThat(Front.choose(front, 1)).isEqualTo(1);
    }

    @Test
    void formulasAtFloatRoundingAreAllAsGoodAsTheBest() {
        // 1e-30 and 5e-13 are both float rounding of targets of mean square 1: the simpler one is served
        List<FrontEntry> front = List.of(entry(A, 7, 1e-30, 0), entry(A, 5, 5e-13, 0));
        assertThat(Front.choose(front, 1)).isEqualTo(1);
    }

    @Test
    void theExtrapolationErrorIsNeverRead() {
        List<FrontEntry> a = List.of(entry(A, 3, 1e-6, 1e9), entry(A, 8, 1e-6, 0));
        assertThat(Front.choose(a, 1)).isEqualTo(0);
    }

    @Test
    void withoutAFormulaWithinTheToleranceTheBestNetworkIsServed() {
        List<FrontEntry> front = List.of(entry(A, 2, 1e-3, 0), entry(null, 0, 1e-8, 0));
        assertThat(Front.choose(front, 1)).isEqualTo(1);
    }

    @Test
    void tiesInComplexityGoToTheLowerErrorThenTheEarlierEntry() {
        List<FrontEntry> front = List.of(entry(A, 4, 1.5e-6, 0), entry(A, 4, 1.0e-6, 0), entry(A, 4, 1.0e-6, 0));
        assertThat(Front.choose(front, 1)).isEqualTo(1);
    }
}
