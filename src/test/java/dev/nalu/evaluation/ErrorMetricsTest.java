package dev.nalu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ErrorMetricsTest {

    @Test
    void computesMseAndRelativeErrors() {
        ErrorMetrics metrics = ErrorMetrics.of(new double[] {1.5, 2, -4}, new double[] {1, 2, -5});
        assertThat(metrics.mse()).isCloseTo((0.25 + 0 + 1) / 3, within(1e-15));
        assertThat(metrics.meanRelativeError()).isCloseTo((0.5 + 0 + 0.2) / 3, within(1e-15));
        assertThat(metrics.maxRelativeError()).isEqualTo(0.5);
        assertThat(metrics.samples()).isEqualTo(3);
    }

    @Test
    void aZeroExactValueDividesByTheFloorInstead() {
        ErrorMetrics metrics = ErrorMetrics.of(new double[] {1e-15}, new double[] {0});
        assertThat(metrics.maxRelativeError()).isCloseTo(1e-3, within(1e-18));
    }

    @Test
    void aNonFinitePredictionIsInfinitelyWrong() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            ErrorMetrics metrics = ErrorMetrics.of(new double[] {1, bad}, new double[] {1, 2});
            assertThat(metrics.mse()).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(metrics.meanRelativeError()).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(metrics.maxRelativeError()).isEqualTo(Double.POSITIVE_INFINITY);
        }
    }

    @Test
    void rejectsMismatchedOrUndefinedInput() {
        assertThatThrownBy(() -> ErrorMetrics.of(new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErrorMetrics.of(new double[0], new double[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErrorMetrics.of(new double[1], new double[] {Double.NaN}))
                .hasMessageContaining("undefined");
    }
}
