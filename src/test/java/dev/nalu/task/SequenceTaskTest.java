package dev.nalu.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.nalu.compute.SequenceData;

/**
 * The sequence tasks make what their protocols say: the recurrent arithmetic task's subsets as the
 * reference code draws them, targets that are the sums over time they claim, batches that depend
 * only on (seed, step), fixed evaluation sets made the same chunk by chunk, and ε-criterion
 * thresholds that a model off by ε would just meet.
 */
class SequenceTaskTest {

    @Test
    void subsetsFollowTheRecurrentProtocol() {
        Set<Integer> overlaps = new HashSet<>();
        Set<Integer> sizes = new HashSet<>();
        for (long seed = 0; seed < 500; seed++) {
            RecurrentArithmeticTask task = new RecurrentArithmeticTask(ArithmeticTask.Op.ADD, seed);
            ArithmeticTask.Subset a = task.aSubset();
            ArithmeticTask.Subset b = task.bSubset();
            int overlap = a.end() - b.start();
            assertThat(overlap).as("seed %d overlap", seed).isBetween(1, 2);
            assertThat(a.length()).isBetween(overlap, 5);
            assertThat(b.length()).isBetween(overlap, 5);
            assertThat(b.end()).isLessThanOrEqualTo(10);
            overlaps.add(overlap);
            sizes.add(a.length());
            // the same seed, the same subsets
            assertThat(new RecurrentArithmeticTask(ArithmeticTask.Op.ADD, seed).aSubset()).isEqualTo(a);
        }
        assertThat(overlaps).containsExactlyInAnyOrder(1, 2);
        assertThat(sizes).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    }

