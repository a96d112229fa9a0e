package dev.nalu.evaluation;

import dev.nalu.task.ArithmeticTask;
import dev.nalu.task.Domain;
import dev.nalu.task.Rng;
import dev.nalu.task.Sampler;
import dev.nalu.task.Task;

/**
 * The success criterion of Madsen &amp; Johansen, "Neural Arithmetic Units" (ICLR 2020): a model has
 * solved a task when its extrapolation MSE is below that of a near-perfect model, the exact
 * solution with every first-layer weight off by ε = 10⁻⁵ (every 1 made 1 − ε, every 0 made ε).
 * The threshold is mean((perturbed target − exact target)²) over inputs drawn from the
 * extrapolation domain, e.g. 0.1600 for × on U[2,6].
 */
public final class SuccessCriterion {

    /** The weight error ε of the near-perfect model. */
    public static final double EPSILON = 1e-5;

    /** Rows drawn per chunk, so the inputs never need to be held in memory all at once. */
    private static final int CHUNK_ROWS = 4096;

    private SuccessCriterion() {
    }

    /**
     * mean((perturbedTarget(x, ε) − target(x))²) over {@code samples} rows with every column drawn
     * from {@code domain}; deterministic for a given seed.
     *
     * <p>For tasks other than the arithmetic task the selection perturbation can cancel exactly
     * (two inputs, a + b: (1−ε)a + εb + εa + (1−ε)b = a + b gives a threshold of 0 that no model
     * meets), so those also take the single-module reading of the criterion, every input weight
     * 1 − ε (x_j → (1 − ε)x_j, as for a one-layer NAU/NMU), and use the larger threshold.
     */
    public static double threshold(Task task, Domain domain, int samples, long seed) {
        if (samples <= 0) {
            throw new IllegalArgumentException("samples must be positive, got " + samples);
        }
        int cols = task.inputSize();
        Rng rng = Rng.seeded(seed, 0);
        double[] x = new double[Math.min(samples, CHUNK_ROWS) * cols];
        double[] scaled = new double[cols];
        double sum = 0;
        for (int done = 0; done < samples; ) {
            int rows = Math.min(CHUNK_ROWS, samples - done);
            Sampler.sample(domain, cols, rng, x, rows);
            for (int r = 0; r < rows; r++) {
                double exact = task.target(x, r * cols);
                double difference = task.perturbedTarget(x, r * cols, EPSILON) - exact;
                double squared = difference * difference;
                if (!(task instanceof ArithmeticTask)) {
                    for (int c = 0; c < cols; c++) {
                        scaled[c] = (1 - EPSILON) * x[r * cols + c];
                    }
                    double d2 = task.target(scaled, 0) - exact;
                    squared = Math.max(squared, d2 * d2);
                }
                sum += squared;
            }
            done += rows;
        }
        return sum / samples;
    }

    /** Success is an extrapolation MSE strictly below the threshold (NaN never succeeds). */
    public static boolean succeeded(double extrapolationMse, double threshold) {
        return extrapolationMse < threshold;
    }
}
