package dev.nalu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WilsonIntervalTest {

    @ParameterizedTest(name = "{0} of {1} → [{2}, {3}]")
    @CsvSource({"9, 10, 0.5958, 0.9821", "0, 10, 0, 0.2775", "10, 10, 0.7225, 1", "50, 100, 0.4038, 0.5962",
            "98, 100, 0.9300, 0.9945", "14, 100, 0.0852, 0.2215"})
    void matchesKnownIntervals(int successes, int trials, double lower, double upper) {
        WilsonInterval interval = WilsonInterval.of(successes, trials);
        assertThat(interval.lower()).isCloseTo(lower, within(5e-4));
        assertThat(interval.upper()).isCloseTo(upper, within(5e-4));
        assertThat(interval.rate()).isEqualTo(successes / (double) trials);
    }

    @Test
    void withoutTrialsKnowsNothing() {
        WilsonInterval interval = WilsonInterval.of(0, 0);
        assertThat(interval.lower()).isZero();
        assertThat(interval.upper()).isEqualTo(1);
    }

    @Test
    void rejectsImpossibleCounts() {
        assertThatThrownBy(() -> WilsonInterval.of(11, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WilsonInterval.of(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WilsonInterval.of(-1, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
