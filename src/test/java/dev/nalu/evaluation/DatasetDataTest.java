package dev.nalu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.nalu.task.Dataset;

/** The split of a user's rows into training and validation, and the batches drawn from the training part. */
class DatasetDataTest {
    /** Row i is (i, 2i) with target i: every row is recognisable by its target. */
    private static double[][] rows(int n) {
        double[] x = new double[2 * n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 2 * i;
            y[i] = i;
        }
        return new double[][] {x, y};
    }

    @Test
    void theSplitHoldsOutTheFractionAndTrainsOnlyOnTheRest() {
        double[][] r = rows(1000);
        DatasetData data = new DatasetData(2, r[0], r[1], 0.2, 10_000, 7, null, null);
        assertThat(data.validation().rows()).isEqualTo(200);
        assertThat(data.trainingRows()).isEqualTo(800);
        Set<Double> validation = new HashSet<>();
        for (double y : data.validation().y()) {
            validation.add(y);
        }
        assertThat(validation).hasSize(200);
        double[] bx = new double[2 * 64];
        double[] by = new double[64];
        for (long step = 0; step < 200; step++) {
            data.batch(step, bx, by, 64);
            for (int i = 0; i < 64; i++) {
                assertThat(validation).doesNotContain(by[i]);
                assertThat(bx[2 * i]).isEqualTo(by[i]);
                assertThat(bx[2 * i + 1]).isEqualTo(2 * by[i]);
            }
        }
        assertThat(data.extrapolation()).isEmpty();
    }

    @Test
    void theSplitAndTheBatchesAreFunctionsOfTheSeedAndTheStep() {
        double[][] r = rows(500);
        DatasetData a = new DatasetData(2, r[0], r[1], 0.3, 10_000, 11, null, null);
        DatasetData b = new DatasetData(2, r[0], r[1], 0.3, 10_000, 11, null, null);
        DatasetData other = new DatasetData(2, r[0], r[1], 0.3, 10_000, 12, null, null);
        assertThat(a.validation().y()).containsExactly(b.validation().y());
        assertThat(a.validation().y()).isNotEqualTo(other.validation().y());
        double[] x1 = new double[20];
        double[] y1 = new double[10];
        double[] x2 = new double[20];
        double[] y2 = new double[10];
        a.batch(41, x1, y1, 10);
        b.batch(40, x2, y2, 10);
        b.batch(41, x2, y2, 10); // the same step after another one: the same rows
        assertThat(y1).containsExactly(y2);
    }

    @Test
    void theValidationSetIsCappedAndLeavesARowToTrainOn() {
        double[][] r = rows(1000);
        assertThat(new DatasetData(2, r[0], r[1], 0.5, 100, 1, null, null).validation().rows()).isEqualTo(100);
        assertThat(DatasetData.validationRows(2, 0.9, 100)).isEqualTo(1);
        assertThat(DatasetData.validationRows(10, 0.01, 100)).isEqualTo(1);
        assertThatThrownBy(() -> new DatasetData(2, new double[] {1, 2}, new double[] {3}, 0.2, 10, 1, null, null))
                .hasMessageContaining("at least 2 rows");
    }

    @Test
    void aHeldOutDatasetIsMeasuredWithoutAThresholdAndSampledWhenLarge() {
        double[][] r = rows(100);
        double[][] far = rows(5000);
        Dataset heldOut = new Dataset(5000, 2, far[0], far[1]);
        DatasetData data = new DatasetData(2, r[0], r[1], 0.2, 1000, 3, heldOut, "dataset 9");
        assertThat(data.extrapolation()).hasSize(1);
        assertThat(data.extrapolation().get(0).name()).isEqualTo("dataset 9");
        assertThat(data.extrapolation().get(0).rows()).isEqualTo(1000);
        assertThat(data.extrapolation().get(0).threshold()).isZero();
    }
}
