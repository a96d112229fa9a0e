package dev.nalu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NormalisedErrorTest {

    @Test
    void aRandomModelScores100AndAPerfectOne0() {
        assertThat(NormalisedError.of(4, 4)).isEqualTo(100);
        assertThat(NormalisedError.of(0, 4)).isZero();
        assertThat(NormalisedError.of(1, 4)).isEqualTo(25);
        assertThat(NormalisedError.of(Double.NaN, 4)).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void rejectsABaselineItCannotNormaliseBy() {
        assertThatThrownBy(() -> NormalisedError.of(1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive and finite");
        assertThatThrownBy(() -> NormalisedError.of(1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NormalisedError.of(1, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