    @Test
    void targetsAreSumsOverTimeOfTheSubsets() {
        RecurrentArithmeticTask task = new RecurrentArithmeticTask(ArithmeticTask.Op.MUL,
                new ArithmeticTask.Subset(0, 2), new ArithmeticTask.Subset(1, 3), Domain.of(1, 2));
        double[] x = new double[3 * 10];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 10 + 1;              // every step: 1, 2, …, 10
        }
        double a = 3 * (1 + 2);
        double b = 3 * (2 + 3 + 4);
        assertThat(task.target(x, 0, 3)).isEqualTo(a * b);
        assertThat(task.perturbedTarget(x, 0, 3, 0)).isEqualTo(a * b);
        assertThat(new RunningTotalTask(RunningTotalTask.Kind.SUM).target(new double[] {1, 2, 3.5}, 0, 3)).isEqualTo(6.5);
        assertThat(new RunningTotalTask(RunningTotalTask.Kind.PRODUCT).target(new double[] {1, 2, 3.5}, 0, 3)).isEqualTo(7);
    }

    @Test
    void batchesDependOnlyOnSeedAndStep() {
        SequenceTaskData data = new SequenceTaskData(new RecurrentArithmeticTask(ArithmeticTask.Op.ADD, 5), 5, 10,
                List.of(100), 16, 8);
        double[] x1 = new double[4 * 10 * 10];
        double[] y1 = new double[4];
        double[] x2 = x1.clone();
        double[] y2 = y1.clone();
        data.batch(7, x1, y1, 4);
        data.batch(3, x2, y2, 4);
        data.batch(7, x2, y2, 4);
        assertThat(x2).isEqualTo(x1);
        assertThat(y2).isEqualTo(y1);
        for (double v : x1) {
            assertThat(v).isBetween(1.0, 2.0);
        }
        data.batch(8, x2, y2, 4);
        assertThat(x2).isNotEqualTo(x1);
    }

    @Test
    void evaluationSetsAreTheSameWhateverTheChunks() {
        SequenceTaskData data = new SequenceTaskData(new RunningTotalTask(RunningTotalTask.Kind.PRODUCT), 2, 10,
                List.of(100, 1000), 32, 12);
        SequenceData.EvalSet set = data.extrapolation().get(1);
        assertThat(set.length()).isEqualTo(1000);
        double[] whole = new double[12 * 1000];
        double[] yWhole = new double[12];
        set.source().fill(0, 12, whole, yWhole);
        double[] part = new double[5 * 1000];
        double[] yPart = new double[5];
        set.source().fill(7, 5, part, yPart);
        for (int r = 0; r < 5; r++) {
            assertThat(yPart[r]).isEqualTo(yWhole[7 + r]);
            assertThat(part[r * 1000 + 999]).isEqualTo(whole[(7 + r) * 1000 + 999]);
        }
        for (double v : whole) {
            assertThat(v).isBetween(0.8, 1.25);
        }
    }

    @Test
    void thresholdsAreTheErrorOfAModelOffByEpsilon() {
        SequenceTaskData data = new SequenceTaskData(new RunningTotalTask(RunningTotalTask.Kind.SUM), 2, 10,
                List.of(100, 1000), 64, 64);
        double t100 = data.extrapolation().get(0).threshold();
        double t1000 = data.extrapolation().get(1).threshold();
        assertThat(t100).isPositive();
        // the perturbed cell h_t = (1 − ε)(h_{t−1} + x_t) loses about ε·Σ_t t·x̄ by length T: the error grows as T²
        assertThat(t1000 / t100).isBetween(5e3, 2e4);
        assertThat(data.validation().threshold()).isPositive().isLessThan(t100);
    }

    /**
     * A wider value range is a test set of its own at the training length, after the length sets: the same subsets
     * over values from that range, its own ε-threshold, named apart, reported only (not a success set), and the length
     * sets are the same rows with the same thresholds as without it.
     */
    @Test
    void aTestRangeIsASetAtTheTrainingLengthOverItsValues() {
        RecurrentArithmeticTask task = new RecurrentArithmeticTask(ArithmeticTask.Op.ADD, 5);
        Domain wide = Domain.of(1, 5);
        SequenceTaskData plain = new SequenceTaskData(task, 5, 10, List.of(100), 32, 16);
        SequenceTaskData ranged = new SequenceTaskData(task, 5, 10, List.of(100), 32, 16, List.of(task.withDomain(wide)));
        assertThat(ranged.extrapolation()).hasSize(2);
        assertThat(ranged.successSets()).isEqualTo(1);
        assertThat(plain.successSets()).isEqualTo(1);
        SequenceData.EvalSet length = ranged.extrapolation().get(0);
        SequenceData.EvalSet range = ranged.extrapolation().get(1);
        assertThat(length.name()).isEqualTo("length 100");
        assertThat(range.name()).isEqualTo("range [1, 5]");
        assertThat(range.length()).isEqualTo(10);
        assertThat(range.rows()).isEqualTo(16);
        assertThat(ranged.range(0)).isNull();
        assertThat(ranged.range(1)).isEqualTo(wide);
        assertThat(length.threshold()).isEqualTo(plain.extrapolation().get(0).threshold());
        assertThat(ranged.validation().threshold()).isEqualTo(plain.validation().threshold());
        double[] x = new double[16 * 100 * 10];
        double[] y = new double[16];
        double[] xPlain = x.clone();
        double[] yPlain = y.clone();
        length.source().fill(0, 16, x, y);
        plain.extrapolation().get(0).source().fill(0, 16, xPlain, yPlain);
        assertThat(x).isEqualTo(xPlain);
        // the range set: values from [1, 5], well beyond [1, 2], targets of the same subsets
        double[] xr = new double[16 * 10 * 10];
        double[] yr = new double[16];
        range.source().fill(0, 16, xr, yr);
        double most = 0;
        for (double v : xr) {
            assertThat(v).isBetween(1.0, 5.0);
            most = Math.max(most, v);
        }
        assertThat(most).isGreaterThan(4.0);
        for (int r = 0; r < 16; r++) {
            assertThat(yr[r]).isEqualTo(task.target(xr, r * 100, 10));
        }
        // its threshold is the ε-perturbed model's error over its own rows: positive, and larger than at [1, 2]
        assertThat(range.threshold()).isGreaterThan(ranged.validation().threshold());
        // the running totals take a range too
        RunningTotalTask sum = new RunningTotalTask(RunningTotalTask.Kind.SUM);
        SequenceTaskData sums = new SequenceTaskData(sum, 2, 10, List.of(), 8, 8, List.of(sum.withDomain(Domain.of(-3, 3))));
        assertThat(sums.extrapolation().get(0).name()).isEqualTo("range [-3, 3]");
        assertThat(sums.extrapolation().get(0).threshold()).isPositive();
    }
}
