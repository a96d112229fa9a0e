package dev.nalu.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import dev.nalu.compute.LayerWeights;
import dev.nalu.compute.Network;
import dev.nalu.compute.NetworkDifferences;
import dev.nalu.compute.Tensor;
import dev.nalu.compute.Unit;
import dev.nalu.compute.WeightRefit;
import dev.nalu.task.Dataset;

/**
 * Refit and snap for a search candidate's trained member (docs/search.md, "Refit and snap on training rows"), along
 * the lines of {@link dev.nalu.compute.MacRefit}: a member gradient descent leaves near, but off, an exact structure
 * becomes that structure when a snapped network fits the rows.
 *
 * <ol>
 * <li><b>Refit.</b> Levenberg–Marquardt on the relative residuals (ŷ − y)/|y| (|y| floored at 10⁻³ of the mean |y|)
 * over every real parameter of the member as trained: NAU and NMU weights, RealNPU exponents and gates, and the
 * learned constants. Relative, because Feynman targets span orders of magnitude and a squared error in absolute
 * terms fits the large rows only.</li>
 * <li><b>Identity first</b>, when the refit fits: each weight (NAU, NMU, RealNPU exponent), smallest magnitude
 * first, is set to 0 with the rest refitted, and kept there if the rows still fit.</li>
 * <li><b>Nearest first.</b> The weight or gate nearest its admissible value (NAU −1, 0, 1; NMU and gates 0, 1;
 * exponents multiples of ½) is set, in turn, to each value it may take (an exponent: the halves below and above it,
 * and 0) with the rest refitted, and the value whose refit fits best is kept; until every one is set.</li>
 * </ol>
 * "Fit": a mean squared relative residual below {@link #FIT} on the training rows. Step 3 keeps the best value even
 * when it does not fit (trained members are off by 10⁻³ to 10⁻⁵, not by rounding); the learned constants stay free
 * to the end, {@link Snapper} then snaps them on the validation rows, and the result counts only if its formula
 * reproduces the validation targets. Nothing here reads a formula: the order of trials comes from the member's
 * values, the choice of value from the training rows, the acceptance from the validation rows.
 */
public final class SearchRefit extends WeightRefit {
    /** A fit's largest mean squared relative residual (about 10⁻⁶ a row; the RealNPU's ε alone leaves about 10⁻¹⁴). */
    static final double FIT = 1e-12;
    /** Training rows a refit reads. */
    public static final int ROWS = 300;

    private final Network shape;
    private final List<Slot> slots;
    private final double[] x;
    private final double[] y;
    private final double[] scale;
    private final int rows;

    /** One real parameter: a layer, a tensor, an index, and what kind of value it snaps to. */
    record Slot(int layer, String name, int index, Kind kind) {
    }

    enum Kind {
        /** A NAU weight: −1, 0, 1. */
        TERNARY,
        /** An NMU weight or a RealNPU gate: 0, 1. */
        BINARY,
        /** A RealNPU exponent: a multiple of ½. */
        HALF,
        /** A learned constant: free here. */
        CONSTANT
    }

    private SearchRefit(Network network, Dataset train) {
        this.shape = network;
        this.slots = slots(network);
        this.rows = Math.min(ROWS, train.rows());
        this.x = Arrays.copyOf(train.x(), rows * train.cols());
        this.y = Arrays.copyOf(train.y(), rows);
        double mean = 0;
        for (double v : y) {
            mean += Math.abs(v) / rows;
        }
        this.scale = new double[rows];
        for (int r = 0; r < rows; r++) {
            scale[r] = Math.max(Math.abs(y[r]), 1e-3 * mean);
        }
    }

    /** Whether every layer is one this class refits: NAU, NMU, RealNPU. */
    public static boolean applies(Network network) {
        for (LayerWeights lw : network.layers()) {
            Unit u = lw.spec().unit();
            if (u != Unit.NAU && u != Unit.NMU && u != Unit.REAL_NPU) {
                return false;
            }
        }
        return true;
    }

    /**
     * The member refitted and snapped on the training rows and judged on the validation rows: the snap when it
     * reproduces the validation targets, else null.
     */
    public static Result snap(Network network, Dataset train, Dataset validation) {
        if (!applies(network) || train.rows() == 0) {
            return null;
        }
        Network snapped = structure(network, train);
        if (snapped == null) {
            return null;
        }
        Snapper.Snap s = Snapper.snapOnce(snapped, validation);
        if (!s.reproducesTargets()) {
            return null;
        }
        // a sum negative on every row under a RealNPU, read as |x| with a cosine of the sign: the same formula with
        // the sum negated when that still reproduces the targets ((−a − b) ÷ (−c − d) is (a + b) ÷ (c + d))
        Network positive = Snapper.positiveSums(snapped, train.x(), Math.min(ROWS, train.rows()));
        if (!positive.equals(snapped)) {
            Snapper.Snap p = Snapper.snapOnce(positive, validation);
            if (p.reproducesTargets()) {
                return new Result(positive, p);
            }
        }
        return new Result(snapped, s);
    }

    /** A refitted network (every weight and gate at its admissible value, constants as fitted) and its snap. */
    public record Result(Network network, Snapper.Snap snap) {
    }

