package dev.nalu.compute;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Refit and snap for a trained NAU or NMU recurrent cell with an NAU or NMU head (docs/sequence.md, "Refit and snap
 * for NAU and NMU cells"): a member that gradient descent left in a saddle — the inputs of one sum split between the
 * two state values, or W_h mixing both — becomes the integer network when one fits every training row. The same idea
 * as {@link MacRefit} for number words, on the cell's and head's weights in float64:
 * <ol>
 * <li><b>Refit.</b> Levenberg–Marquardt on the relative residuals (ŷ − y)/max(1, |y|) over W_x, W_h, h_0 and the
 * head's W (each clamped to its unit's range: [−1, 1] for the NAU, [0, 1] for the NMU), with the analytic Jacobian
 * (forward-mode through the steps).</li>
 * <li><b>Identity first.</b> W_h is set to the identity (each state value carries itself on, as the MAC cell's
 * factors of 1 do) with the others refitted, and kept there if the rows then fit, or fit no worse than before. From
 * the saddles above, W_h at the identity turns the refit into a product of two running sums, whose least squares
 * has no split to stay in: the refit then reaches the exact sums. (Without this step, none of 7 failing × seeds
 * snapped: docs/results/recurrent.md.)</li>
 * <li><b>Snap.</b> Each weight in turn, nearest to its rounded value first, is set to an integer of its unit's range
 * (h_0 to any integer) with the others refitted, and kept if the training rows then fit, or fit no worse than before
 * the trial; a weight not kept at its nearest integer is tried at the other integer next to it (a weight at 0.5 has
 * two). Once the rows fit, a weight that fits at neither ends the trial: no network. The result is the integer
 * network when every weight is kept at an integer and the rows fit, else none.</li>
 * </ol>
 * "Fit": every row's relative residual below 1e−6 and their mean square below {@link #FIT}: an integer network that is
 * the task's recurrence leaves float64 rounding only. Nothing here reads the target's formula: the order of trials
 * comes from the trained weights, the decision from the training rows. Whether the integer network is taken is decided
 * on the validation set by the caller ({@link #snapBest}).
 */
public final class RecurrentRefit extends RowRefit {
    /** A fit's largest mean squared relative residual: an exact integer network leaves rounding only (~1e−30). */
    static final double FIT = 1e-18;
    /** A fit's largest relative residual on any one row. */
    static final double ROW = 1e-6;
    /**
     * How many members, lowest validation MSE first, are refitted and snapped before the trained selection stands: the
     * recipe's whole population (a member takes 0.3 s to 2 s; on × the first that passes was the 1st to 5th).
     */
    public static final int TRIES = 16;
    /** Training rows the refit uses: {@link #BATCHES} of the task's own training batches of {@link #BATCH_ROWS} rows. */
    public static final int BATCHES = 4;
    static final int BATCH_ROWS = 64;
    /**
     * How often a job tries the stage during training ({@link SequenceTrainer#refitCheck()}): every 10,000 steps, the
     * end of the recipe's regulariser ramp and the budget at which × was measured (10 of 10 seeds), so that a job whose
     * members never snap-stop need not train its whole budget first.
     */
    public static final long EVERY = 10_000;

    private final SequenceSpec spec;
    private final int in;
    private final int hidden;
    private final int length;
    /** Training rows: rows × length × in values, and their targets. */
    private final double[][] xs;
    private final double[] targets;
    // offsets in the weight vector: W_x (in × hidden), W_h (hidden × hidden), h_0 (hidden), head W (hidden)
    private final int wh;
    private final int h0;
    private final int head;
    private final int size;

    RecurrentRefit(SequenceSpec spec, double[][] xs, double[] targets, int length) {
        this.spec = spec;
        this.in = spec.inputs();
        this.hidden = spec.hidden();
        this.length = length;
        this.xs = xs;
        this.targets = targets;
        this.wh = in * hidden;
        this.h0 = wh + hidden * hidden;
        this.head = h0 + hidden;
        this.size = head + hidden;
    }

    /** The training rows of a task: {@link #BATCHES} of its training batches (steps 0, 1, …) at the training length. */
    public static RecurrentRefit of(SequenceSpec spec, SequenceData data) {
        int length = data.trainLength();
        int rows = BATCHES * BATCH_ROWS;
        double[][] xs = new double[rows][];
        double[] targets = new double[rows];
        double[] x = new double[BATCH_ROWS * length * data.inputs()];
        double[] y = new double[BATCH_ROWS * data.outputs()];
        for (int b = 0; b < BATCHES; b++) {
            data.batch(b, x, y, BATCH_ROWS);
            for (int r = 0; r < BATCH_ROWS; r++) {
                int n = length * data.inputs();
                xs[b * BATCH_ROWS + r] = Arrays.copyOfRange(x, r * n, (r + 1) * n);
                targets[b * BATCH_ROWS + r] = y[r * data.outputs()];
            }
        }
        return new RecurrentRefit(spec, xs, targets, length);
    }

    /** Whether a network is one this class refits: an NAU or NMU cell over values, an NAU or NMU head of one output. */
    public static boolean applies(SequenceSpec spec) {
        return (spec.cell() == CellKind.NAU || spec.cell() == CellKind.NMU) && !spec.readsTokens()
                && (spec.head() == Unit.NAU || spec.head() == Unit.NMU) && spec.outputs() == 1;
    }

    /** A member chosen on validation: its index and its integer network. */
    public record Choice(int member, SequenceNetwork network) {
    }

    /**
     * The first of the {@code tries} members with the lowest validation MSE whose refitted and snapped network is
     * below the validation set's threshold, or null (then the trained selection stands). Only the training rows
     * ({@link #of}) refit and snap, and only the validation set accepts.
     */
    public static Choice snapBest(List<SequenceNetwork> members, double[] validationMse, SequenceData data, int tries) {
        if (members.isEmpty() || !applies(members.get(0).spec())) {
            return null;
        }
        RecurrentRefit fit = of(members.get(0).spec(), data);
        Integer[] order = IntStream.range(0, validationMse.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(
                k -> Double.isNaN(validationMse[k]) ? Double.POSITIVE_INFINITY : validationMse[k]));
        SequenceData.EvalSet validation = data.validation();
        for (int i = 0; i < Math.min(tries, order.length); i++) {
            SequenceNetwork snapped = fit.snap(members.get(order[i]));
            if (snapped != null && SequenceTrainer.below(snapped, validation, validation.threshold())) {
                return new Choice(order[i], snapped);
            }
        }
        return null;
    }

    /**
     * The network refitted and snapped to integer weights on the training rows, or null when no integer network fits
     * them (or the network is not one this class refits: a head with a constant, non-finite weights).
     */
    public SequenceNetwork snap(SequenceNetwork network) {
        if (!applies(network.spec()) || network.head().tensors().size() != 1 || !network.finite()) {
            return null;
        }
        double[] p = weights(network);
        boolean[] frozen = new boolean[size];
        refit(p, frozen);
        // identity first: W_h at the identity (each state value carries itself on), the others refitted
        double[] identity = p.clone();
        boolean[] block = frozen.clone();
        for (int i = 0; i < hidden; i++) {
            for (int j = 0; j < hidden; j++) {
                identity[wh + i * hidden + j] = i == j ? 1 : 0;
                block[wh + i * hidden + j] = true;
            }
        }
        refit(identity, block);
        if (keeps(p, identity)) {
            p = identity;
            frozen = block;
        }
        boolean[] tried = new boolean[size];
        while (true) {
            int next = -1;
            double nearest = Double.POSITIVE_INFINITY;
            for (int i = 0; i < size; i++) {
                double off = Math.abs(p[i] - integer(i, p[i]));
                if (!frozen[i] && !tried[i] && off < nearest) {
                    nearest = off;
                    next = i;
                }
            }
            if (next < 0) {
                break;
            }
            tried[next] = true;
            double first = integer(next, p[next]);
            double second = integer(next, p[next] < first ? first - 1 : first + 1);
            if (!tryValue(p, frozen, next, first) && (second == first || !tryValue(p, frozen, next, second)) && fits(p)) {
                return null;
            }
        }
        for (boolean f : frozen) {
            if (!f) {
                return null;
            }
        }
        return fits(p) ? network(network, p) : null;
    }

    /** Whether refitted weights q replace p: they fit the rows, or leave them no worse fitted than p does. */
    @Override
    protected boolean keeps(double[] p, double[] q) {
        return fits(q) || meanSquare(q) <= meanSquare(p);
    }


    /** The integer nearest v in weight i's range: {−1, 0, 1} for an NAU weight, {0, 1} for an NMU one, any for h_0. */
    private double integer(int i, double v) {
        double r = Math.rint(v);
        if (i >= h0 && i < head) {
            return r;
        }
        return Math.max(low(i), Math.min(1, r));
    }

    /** The lower end of weight i's range (the upper is 1): −1 for an NAU weight, 0 for an NMU one. */
    private double low(int i) {
        Unit unit = i >= head ? spec.head() : spec.cell() == CellKind.NAU ? Unit.NAU : Unit.NMU;
        return unit == Unit.NAU ? -1 : 0;
    }

    @Override
    protected double clamp(int i, double v) {
        return i >= h0 && i < head ? v : Math.max(low(i), Math.min(1, v));
    }

    double[] weights(SequenceNetwork network) {
        double[] p = new double[size];
        System.arraycopy(network.cell().get("Wx").data(), 0, p, 0, wh);
        System.arraycopy(network.cell().get("Wh").data(), 0, p, wh, hidden * hidden);
        System.arraycopy(network.cell().get("h0").data(), 0, p, h0, hidden);
        System.arraycopy(network.head().get("W").data(), 0, p, head, hidden);
        return p;
    }

    private SequenceNetwork network(SequenceNetwork network, double[] p) {
        CellWeights cell = network.cell()
                .with("Wx", new Tensor(in, hidden, Arrays.copyOfRange(p, 0, wh)))
                .with("Wh", new Tensor(hidden, hidden, Arrays.copyOfRange(p, wh, h0)))
                .with("h0", new Tensor(1, hidden, Arrays.copyOfRange(p, h0, head)));
        LayerWeights w = network.head().with("W", new Tensor(hidden, 1, Arrays.copyOfRange(p, head, size)));
        return new SequenceNetwork(network.spec(), cell, w);
    }

    /** Every row's relative residual below {@link #ROW} and their mean square below {@link #FIT}. */
    boolean fits(double[] p) {
        double sum = 0;
        for (int r = 0; r < xs.length; r++) {
            double e = (predict(p, xs[r], null) - targets[r]) / scale(r);
            if (!(Math.abs(e) < ROW)) {
                return false;
            }
            sum += e * e;
        }
        return sum / xs.length < FIT;
    }

    /**
     * ŷ for one row; with {@code gradient} non-null, also dŷ/dp there (overwritten), carried forward through the steps
     * as dh/dp (hidden × weights).
     */
    double predict(double[] p, double[] x, double[] gradient) {
        boolean nau = spec.cell() == CellKind.NAU;
        double[] h = Arrays.copyOfRange(p, h0, head);
        double[][] dh = null;
        if (gradient != null) {
            dh = new double[hidden][size];
            for (int j = 0; j < hidden; j++) {
                dh[j][h0 + j] = 1;
            }
        }
        double[] next = new double[hidden];
        double[][] dnext = gradient == null ? null : new double[hidden][size];
        double[] factors = new double[in + hidden];
        for (int t = 0; t < length; t++) {
            int o = t * in;
            for (int j = 0; j < hidden; j++) {
                if (nau) {
                    double s = 0;
                    for (int i = 0; i < in; i++) {
                        s += x[o + i] * p[i * hidden + j];
                    }
                    for (int i = 0; i < hidden; i++) {
                        s += h[i] * p[wh + i * hidden + j];
                    }
                    next[j] = s;
                    if (dnext != null) {
                        double[] d = dnext[j];
                        Arrays.fill(d, 0);
                        for (int i = 0; i < in; i++) {
                            d[i * hidden + j] = x[o + i];
                        }
                        for (int i = 0; i < hidden; i++) {
                            d[wh + i * hidden + j] = h[i];
                            double w = p[wh + i * hidden + j];
                            if (w != 0) {
                                for (int q = 0; q < size; q++) {
                                    d[q] += w * dh[i][q];
                                }
                            }
                        }
                    }
                } else {
                    double prod = 1;
                    for (int i = 0; i < in; i++) {
                        double w = p[i * hidden + j];
                        factors[i] = w * x[o + i] + 1 - w;
                        prod *= factors[i];
                    }
                    for (int i = 0; i < hidden; i++) {
                        double w = p[wh + i * hidden + j];
                        factors[in + i] = w * h[i] + 1 - w;
                        prod *= factors[in + i];
                    }
                    next[j] = prod;
                    if (dnext != null) {
                        double[] d = dnext[j];
                        Arrays.fill(d, 0);
                        for (int k = 0; k < in + hidden; k++) {
                            double others = 1;
                            for (int l = 0; l < in + hidden; l++) {
                                if (l != k) {
                                    others *= factors[l];
                                }
                            }
                            if (k < in) {
                                d[k * hidden + j] = others * (x[o + k] - 1);
                            } else {
                                int i = k - in;
                                double w = p[wh + i * hidden + j];
                                d[wh + i * hidden + j] = others * (h[i] - 1);
                                if (w != 0) {
                                    for (int q = 0; q < size; q++) {
                                        d[q] += others * w * dh[i][q];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            double[] swap = h;
            h = next;
            next = swap;
            if (dnext != null) {
                double[][] s = dh;
                dh = dnext;
                dnext = s;
            }
        }
        return headOutput(p, h, dh, gradient);
    }

    /** y = Σ W_i h_i (NAU head) or Π (W_i h_i + 1 − W_i) (NMU head), and its gradient from dh/dp when asked. */
    private double headOutput(double[] p, double[] h, double[][] dh, double[] gradient) {
        boolean nau = spec.head() == Unit.NAU;
        double[] f = new double[hidden];
        double y = nau ? 0 : 1;
        for (int i = 0; i < hidden; i++) {
            double w = p[head + i];
            f[i] = nau ? w * h[i] : w * h[i] + 1 - w;
            y = nau ? y + f[i] : y * f[i];
        }
        if (gradient != null) {
            Arrays.fill(gradient, 0);
            for (int i = 0; i < hidden; i++) {
                double others = 1;
                if (!nau) {
                    for (int l = 0; l < hidden; l++) {
                        if (l != i) {
                            others *= f[l];
                        }
                    }
                }
                double w = p[head + i];
                gradient[head + i] = others * (nau ? h[i] : h[i] - 1);
                for (int q = 0; q < head; q++) {
                    gradient[q] += others * w * dh[i][q];
                }
            }
        }
        return y;
    }

    @Override
    int rows() {
        return xs.length;
    }

    @Override
    double target(int k) {
        return targets[k];
    }

    @Override
    double predict(double[] p, int k, double[] gradient) {
        return predict(p, xs[k], gradient);
    }
}
