package dev.nalu.task;

/**
 * A fixed, seeded set of rows with their exact targets: Madsen &amp; Johansen (2020) validate and
 * test on fixed sets of 10,000 samples. The same arguments always give identical arrays.
 *
 * <p>The arrays are shared, not copied: callers must not modify them.
 *
 * @param x row-major inputs, rows × cols
 * @param y exact targets, one per row
 */
public record Dataset(int rows, int cols, double[] x, double[] y) {

    /** Size of validation and test sets (Madsen &amp; Johansen 2020). */
    public static final int DEFAULT_ROWS = 10_000;

    /**
     * Datasets draw from this stream of {@link Rng#seeded}; training steps use streams 0, 1, 2, …,
     * so a dataset never repeats the batch of a training step with the same seed.
     */
    private static final long DATASET_STREAM = -1;

    public Dataset {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("a dataset needs rows > 0 and cols > 0, got " + rows + " × " + cols);
        }
        if (x.length != rows * cols || y.length != rows) {
            throw new IllegalArgumentException("x must hold rows × cols values and y one per row");
        }
    }

    /** Rows drawn from the task's training (interpolation) domains: a validation set. */
    public static Dataset interpolation(Task task, int rows, long seed) {
        requirePositive(rows);
        double[] x = new double[Math.multiplyExact(rows, task.inputSize())];
        Sampler.sample(task, Rng.seeded(seed, DATASET_STREAM), x, rows);
        return withTargets(task, rows, x);
    }

    /** Rows whose every column is drawn from {@code domain}: e.g. an extrapolation test set. */
    public static Dataset on(Task task, Domain domain, int rows, long seed) {
        requirePositive(rows);
        double[] x = new double[Math.multiplyExact(rows, task.inputSize())];
        Sampler.sample(domain, task.inputSize(), Rng.seeded(seed, DATASET_STREAM), x, rows);
        return withTargets(task, rows, x);
    }

    private static Dataset withTargets(Task task, int rows, double[] x) {
        double[] y = new double[rows];
        task.targets(x, rows, y);
        return new Dataset(rows, task.inputSize(), x, y);
    }

    private static void requirePositive(int rows) {
        if (rows <= 0) {
            throw new IllegalArgumentException("a dataset needs rows > 0, got " + rows);
        }
    }
}