    /** The network with every weight and gate snapped and its constants refitted on the training rows, or null. */
    static Network structure(Network network, Dataset train) {
        SearchRefit fit = new SearchRefit(network, train);
        double[] p = fit.values(network);
        boolean[] frozen = new boolean[p.length];
        fit.refit(p, frozen);
        boolean fits = fit.meanSquare(p) < FIT;
        double[] trained = p.clone();
        List<Integer> weights = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            Kind k = fit.slots.get(i).kind();
            if (k == Kind.TERNARY || k == Kind.HALF || k == Kind.BINARY && !"g".equals(fit.slots.get(i).name())) {
                weights.add(i);
            }
        }
        weights.sort(Comparator.comparingDouble(i -> Math.abs(trained[i])));
        for (int i : fits ? weights : List.<Integer>of()) {
            fit.tryValue(p, frozen, i, 0);
        }
        while (true) {
            int next = -1;
            double nearest = Double.POSITIVE_INFINITY;
            for (int i = 0; i < p.length; i++) {
                if (!frozen[i] && fit.slots.get(i).kind() != Kind.CONSTANT && off(fit.slots.get(i).kind(), p[i]) < nearest) {
                    nearest = off(fit.slots.get(i).kind(), p[i]);
                    next = i;
                }
            }
            if (next < 0) {
                break;
            }
            fit.bestValue(p, frozen, next);
        }
        return fit.network(p);
    }

    static double admissible(Kind kind, double v) {
        return switch (kind) {
            case TERNARY -> Snapper.ternary(v);
            case BINARY -> Snapper.binary(v);
            case HALF -> Snapper.half(v);
            case CONSTANT -> v;
        };
    }

    private static double off(Kind kind, double v) {
        return Math.abs(v - admissible(kind, v));
    }

    /** Sets weight i to the admissible value (of those next to it) whose refit fits best, and freezes it. */
    private void bestValue(double[] p, boolean[] frozen, int i) {
        Kind kind = slots.get(i).kind();
        double[] values = switch (kind) {
            case TERNARY -> new double[] {-1, 0, 1};
            case BINARY -> new double[] {0, 1};
            default -> new double[] {Math.floor(p[i] * 2) / 2, Math.ceil(p[i] * 2) / 2, 0};
        };
        double[] best = null;
        double bestError = Double.POSITIVE_INFINITY;
        for (double v : values) {
            double[] q = p.clone();
            q[i] = v;
            frozen[i] = true;
            refit(q, frozen);
            double e = meanSquare(q);
            if (e < bestError) {
                bestError = e;
                best = q;
            }
        }
        System.arraycopy(best, 0, p, 0, p.length);
    }

    /** A trial is kept when the rows still fit. */
    @Override
    protected boolean keeps(double[] before, double[] after) {
        return meanSquare(after) < FIT;
    }

    @Override
    protected double[] residuals(double[] p) {
        return relative(network(p).predict(x, rows));
    }

    /** The columns of the forward differences from one pass of the rows at the base ({@link NetworkDifferences}). */
    @Override
    protected Differences differences(double[] base) {
        NetworkDifferences moved = new NetworkDifferences(network(base), x, rows);
        return (i, value) -> {
            Slot s = slots.get(i);
            return relative(moved.predict(s.layer(), s.name(), s.index(), value));
        };
    }

    /** (ŷ − y)/scale per row, a non-finite one as 1e150. */
    private double[] relative(double[] out) {
        for (int k = 0; k < rows; k++) {
            out[k] = (out[k] - y[k]) / scale[k];
            if (!Double.isFinite(out[k])) {
                out[k] = 1e150;
            }
        }
        return out;
    }

    /** NAU weights in [−1, 1], NMU weights and gates in [0, 1], as training keeps them. */
    @Override
    protected double clamp(int i, double v) {
        return switch (slots.get(i).kind()) {
            case TERNARY -> Math.max(-1, Math.min(1, v));
            case BINARY -> Math.max(0, Math.min(1, v));
            default -> v;
        };
    }

    static List<Slot> slots(Network n) {
        List<Slot> out = new ArrayList<>();
        for (int l = 0; l < n.layers().size(); l++) {
            LayerWeights lw = n.layers().get(l);
            Unit u = lw.spec().unit();
            add(out, lw, l, "W", u == Unit.NAU ? Kind.TERNARY : u == Unit.NMU ? Kind.BINARY : Kind.HALF);
            if (u == Unit.REAL_NPU) {
                add(out, lw, l, "g", Kind.BINARY);
            }
            if (lw.spec().constant()) {
                add(out, lw, l, u == Unit.REAL_NPU ? "s" : "b", Kind.CONSTANT);
            }
        }
        return out;
    }

    private static void add(List<Slot> out, LayerWeights lw, int l, String name, Kind kind) {
        for (int i = 0; i < lw.get(name).data().length; i++) {
            out.add(new Slot(l, name, i, kind));
        }
    }

    double[] values(Network n) {
        double[] p = new double[slots.size()];
        for (int i = 0; i < p.length; i++) {
            Slot s = slots.get(i);
            p[i] = n.layers().get(s.layer()).get(s.name()).data()[s.index()];
        }
        return p;
    }

    Network network(double[] p) {
        List<LayerWeights> layers = new ArrayList<>(shape.layers());
        for (int l = 0; l < layers.size(); l++) {
            LayerWeights lw = layers.get(l);
            for (String name : lw.tensors().keySet()) {
                Tensor t = lw.get(name);
                double[] v = t.data().clone();
                boolean touched = false;
                for (int i = 0; i < p.length; i++) {
                    Slot s = slots.get(i);
                    if (s.layer() == l && s.name().equals(name)) {
                        v[s.index()] = p[i];
                        touched = true;
                    }
                }
                if (touched) {
                    lw = lw.with(name, new Tensor(t.rows(), t.cols(), v));
                }
            }
            layers.set(l, lw);
        }
        return new Network(shape.spec(), layers);
    }
}
