package dev.nalu.compute;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refit and snap for a trained MAC cell over tokens with an NAU head (docs/sequence.md, "Refit and snap"): the member
 * gradient descent leaves near, but off, integer tables becomes an integer network when one fits every training row.
 *
 * <p>Three stages, all on the training rows only:
 * <ol>
 * <li><b>Refit.</b> Levenberg–Marquardt on the relative residuals (ŷ − y)/max(1, |y|) over every weight (L and A of
 * the cell, W of the head, the head clamped to [−1, 1]). Relative, because a squared error in absolute terms weighs
 * "nine hundred and ninety nine" 10⁴ times more than "nine", which is what leaves the digits of a trained member off
 * by a common factor; Levenberg–Marquardt, because this small least-squares problem (59 weights at hidden size 1)
 * then converges to rounding in tens of iterations where Adam takes thousands of steps.</li>
 * <li><b>Identity first.</b> The head's weights round; then each cell weight, smallest magnitude first, is tried at
 * its identity value (a factor of 1, L = 0; a term of 0) with the others refitted, and kept there if the training
 * rows still fit. Where the data fixes only a product (a token always followed by the same other token), this
 * puts the factor on one of them and 1 on the other, rather than leaving a product split between the two.</li>
 * <li><b>Integers.</b> Each remaining weight, nearest to an integer first, is rounded (M to an integer ≥ 1, A to an
 * integer) with the others refitted, and kept if the rows still fit.</li>
 * </ol>
 * "Fit": every training row within 0.5 of its target and a mean squared relative residual below {@link #FIT}. The
 * result is the integer network when every weight snapped, else none. Nothing here reads a target's formula: the
 * order of trials comes from the trained weights' values, the decision from the training rows. Whether the snapped
 * network is taken is decided on the validation set by the caller ({@link #snapBest}).
 */
public final class MacRefit extends RowRefit {
    /**
     * A fit's largest mean squared relative residual (a relative error of about 10⁻⁶ a row): an integer network that
     * fits leaves rounding only (about 10⁻³⁰), one that does not is off by far more.
     */
    static final double FIT = 1e-12;
    /** How many members, lowest validation MSE first, a job refits and snaps before keeping its trained selection. */
    public static final int TRIES = 4;

    private final int vocabulary;
    private final int hidden;
    private final double[] h0;
    /** The training rows' token ids (padding dropped) and targets. */
    private final int[][] rows;
    private final double[] targets;

    private MacRefit(SequenceSpec spec, double[] h0, SequenceData.EvalSet train) {
        this.vocabulary = spec.vocabulary();
        this.hidden = spec.hidden();
        this.h0 = h0;
        int length = train.length();
        double[] x = new double[train.rows() * length];
        double[] y = new double[train.rows()];
        train.source().fill(0, train.rows(), x, y);
        this.rows = new int[train.rows()][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = Arrays.stream(x, r * length, (r + 1) * length).mapToInt(v -> (int) v).filter(id -> id > 0).toArray();
        }
        this.targets = y;
    }

    /** Whether a network is one this class refits: a MAC cell reading one-hot tokens, an NAU head with one output. */
    public static boolean applies(SequenceSpec spec) {
        return spec.cell() == CellKind.MAC && spec.readsTokens() && spec.head() == Unit.NAU && spec.outputs() == 1;
    }

    /** A member chosen on validation: its index and its network (integer tables when {@code snapped}). */
    public record Choice(int member, SequenceNetwork network, boolean snapped) {
    }

    /**
     * The first of the {@code tries} members with the lowest validation MSE whose refitted and snapped network is
     * below the validation set's threshold, or null (then the trained selection stands). Only the training rows
     * refit and snap, and only the validation set accepts.
     */
    public static Choice snapBest(SequenceModel model, double[] validationMse, SequenceData.EvalSet train,
                                  SequenceData.EvalSet validation, int tries) {
        if (!applies(model.spec())) {
            return null;
        }
        Integer[] order = new Integer[validationMse.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, Comparator.comparingDouble(k -> validationMse[k]));
        for (int i = 0; i < Math.min(tries, order.length); i++) {
            SequenceNetwork snapped = snap(model.network(order[i]), train);
            if (snapped != null && SequenceTrainer.below(snapped, validation, validation.threshold())) {
                return new Choice(order[i], snapped, true);
            }
        }
        return null;
    }

    /** The network refitted and snapped to integer tables on the training rows, or null when no integer network fits them. */
    public static SequenceNetwork snap(SequenceNetwork network, SequenceData.EvalSet train) {
        if (!applies(network.spec())) {
            throw new IllegalArgumentException("refit and snap apply to a MAC cell over tokens with an NAU head");
        }
        MacRefit fit = new MacRefit(network.spec(), network.cell().get("h0").data(), train);
        double[] p = fit.weights(network);
        boolean[] frozen = new boolean[p.length];
        // no test of the fit here: where the rows fix only products the refit converges slowly along the free
        // direction, and the trials below, each with one more weight fixed, decide
        fit.refit(p, frozen);
        int cellWeights = fit.head();
        for (int i = cellWeights; i < p.length; i++) {
            fit.tryValue(p, frozen, i, Math.max(-1, Math.min(1, Math.rint(p[i]))));
        }
        Integer[] order = new Integer[cellWeights];
        for (int i = 0; i < cellWeights; i++) {
            order[i] = i;
        }
        double[] refitted = p.clone();
        Arrays.sort(order, Comparator.comparingDouble(i -> Math.abs(refitted[i])));
        for (int i : order) {
            fit.tryValue(p, frozen, i, 0);
        }
        while (true) {
            int next = -1;
            double nearest = Double.POSITIVE_INFINITY;
            for (int i = 0; i < p.length; i++) {
                if (!frozen[i] && fit.offInteger(p, i) < nearest) {
                    nearest = fit.offInteger(p, i);
                    next = i;
                }
            }
            if (next < 0) {
                break;
            }
            if (!fit.tryValue(p, frozen, next, fit.integer(p, next))) {
                return null;
            }
        }
        return fit.network(network, p);
    }

    /** A trial is kept when the rows still fit. */
    @Override
    protected boolean keeps(double[] before, double[] after) {
        return fits(after);
    }

    /** Weight i's nearest integer value: M = e^L to an integer ≥ 1 (as its logarithm), A and W rounded (W into [−1, 1]). */
    private double integer(double[] p, int i) {
        if (i < vocabulary * hidden) {
            return Math.log(Math.max(1, Math.rint(Math.exp(p[i]))));
        }
        double v = Math.rint(p[i]);
        return i >= 2 * vocabulary * hidden ? Math.max(-1, Math.min(1, v)) : v;
    }

    /** How far weight i is from {@link #integer}: relative for a factor, absolute otherwise. */
    private double offInteger(double[] p, int i) {
        if (i < vocabulary * hidden) {
            double m = Math.exp(p[i]);
            return Math.abs(m - Math.max(1, Math.rint(m))) / Math.max(1, Math.rint(m));
        }
        return Math.abs(p[i] - integer(p, i));
    }

    /** L (vocabulary × hidden), A (vocabulary × hidden) and the head's W (hidden), one vector. */
    private double[] weights(SequenceNetwork network) {
        double[] l = network.cell().get("L").data();
        double[] a = network.cell().get("A").data();
        double[] w = network.head().get("W").data();
        double[] p = new double[l.length + a.length + w.length];
        System.arraycopy(l, 0, p, 0, l.length);
        System.arraycopy(a, 0, p, l.length, a.length);
        System.arraycopy(w, 0, p, l.length + a.length, w.length);
        return p;
    }

    private SequenceNetwork network(SequenceNetwork network, double[] p) {
        int n = vocabulary * hidden;
        Map<String, Tensor> cell = new LinkedHashMap<>(network.cell().tensors());
        cell.put("L", new Tensor(vocabulary, hidden, Arrays.copyOfRange(p, 0, n)));
        cell.put("A", new Tensor(vocabulary, hidden, Arrays.copyOfRange(p, n, 2 * n)));
        CellWeights c = new CellWeights(network.cell().kind(), network.cell().in(), hidden, cell);
        LayerWeights head = network.head().with("W", new Tensor(hidden, 1, Arrays.copyOfRange(p, 2 * n, p.length)));
        return new SequenceNetwork(network.spec(), c, head);
    }

    /** Every training row within 0.5 of its target and the mean squared relative residual below {@link #FIT}. */
    private boolean fits(double[] p) {
        double sum = 0;
        for (int r = 0; r < rows.length; r++) {
            double e = predict(p, rows[r], null) - targets[r];
            if (!(Math.abs(e) < 0.5)) {
                return false;
            }
            double rel = e / scale(r);
            sum += rel * rel;
        }
        return sum / rows.length < FIT;
    }

    /**
     * ŷ for one row; with {@code gradient} non-null, also dŷ/dp there (overwritten): backpropagation through the
     * row's tokens, dŷ/dA[w_t] = W ⊙ Π_{s>t} M[w_s], dŷ/dL[w_t] = that ⊙ h_{t−1} ⊙ M[w_t], dŷ/dW = h_T.
     */
    private double predict(double[] p, int[] ids, double[] gradient) {
        int n = vocabulary * hidden;
        double[][] h = new double[ids.length + 1][];
        h[0] = h0.clone();
        for (int t = 0; t < ids.length; t++) {
            h[t + 1] = new double[hidden];
            int row = (ids[t] - 1) * hidden;
            for (int j = 0; j < hidden; j++) {
                h[t + 1][j] = h[t][j] * Math.exp(p[row + j]) + p[n + row + j];
            }
        }
        double y = 0;
        for (int j = 0; j < hidden; j++) {
            y += p[2 * n + j] * h[ids.length][j];
        }
        if (gradient != null) {
            Arrays.fill(gradient, 0);
            double[] d = new double[hidden];
            for (int j = 0; j < hidden; j++) {
                gradient[2 * n + j] = h[ids.length][j];
                d[j] = p[2 * n + j];
            }
            for (int t = ids.length - 1; t >= 0; t--) {
                int row = (ids[t] - 1) * hidden;
                for (int j = 0; j < hidden; j++) {
                    double m = Math.exp(p[row + j]);
                    gradient[n + row + j] += d[j];
                    gradient[row + j] += d[j] * h[t][j] * m;
                    d[j] *= m;
                }
            }
        }
        return y;
    }

    @Override
    int rows() {
        return rows.length;
    }

    @Override
    double target(int k) {
        return targets[k];
    }

    @Override
    double predict(double[] p, int k, double[] gradient) {
        return predict(p, rows[k], gradient);
    }

    /** The head's weights in [−1, 1] as the NAU clamps them; the cell's unbounded. */
    @Override
    protected double clamp(int i, double v) {
        return i >= head() ? Math.max(-1, Math.min(1, v)) : v;
    }

    /** The index of the head's first weight in the weight vector. */
    private int head() {
        return 2 * vocabulary * hidden;
    }
}
