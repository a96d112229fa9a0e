package dev.nalu.evaluation;

import java.util.List;

import dev.nalu.compute.TrainingData;
import dev.nalu.task.Dataset;
import dev.nalu.task.Rng;

/**
 * A user's dataset as training data. The rows are split once, by a permutation seeded by the run's seed: a
 * fraction of them (at most {@code maxValidationRows}, at least one) is held out as the validation set, which selects
 * the member, decides early stop and checks snapped formulas; the model trains on every other row. Each step's batch
 * draws rows of the training part uniformly with replacement, as a function of (seed, step) only, so a resumed run
 * sees the batches an uninterrupted one would. A held-out extrapolation dataset, when the user gives one, is
 * measured and reported, never used to select or stop; it has no ε-success threshold (threshold 0: there is no exact
 * solution to perturb), so no member counts as "succeeded" on it.
 */
public final class DatasetData implements TrainingData {
    /** Stream of {@link Rng#seeded} for the split; training steps use streams 0, 1, 2, …. */
    private static final long SPLIT_STREAM = -11;
    /** Stream for the sample of held-out rows when there are more than the evaluation rows. */
    private static final long HELD_OUT_STREAM = -12;

    private final int inputs;
    private final double[] x;
    private final double[] y;
    private final int[] train;
    private final long seed;
    private final Dataset validation;
    private final EvalSet validationSet;
    private final List<EvalSet> extrapolation;

    /**
     * @param x                  rows × inputs, row-major
     * @param y                  one target per row
     * @param validationFraction in (0, 1)
     * @param maxValidationRows  the most rows the validation set holds (training.evaluationRows)
     * @param heldOut            the held-out extrapolation rows, or null; at most {@code maxValidationRows} of them
     *                           are measured (a seeded sample)
     */
    public DatasetData(int inputs, double[] x, double[] y, double validationFraction, int maxValidationRows, long seed,
                       Dataset heldOut, String heldOutName) {
        int rows = y.length;
        if (inputs < 1 || x.length != (long) rows * inputs || rows < 2) {
            throw new IllegalArgumentException("a dataset needs at least 2 rows of " + inputs + " inputs");
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in (0, 1), got " + validationFraction);
        }
        this.inputs = inputs;
        this.x = x;
        this.y = y;
        this.seed = seed;
        int[] order = permutation(rows, Rng.seeded(seed, SPLIT_STREAM));
        int held = validationRows(rows, validationFraction, maxValidationRows);
        this.validation = gather(order, 0, held, x, y, inputs);
        this.validationSet = new EvalSet("validation", held, validation.x(), validation.y(), 0);
        this.train = java.util.Arrays.copyOfRange(order, held, rows);
        if (heldOut == null) {
            this.extrapolation = List.of();
        } else {
            Dataset measured = heldOut.rows() <= maxValidationRows ? heldOut
                    : gather(permutation(heldOut.rows(), Rng.seeded(seed, HELD_OUT_STREAM)), 0, maxValidationRows,
                    heldOut.x(), heldOut.y(), inputs);
            this.extrapolation = List.of(new EvalSet(heldOutName, measured.rows(), measured.x(), measured.y(), 0));
        }
    }

    /** round(fraction × rows), at least 1, at most {@code max} and rows − 1 (one row is left to train on). */
    static int validationRows(int rows, double fraction, int max) {
        long v = Math.round(fraction * rows);
        return (int) Math.max(1, Math.min(Math.min(v, max), rows - 1L));
    }

    /** Rows the model trains on. */
    public int trainingRows() {
        return train.length;
    }

    @Override
    public int inputs() {
        return inputs;
    }

    @Override
    public void batch(long step, double[] bx, double[] by, int rows) {
        Rng rng = Rng.seeded(seed, step);
        for (int r = 0; r < rows; r++) {
            int i = train[rng.nextInt(train.length)];
            System.arraycopy(x, i * inputs, bx, r * inputs, inputs);
            by[r] = y[i];
        }
    }

    @Override
    public EvalSet validation() {
        return validationSet;
    }

    /** The validation rows as a dataset: what snapped formulas are checked on. */
    public Dataset validationSet() {
        return validation;
    }

    @Override
    public List<EvalSet> extrapolation() {
        return extrapolation;
    }

    private static int[] permutation(int n, Rng rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static Dataset gather(int[] order, int from, int count, double[] x, double[] y, int inputs) {
        double[] gx = new double[count * inputs];
        double[] gy = new double[count];
        for (int r = 0; r < count; r++) {
            int i = order[from + r];
            System.arraycopy(x, i * inputs, gx, r * inputs, inputs);
            gy[r] = y[i];
        }
        return new Dataset(count, inputs, gx, gy);
    }
}
