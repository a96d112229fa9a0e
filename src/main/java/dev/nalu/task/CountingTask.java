package dev.nalu.task;

import dev.nalu.compute.SequenceData;
import dev.nalu.compute.SequenceNetwork;

/**
 * Counting (Trask et al. 2018's MNIST counting without the images): each step is one symbol from
 * an alphabet of k, given one-hot (k values, one of them 1); the targets are the k counts, how many
 * times each symbol occurred in the sequence. Symbols are uniform and independent.
 *
 * <p>The exact recurrent model is an NAU cell of hidden size k with W_h = W_x = I and h_0 = 0, then an
 * NAU head I: h_t = h_{t−1} + x_t. Its ε-perturbed form (every 1 made 1 − ε, every 0 made ε) sets
 * the success threshold: h_j ← (1 − 2ε) h_j + ε Σ_i h_i + (1 − 2ε) x_j + ε Σ_i x_i, y_j the same
 * map of h without x. Results are also scored as counts: the prediction rounded to the nearest
 * integer is right or wrong ({@link #accuracy}).
 */
public final class CountingTask implements SequenceTask {
    /** Trask et al. counted the ten digits. */
    public static final int DEFAULT_SYMBOLS = 10;
    public static final int MAX_SYMBOLS = 64;

    private final int symbols;

    public CountingTask(int symbols) {
        if (symbols < 1 || symbols > MAX_SYMBOLS) {
            throw new IllegalArgumentException("counting needs 1 to " + MAX_SYMBOLS + " symbols, not " + symbols);
        }
        this.symbols = symbols;
    }

    public int symbols() {
        return symbols;
    }

    @Override
    public int inputs() {
        return symbols;
    }

    @Override
    public int outputs() {
        return symbols;
    }

    /** The values a one-hot input takes lie in [0, 1]. */
    @Override
    public Domain trainDomain() {
        return Domain.of(0, 1);
    }

    /** One uniform symbol per step, one-hot. */
    @Override
    public void sample(Rng rng, double[] x, int offset, int length) {
        java.util.Arrays.fill(x, offset, offset + length * symbols, 0);
        for (int t = 0; t < length; t++) {
            x[offset + t * symbols + rng.nextInt(symbols)] = 1;
        }
    }

    @Override
    public void targets(double[] x, int offset, int length, double[] y, int yOffset) {
        java.util.Arrays.fill(y, yOffset, yOffset + symbols, 0);
        for (int t = 0; t < length; t++) {
            for (int j = 0; j < symbols; j++) {
                y[yOffset + j] += x[offset + t * symbols + j];
            }
        }
    }

    @Override
    public double perturbedError(double[] x, int offset, int length, double eps) {
        double[] h = new double[symbols];
        double[] next = new double[symbols];
        for (int t = 0; t < length; t++) {
            double sumH = 0;
            double sumX = 0;
            for (int j = 0; j < symbols; j++) {
                sumH += h[j];
                sumX += x[offset + t * symbols + j];
            }
            for (int j = 0; j < symbols; j++) {
                next[j] = (1 - 2 * eps) * h[j] + eps * sumH + (1 - 2 * eps) * x[offset + t * symbols + j] + eps * sumX;
            }
            double[] swap = h;
            h = next;
            next = swap;
        }
        double[] counts = new double[symbols];
        targets(x, offset, length, counts, 0);
        double sumH = 0;
        for (double v : h) {
            sumH += v;
        }
        double error = 0;
        for (int j = 0; j < symbols; j++) {
            double d = (1 - 2 * eps) * h[j] + eps * sumH - counts[j];
            error += d * d;
        }
        return error;
    }

    @Override
    public String describe() {
        return "counting " + symbols + " symbols";
    }

    /**
     * Accuracy of the rounded counts: the fraction of sequences whose every count, rounded to the
     * nearest integer, is right, and the fraction of single counts that are.
     */
    public record Accuracy(double sequences, double counts) {
    }

    /** {@link Accuracy} of one float64 network on a set of this task's sequences, a chunk of rows at a time. */
    public static Accuracy accuracy(SequenceNetwork network, SequenceData.EvalSet set) {
        int outputs = network.spec().outputs();
        long[] right = new long[2];                                      // sequences, counts
        network.predictSet(set, (rows, p, y) -> count(p, y, rows, outputs, right));
        return new Accuracy((double) right[0] / set.rows(), (double) right[1] / ((long) set.rows() * outputs));
    }

    /** {@link Accuracy} of predictions against counts, rows × outputs values each, row by row. */
    public static Accuracy accuracy(double[] predicted, double[] counts, int outputs) {
        int rows = predicted.length / outputs;
        long[] right = new long[2];
        count(predicted, counts, rows, outputs, right);
        return new Accuracy((double) right[0] / rows, (double) right[1] / ((long) rows * outputs));
    }

    private static void count(double[] p, double[] y, int rows, int outputs, long[] right) {
        for (int r = 0; r < rows; r++) {
            boolean all = true;
            for (int o = 0; o < outputs; o++) {
                boolean ok = Math.rint(p[r * outputs + o]) == y[r * outputs + o];
                all &= ok;
                right[1] += ok ? 1 : 0;
            }
            right[0] += all ? 1 : 0;
        }
    }
}
