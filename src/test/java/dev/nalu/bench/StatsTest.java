package dev.nalu.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The figures the benchmark tables print, from hand-made outcomes. */
class StatsTest {

    /** One run of members with one extrapolation range (threshold 1). */
    private static Experiment.Outcome run(int selected, double[] validation, double[] extrapolation, long[] firstSuccess,
                                          double[] sparsity, double[] initialValidation, double[] initialExtrapolation,
                                          double[] formulaMse, String formula) {
        return new Experiment.Outcome("m", validation.length, selected, validation, new double[][] {extrapolation},
                new double[] {1.0}, firstSuccess, sparsity, initialValidation,
                initialExtrapolation == null ? null : new double[][] {initialExtrapolation}, formula, formulaMse, -1,
                null, 1000, 1.0, 0);
    }

    private static Experiment.Outcome run(int selected, double[] extrapolation, long[] firstSuccess, double[] sparsity) {
        return run(selected, new double[extrapolation.length], extrapolation, firstSuccess, sparsity, null, null,
                new double[] {Double.NaN}, null);
    }

    @Test
    void membersAreSeedsAndOnlySuccessesCountForSolvedAtAndSparsity() {
        Experiment.Outcome a = run(0, new double[] {0.5, 2.0, 0.1}, new long[] {3000, -1, 1000}, new double[] {0.01, 0.4, 0.03});
        Experiment.Outcome b = run(0, new double[] {Double.NaN, 0.2}, new long[] {-1, 8000}, new double[] {0.2, 0.05});

        Stats.Success s = Stats.ofMembers(List.of(a, b));

        assertThat(s.successes()).isEqualTo(3); // 0.5, 0.1, 0.2 are below the threshold 1; 2.0 and NaN are not
        assertThat(s.trials()).isEqualTo(5);
        assertThat(s.medianSolvedAt()).isEqualTo(3000); // of 3000, 1000, 8000
        assertThat(s.medianSparsity()).isEqualTo(0.03); // of 0.01, 0.03, 0.05
        assertThat(s.rate().lower()).isCloseTo(0.231, within(1e-3)); // Wilson 95% for 3 of 5
        assertThat(s.rate().upper()).isCloseTo(0.882, within(1e-3));
    }

    @Test
    void aJobCountsOnceByTheMemberItSelected() {
        Experiment.Outcome hit = run(1, new double[] {5.0, 0.5}, new long[] {-1, 4000}, new double[] {0.3, 0.01});
        Experiment.Outcome miss = run(0, new double[] {5.0, 0.5}, new long[] {-1, 2000}, new double[] {0.3, 0.01});

        Stats.Success s = Stats.ofJobs(List.of(hit, miss));

        assertThat(s.successes()).isEqualTo(1);
        assertThat(s.trials()).isEqualTo(2);
        assertThat(s.medianSolvedAt()).isEqualTo(4000);
        assertThat(s.medianSparsity()).isEqualTo(0.01);
    }

    @Test
    void theServedModelIsTheExactFormulaWhenThereIsOne() {
        Experiment.Outcome formulaMeets = run(0, new double[] {0}, new double[] {5.0}, new long[] {-1}, new double[] {0},
                null, null, new double[] {0.0}, "y = a × b");
        Experiment.Outcome networkMeets = run(0, new double[] {0}, new double[] {0.5}, new long[] {1000}, new double[] {0},
                null, null, new double[] {Double.NaN}, null);
        Experiment.Outcome neither = run(0, new double[] {0}, new double[] {5.0}, new long[] {-1}, new double[] {0},
                null, null, new double[] {3.0}, "y = a + b");

        assertThat(Stats.servedSuccesses(List.of(formulaMeets, networkMeets, neither))).isEqualTo(2);
        assertThat(Stats.ofJobs(List.of(formulaMeets, networkMeets, neither)).successes()).isEqualTo(1);
    }

    @Test
    void normalisedErrorIsAgainstTheMedianRandomInitialisationOfTheRun() {
        // random members: 10, 20, 1e30 (one exploded) → baseline 20, not the mean
        Experiment.Outcome o = run(2, new double[] {1.0, 4.0, 0.0}, new double[] {2.0, 10.0, 0.5}, new long[] {-1, -1, -1},
                new double[] {0, 0, 0}, new double[] {10, 20, 1e30}, new double[] {40, 50, Double.POSITIVE_INFINITY},
                new double[] {Double.NaN}, null);

        assertThat(Stats.normalisedErrors(o, -1, false)).containsExactly(5.0, 20.0, 0.0);
        assertThat(Stats.normalisedErrors(o, 0, false)).containsExactly(4.0, 20.0, 1.0);
        assertThat(Stats.normalisedErrors(o, 0, true)).containsExactly(1.0);
        assertThat(Stats.medianNormalisedError(List.of(o, o), -1, false)).isEqualTo(5.0);
    }

    @Test
    void withoutAFiniteRandomBaselineThereIsNoNormalisedError() {
        double inf = Double.POSITIVE_INFINITY;
        Experiment.Outcome o = run(0, new double[] {1.0}, new double[] {2.0}, new long[] {-1}, new double[] {0},
                new double[] {inf}, new double[] {inf}, new double[] {Double.NaN}, null);

        assertThat(Stats.normalisedErrors(o, 0, false)).containsExactly(Double.NaN);
        assertThat(Stats.number(Stats.medianNormalisedError(List.of(o), 0, false))).isEqualTo("—");
    }

    @Test
    void mediansAndFormats() {
        assertThat(Stats.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Stats.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Stats.median(new double[0])).isNaN();
        assertThat(Stats.step(18_000)).isEqualTo("1.8e4");
        assertThat(Stats.step(1_400_000)).isEqualTo("1.4e6");
        assertThat(Stats.step(Double.NaN)).isEqualTo("—");
        assertThat(Stats.fraction(7, 16)).isEqualTo("7/16 (44%)");
        assertThat(Stats.number(0.1600)).isEqualTo("0.160");
        assertThat(Stats.number(1.479e-5)).isEqualTo("1.48e-05");
    }
}
