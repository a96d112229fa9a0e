package dev.nalu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DomainTest {

    @Test
    void anIntervalNeedsFiniteBoundsInIncreasingOrder() {
        assertThatThrownBy(() -> new Interval(2, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lo < hi").hasMessageContaining("[2, 1]");
        assertThatThrownBy(() -> new Interval(1, 1)).hasMessageContaining("lo < hi");
        assertThatThrownBy(() -> new Interval(0, Double.POSITIVE_INFINITY)).hasMessageContaining("finite");
        assertThatThrownBy(() -> new Interval(Double.NaN, 1)).hasMessageContaining("finite");
    }

    @Test
    void aUnionIsSortedAndMustBeDisjoint() {
        Domain domain = Domain.union(new Interval(2, 6), new Interval(-6, -2));
        assertThat(domain.intervals()).containsExactly(new Interval(-6, -2), new Interval(2, 6));

        assertThatThrownBy(() -> Domain.union(new Interval(0, 2), new Interval(1, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("disjoint");
        assertThatThrownBy(() -> Domain.union(new Interval(0, 1), new Interval(1, 3)))
                .hasMessageContaining("overlap or touch");
        assertThatThrownBy(Domain::union).hasMessageContaining("at least one interval");
    }

    @Test
    void printsLikeMathematicalNotation() {
        assertThat(Domain.of(1, 2)).hasToString("[1, 2]");
        assertThat(Domain.of(0.1, 0.2)).hasToString("[0.1, 0.2]");
        assertThat(Domain.union(new Interval(1, 2), new Interval(-2, -1))).hasToString("[-2, -1] ∪ [1, 2]");
    }

    @Test
    void measuresAndQueriesTheUnion() {
        Domain domain = Domain.union(new Interval(-6, -2), new Interval(2, 7));
        assertThat(domain.length()).isEqualTo(9);
        assertThat(domain.maxAbs()).isEqualTo(7);
        assertThat(domain.contains(-2)).isTrue();
        assertThat(domain.contains(7)).isTrue();
        assertThat(domain.contains(0)).isFalse();
        assertThat(domain.containsZero()).isFalse();
        assertThat(Domain.of(-2, 2).containsZero()).isTrue();
        assertThat(Domain.of(0, 1).containsZero()).isTrue();
        assertThat(Domain.of(-20, -10).maxAbs()).isEqualTo(20);
    }

    @Test
    void sampleMapsTheUnitIntervalOntoTheUnionByLength() {
        Domain domain = Domain.union(new Interval(0, 1), new Interval(2, 5));
        assertThat(domain.sample(0.0)).isEqualTo(0);
        assertThat(domain.sample(0.125)).isCloseTo(0.5, within(1e-15));
        assertThat(domain.sample(0.25)).isEqualTo(2);
        assertThat(domain.sample(0.5)).isCloseTo(3, within(1e-15));
        assertThat(domain.sample(Math.nextDown(1.0))).isLessThanOrEqualTo(5).isGreaterThan(4.999);
    }

    @Test
    void uniformInputGivesSamplesProportionalToIntervalLengths() {
        Domain domain = Domain.union(new Interval(0, 1), new Interval(2, 5));
        Rng rng = Rng.seeded(7, 0);
        int n = 100_000;
        int inFirst = 0;
        for (int i = 0; i < n; i++) {
            double value = domain.sample(rng.nextDouble());
            assertThat(domain.contains(value)).as("sample %s inside %s", value, domain).isTrue();
            if (value <= 1) {
                inFirst++;
            }
        }
        assertThat(inFirst / (double) n).isCloseTo(0.25, within(0.01));
    }
}
