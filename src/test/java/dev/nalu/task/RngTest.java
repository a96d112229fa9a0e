package dev.nalu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void theSameSeedAndStreamGiveTheSameSequence() {
        Rng first = Rng.seeded(42, 7);
        Rng second = Rng.seeded(42, 7);
        for (int i = 0; i < 1000; i++) {
            assertThat(first.nextLong()).isEqualTo(second.nextLong());
        }
    }

    @Test
    void resumesFromASavedState() {
        Rng rng = Rng.seeded(1, 0);
        for (int i = 0; i < 10; i++) {
            rng.nextLong();
        }
        Rng resumed = Rng.fromState(rng.state());
        for (int i = 0; i < 100; i++) {
            assertThat(resumed.nextDouble()).isEqualTo(rng.nextDouble());
        }
    }

    @Test
    void fillingAnArrayDrawsTheSameValuesAsNextDouble() {
        double[] filled = new double[105];
        Rng bulk = Rng.seeded(3, 4);
        bulk.nextDoubles(filled, 5, 100);
        Rng single = Rng.seeded(3, 4);
        for (int i = 5; i < 105; i++) {
            assertThat(filled[i]).isEqualTo(single.nextDouble());
        }
        assertThat(bulk.state()).isEqualTo(single.state());
        assertThat(filled[0]).isZero();
    }

    @Test
    void doublesAreUniformInTheUnitInterval() {
        Rng rng = Rng.seeded(5, 0);
        int n = 200_000;
        double sum = 0;
        double sumOfSquares = 0;
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            assertThat(u).isGreaterThanOrEqualTo(0).isLessThan(1);
            sum += u;
            sumOfSquares += u * u;
        }
        assertThat(sum / n).isCloseTo(0.5, within(0.005));
        assertThat(sumOfSquares / n - Math.pow(sum / n, 2)).isCloseTo(1.0 / 12, within(0.002));
    }

    @Test
    void nextIntCoversItsRangeAndNothingElse() {
        Rng rng = Rng.seeded(9, 0);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) {
            counts[rng.nextInt(7)]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(9_400, 10_600);
        }
    }

    @Test
    void neighbouringStreamsAreUncorrelatedAndDoNotOverlap() {
        int n = 10_000;
        double[] step = new double[n];
        double[] nextStep = new double[n];
        Rng.seeded(11, 100).nextDoubles(step, 0, n);
        Rng.seeded(11, 101).nextDoubles(nextStep, 0, n);
        assertThat(correlation(step, nextStep)).isCloseTo(0, within(0.05));

        Set<Double> values = new HashSet<>();
        for (double v : step) {
            values.add(v);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(values).as("stream 101 repeats stream 100 shifted").doesNotContain(nextStep[i]);
        }
    }

    @Test
    void seedAndStreamAreNotInterchangeable() {
        assertThat(Rng.seeded(1, 2).nextLong()).isNotEqualTo(Rng.seeded(2, 1).nextLong());
        assertThat(Rng.seeded(1, 0).nextLong()).isNotEqualTo(Rng.seeded(2, 0).nextLong());
    }

    private static double correlation(double[] x, double[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / y.length;
        }
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }
}
