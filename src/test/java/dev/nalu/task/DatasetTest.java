package dev.nalu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatasetTest {

    private final Task task = new ArithmeticTask(ArithmeticTask.Op.MUL, 3);

    @Test
    void theSameArgumentsGiveIdenticalData() {
        Dataset first = Dataset.interpolation(task, 500, 9);
        Dataset second = Dataset.interpolation(task, 500, 9);
        assertThat(second.x()).isEqualTo(first.x());
        assertThat(second.y()).isEqualTo(first.y());
        assertThat(Dataset.interpolation(task, 500, 10).x()).isNotEqualTo(first.x());
    }

    @Test
    void targetsAreTheTasksExactValues() {
        Dataset data = Dataset.on(task, ArithmeticTask.DEFAULT_EXTRAPOLATION_DOMAIN, 200, 1);
        assertThat(data.rows()).isEqualTo(200);
        assertThat(data.cols()).isEqualTo(100);
        for (int r = 0; r < data.rows(); r++) {
            assertThat(data.y()[r]).isEqualTo(task.target(data.x(), r * data.cols()));
        }
        for (double value : data.x()) {
            assertThat(value).isBetween(2.0, 6.0);
        }
    }

    @Test
    void interpolationDataComesFromTheTrainingDomains() {
        for (double value : Dataset.interpolation(task, 100, 1).x()) {
            assertThat(value).isBetween(1.0, 2.0);
        }
    }

    @Test
    void neverRepeatsTheTrainingBatchOfAStep() {
        Dataset validation = Dataset.interpolation(task, 128, 5);
        double[] batch = new double[128 * 100];
        Sampler.sample(task, Rng.seeded(5, 0), batch, 128);
        assertThat(validation.x()).isNotEqualTo(batch);
    }

    @Test
    void rejectsAnEmptyDataset() {
        assertThatThrownBy(() -> Dataset.interpolation(task, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows > 0");
        assertThat(Dataset.DEFAULT_ROWS).isEqualTo(10_000);
    }
}
