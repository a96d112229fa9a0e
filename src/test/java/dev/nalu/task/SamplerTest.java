package dev.nalu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void drawsEveryColumnFromItsOwnTrainingDomain() {
        Task task = ExpressionTask.parse("a + b", Map.of("a", Domain.of(1, 2), "b", Domain.of(-20, -10)));
        double[] x = new double[2 * 1000];
        Sampler.sample(task, Rng.seeded(1, 0), x, 1000);
        double sumA = 0;
        for (int r = 0; r < 1000; r++) {
            assertThat(x[2 * r]).isBetween(1.0, 2.0);
            assertThat(x[2 * r + 1]).isBetween(-20.0, -10.0);
            sumA += x[2 * r];
        }
        assertThat(sumA / 1000).isCloseTo(1.5, within(0.05));
    }

    @Test
    void fillsOnlyTheRequestedRowsAndRejectsATooSmallBuffer() {
        double[] x = new double[12];
        Sampler.sample(Domain.of(2, 6), 3, Rng.seeded(1, 0), x, 3);
        for (int i = 0; i < 9; i++) {
            assertThat(x[i]).isBetween(2.0, 6.0);
        }
        assertThat(x[9]).isZero();
        assertThatThrownBy(() -> Sampler.sample(Domain.of(2, 6), 3, Rng.seeded(1, 0), x, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need 15");
    }

    @Test
    void splitsSamplesOverAUnionInProportionToLengthAndStaysInside() {
        Domain domain = Domain.union(new Interval(-6, -5), new Interval(2, 5));
        int rows = 20_000;
        int cols = 5;
        double[] x = new double[rows * cols];
        Sampler.sample(domain, cols, Rng.seeded(2, 0), x, rows);
        int negative = 0;
        for (double value : x) {
            assertThat(domain.contains(value)).as("%s inside %s", value, domain).isTrue();
            if (value < 0) {
                negative++;
            }
        }
        assertThat(negative / (double) x.length).isCloseTo(0.25, within(0.01));
    }

    @Test
    void everyPathMapsTheSameUniformsExactlyAsDomainSample() {
        Domain union = Domain.union(new Interval(-6, -2), new Interval(0.5, 0.75), new Interval(2, 6));
        Domain single = Domain.of(-0.2, -0.1);
        Domain[] perColumn = {Domain.of(1, 2), Domain.of(-20, -10), union};
        Task mixed = ExpressionTask.parse("a + b + c", Map.of("a", perColumn[0], "b", perColumn[1], "c", perColumn[2]));
        Task twoIntervals = ExpressionTask.parse("a + b", Map.of("a", perColumn[0], "b", perColumn[1]));

        double[] x = new double[300];
        Sampler.sample(union, 3, Rng.seeded(4, 0), x, 100);
        assertMatchesDomainSample(x, new Domain[] {union}, Rng.seeded(4, 0));
        Sampler.sample(single, 3, Rng.seeded(4, 1), x, 100);
        assertMatchesDomainSample(x, new Domain[] {single}, Rng.seeded(4, 1));
        Sampler.sample(mixed, Rng.seeded(4, 2), x, 100);
        assertMatchesDomainSample(x, perColumn, Rng.seeded(4, 2));
        Sampler.sample(twoIntervals, Rng.seeded(4, 3), x, 150);
        assertMatchesDomainSample(x, new Domain[] {perColumn[0], perColumn[1]}, Rng.seeded(4, 3));
    }

    private static void assertMatchesDomainSample(double[] x, Domain[] columns, Rng uniforms) {
        for (int i = 0; i < x.length; i++) {
            assertThat(x[i]).isEqualTo(columns[i % columns.length].sample(uniforms.nextDouble()));
        }
    }

    @Test
    void dependsOnlyOnTheGeneratorState() {
        double[] first = new double[128 * 100];
        double[] second = new double[128 * 100];
        Task task = new ArithmeticTask(ArithmeticTask.Op.MUL, 1);
        Sampler.sample(task, Rng.seeded(5, 17), first, 128);
        Sampler.sample(task, Rng.seeded(5, 17), second, 128);
        assertThat(second).isEqualTo(first);
        Sampler.sample(task, Rng.seeded(5, 18), second, 128);
        assertThat(second).isNotEqualTo(first);
    }
}
