package dev.nalu.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import dev.nalu.compute.LayerWeights;
import dev.nalu.compute.Matrices;
import dev.nalu.compute.NacWeight;
import dev.nalu.compute.Network;
import dev.nalu.compute.Tensor;
import dev.nalu.compute.Unit;
import dev.nalu.task.Dataset;

/**
 * Turns a trained member into an exact formula: every weight snaps to its nearest admissible
 * value ({-1, 0, 1}; NMU {0, 1}; gates {0, 1}; RealNPU exponents to multiples of ½), the layers
 * compose symbolically, and the formula is kept only if its interpolation validation error is
 * no worse than the trained model's (within a tolerance: {@link Snap#matchesNetwork()}). Whether
 * it is exact, i.e. reproduces the validation targets, is {@link Snap#reproducesTargets()}.
 * Nothing here looks at the task's expression or at the extrapolation ranges.
 *
 * <p>Learned constants (a RealNPU output's scale c, a NAU's constant-1 input weight b; see
 * {@link dev.nalu.compute.LayerSpec#constant()}) stay floats in the formula unless a simpler exact form
 * does as well on the validation rows: each in turn, in the order of the layers, tries its candidates
 * simplest first ({@link #constantCandidates}) and keeps the first whose formula's validation error is
 * no worse than with the float (same tolerance as above). A scale that snaps to 1 and a constant input
 * that snaps to 0 leave the formula.
 */
public final class Snapper {
    /** Snapped may be this much worse, relatively, than trained... */
    static final double RELATIVE_TOLERANCE = 0.1;
    /** ...plus this fraction of the mean squared target (float rounding of a perfect model). */
    static final double ABSOLUTE_TOLERANCE = 1e-12;
    /** Gated units (NALU, iNALU) are resolved by trying both paths; at most 2^6 combinations. */
    private static final int MAX_GATES = 6;

    private Snapper() {
    }

    /**
     * The outcome: the formula (null when the model has no closed form), whether it is kept because it
     * is no worse than the trained network ({@code matchesNetwork}), both validation errors, and the
     * validation targets' mean square (the scale of {@link #reproducesTargets()}).
     *
     * @param matchesNetwork the snapped formula's validation error is at most the trained network's
     *                       plus {@value #RELATIVE_TOLERANCE} of it (and float rounding): the formula
     *                       is kept, though it may reproduce no target
     */
    public record Snap(Formula formula, boolean matchesNetwork, double trainedValidationMse,
                       double snappedValidationMse, double targetMeanSquare) {
        /**
         * Whether the formula reproduces the validation targets themselves, to float rounding: its MSE is
         * at most {@value #ABSOLUTE_TOLERANCE} of their mean square. This is what "exact" means in a model
         * document. {@link #matchesNetwork()} only says the formula is no worse than the trained network,
         * which a poor network makes easy: on the arithmetic task (×, 100 inputs) the selected members of
         * three jobs first passed that test at a median 1,000 steps, long before they had learned the
         * subsets (a median 59,000). Early stop ends a job only on this stricter test.
         */
        public boolean reproducesTargets() {
            return matchesNetwork && reproduces(snappedValidationMse, targetMeanSquare);
        }

        public String text(List<String> names) {
            return formula == null ? null : "y = " + formula.render(names, false);
        }

        /** The first row where the formula differs from the target in float64, or -1 if it equals it on all. */
        public int firstMismatch(Dataset data) {
            if (formula == null) {
                return 0;
            }
            double[] row = new double[data.cols()];
            for (int r = 0; r < data.rows(); r++) {
                System.arraycopy(data.x(), r * data.cols(), row, 0, data.cols());
                if (formula.evaluate(row) != data.y()[r]) {
                    return r;
                }
            }
            return -1;
        }
    }

    /** Whether an MSE against targets of mean square {@code targetMeanSquare} is float rounding only. */
    public static boolean reproduces(double mse, double targetMeanSquare) {
        return mse <= ABSOLUTE_TOLERANCE * targetMeanSquare;
    }

    public static Snap snap(Network network, Dataset validation) {
        Snap plain = snapOnce(network, validation);
        if (plain.reproducesTargets()) {
            return plain;
        }
        Snap best = plain;
        for (Network refit : java.util.Arrays.asList(refit(network, validation), polish(network, validation, plain))) {
            if (refit == null || best.reproducesTargets()) {
                continue;
            }
            Snap again = snapOnce(refit, validation);
            if (again.formula() == null || !(again.snappedValidationMse() < best.snappedValidationMse() || best.formula() == null)) {
                continue;
            }
            // a refit formula is judged against the trained network, as any other
            double trained = plain.trainedValidationMse();
            boolean keep = again.snappedValidationMse() <= trained * (1 + RELATIVE_TOLERANCE) + ABSOLUTE_TOLERANCE * again.targetMeanSquare();
            if (keep) {
                best = new Snap(again.formula(), true, trained, again.snappedValidationMse(), again.targetMeanSquare());
            }
        }
        return best;
    }

    /** A network polishes only when its validation MSE is within this fraction of the targets' mean square. */
    static final double POLISH_WITHIN = 1e-3;
    /** Validation rows the polish fits on (the first ones); the snapped formula is then judged on all. */
    private static final int POLISH_ROWS = 400;
    private static final int POLISH_ITERATIONS = 60;

    /**
     * The network snapped layer by layer from the head, the rest fitted again after each layer: from the last
     * layer down, that layer's weights snap (as {@link #snapStructure}), then every real parameter still free
     * (the weights, exponents and gates of the layers below and every learned constant, s of a RealNPU·c and b
     * of a NAU+1) is fitted by Levenberg–Marquardt on the first {@value #POLISH_ROWS} validation rows. Before,
     * three exact reparametrisations: {@link #normalise}; an open RealNPU gate 0 < g < 1 that reads a NAU+1 is
     * folded into that NAU's constant ({@link #foldGates}); a NAU output negative on every row under a RealNPU
     * is negated ({@link #positiveSums}). Trained members of (a + b)/(c + d) had the right structure with gates
     * 0.96 and 0.87 nearly cancelled by constants −0.055 and −0.143 (validation MSE 1.5e-3 rounded, 4e-9
     * trained); members of √(a² + b²) held a^0.32·b^2.9 + a^2.9·b^0.32 under a power 0.31, which the refit below a
     * snapped head of ½ moves to a² + b². Which value each weight snaps to is the rounding of its trained or
     * refitted value; the formula is kept only under the same test as any other. Null when the network is not
     * close (validation MSE above {@value #POLISH_WITHIN} of the targets' mean square), has a unit without a
     * formula, or the fit fails.
     */
    static Network polish(Network network, Dataset validation, Snap plain) {
        if (!(plain.trainedValidationMse() <= POLISH_WITHIN * plain.targetMeanSquare())) {
            return null;
        }
        for (LayerWeights lw : network.layers()) {
            if (!lw.spec().unit().snappable()) {
                return null;
            }
        }
        int rows = Math.min(POLISH_ROWS, validation.rows());
        double[] x = java.util.Arrays.copyOf(validation.x(), rows * validation.cols());
        double[] y = java.util.Arrays.copyOf(validation.y(), rows);
        network = positiveSums(foldGates(normalise(network, x, rows)), x, rows);
        List<LayerWeights> layers = new ArrayList<>(network.layers());
        boolean[] snapped = new boolean[layers.size()];
        for (int l = layers.size() - 1; l >= 0; l--) {
            layers.set(l, snapStructure(layers.get(l)));
            snapped[l] = true;
            Network n = new Network(network.spec(), layers);
            List<Slot> free = freeParameters(n, snapped);
            if (free.isEmpty()) {
                continue;
            }
            double[] theta = levenbergMarquardt(n, free, x, y, rows);
            if (theta == null) {
                return null;
            }
            layers = new ArrayList<>(withValues(n, free, theta).layers());
        }
        return new Network(network.spec(), layers);
    }

    /** One real parameter of a network: a layer, a tensor, an index. */
    private record Slot(int layer, String name, int index) {
    }

    /**
     * What a polish fits at a stage: every learned constant (s of a RealNPU·c, b of a NAU+1) and every weight
     * of the layers not yet snapped (NAU and NMU weights, RealNPU exponents and gates).
     */
    private static List<Slot> freeParameters(Network n, boolean[] snapped) {
        List<Slot> free = new ArrayList<>();
        for (int l = 0; l < n.layers().size(); l++) {
            LayerWeights lw = n.layers().get(l);
            List<String> names = new ArrayList<>();
            if (!snapped[l]) {
                names.add("W");
                if (lw.spec().unit() == Unit.REAL_NPU) {
                    names.add("g");
                }
            }
            if (lw.spec().constant()) {
                names.add(lw.spec().unit() == Unit.REAL_NPU ? "s" : "b");
            }
            for (String name : names) {
                for (int i = 0; i < lw.get(name).data().length; i++) {
                    free.add(new Slot(l, name, i));
                }
            }
        }
        return free;
    }

    /**
     * The values of {@code free} that minimise the squared error on the rows, from their current values
     * (Levenberg–Marquardt, forward-difference Jacobian), or null when the error is not finite.
     */
    private static double[] levenbergMarquardt(Network n, List<Slot> free, double[] x, double[] y, int rows) {
        int p = free.size();
        double[] theta = new double[p];
        for (int i = 0; i < p; i++) {
            Slot at = free.get(i);
            theta[i] = n.layers().get(at.layer()).get(at.name()).data()[at.index()];
        }
        return Matrices.levenbergMarquardt(theta, new Matrices.LeastSquares() {
            @Override
            public double[] residuals(double[] t) {
                return Snapper.residuals(n, free, t, x, y, rows);
            }

            @Override
            public double[][] jacobian(double[] t, double[] r) {
                double[][] jac = new double[p][];
                for (int i = 0; i < p; i++) {
                    double h = 1e-7 * Math.max(1, Math.abs(t[i]));
                    double[] moved = t.clone();
                    moved[i] += h;
                    double[] ri = residuals(moved);
                    for (int k = 0; k < rows; k++) {
                        ri[k] = (ri[k] - r[k]) / h;
                    }
                    jac[i] = ri;
                }
                return jac;
            }
        }, POLISH_ITERATIONS);
    }

    /**
     * The same function with each NAU output that is negative on every row and read by a RealNPU negated (its
     * weights and constant): the RealNPU reads |x|, the cosine of a negative input only adds a constant
     * factor, which the scale refits. A sum under a root is then positive, as the snapped √ needs.
     */
    static Network positiveSums(Network network, double[] x, int rows) {
        List<LayerWeights> layers = new ArrayList<>(network.layers());
        int n = network.spec().inputs();
        double[][] h = new double[rows][];
        for (int r = 0; r < rows; r++) {
            h[r] = java.util.Arrays.copyOfRange(x, r * n, r * n + n);
        }
        for (int l = 0; l < layers.size(); l++) {
            LayerWeights lw = layers.get(l);
            double[][] out = new double[rows][];
            for (int r = 0; r < rows; r++) {
                out[r] = Network.apply(lw, h[r]);
            }
            if (lw.spec().unit() == Unit.NAU && l + 1 < layers.size() && layers.get(l + 1).spec().unit() == Unit.REAL_NPU) {
                double[] w = lw.get("W").data().clone();
                double[] b = lw.spec().constant() ? lw.get("b").data().clone() : null;
                boolean changed = false;
                for (int j = 0; j < lw.out(); j++) {
                    boolean negative = rows > 0;
                    for (int r = 0; r < rows && negative; r++) {
                        negative = out[r][j] < 0;
                    }
                    if (negative) {
                        changed = true;
                        for (int i = 0; i < lw.in(); i++) {
                            w[i * lw.out() + j] = -w[i * lw.out() + j];
                        }
                        if (b != null) {
                            b[j] = -b[j];
                        }
                        for (int r = 0; r < rows; r++) {
                            out[r][j] = -out[r][j];
                        }
                    }
                }
                if (changed) {
                    lw = lw.with("W", new Tensor(lw.in(), lw.out(), w));
                    if (b != null) {
                        lw = lw.with("b", new Tensor(1, b.length, b));
                    }
                    layers.set(l, lw);
                }
            }
            h = out;
        }
        return new Network(network.spec(), layers);
    }

    /**
     * The same function with every open RealNPU gate that reads a NAU+1 folded into that NAU's constant (see
     * {@link #polish}); gates that round to 0, and gates on inputs without a constant, stay as they are.
     */
    static Network foldGates(Network network) {
        List<LayerWeights> layers = new ArrayList<>(network.layers());
        for (int l = 1; l < layers.size(); l++) {
            LayerWeights nau = layers.get(l - 1);
            LayerWeights npu = layers.get(l);
            if (npu.spec().unit() != Unit.REAL_NPU || nau.spec().unit() != Unit.NAU || !nau.spec().constant()) {
                continue;
            }
            double[] g = npu.get("g").data().clone();
            double[] b = nau.get("b").data().clone();
            double[] s = npu.spec().constant() ? npu.get("s").data().clone() : null;
            Tensor w = npu.get("W");
            for (int i = 0; i < g.length; i++) {
                if (binary(g[i]) == 1 && g[i] < 1) {
                    b[i] += (1 - g[i]) / g[i];
                    if (s != null) {
                        for (int o = 0; o < s.length; o++) {
                            s[o] += w.at(i, o) * Math.log(g[i]);
                        }
                    }
                    g[i] = 1;
                }
            }
            nau = nau.with("b", new Tensor(1, b.length, b));
            npu = npu.with("g", new Tensor(1, g.length, g));
            if (s != null) {
                npu = npu.with("s", new Tensor(1, s.length, s));
            }
            layers.set(l - 1, nau);
            layers.set(l, npu);
        }
        return new Network(network.spec(), layers);
    }

    private static Network withValues(Network n, List<Slot> free, double[] theta) {
        List<LayerWeights> layers = new ArrayList<>(n.layers());
        for (int i = 0; i < theta.length; i++) {
            Slot at = free.get(i);
            LayerWeights lw = layers.get(at.layer());
            Tensor t = lw.get(at.name());
            double[] v = t.data().clone();
            v[at.index()] = theta[i];
            layers.set(at.layer(), lw.with(at.name(), new Tensor(t.rows(), t.cols(), v)));
        }
        return new Network(n.spec(), layers);
    }

    private static double[] residuals(Network n, List<Slot> free, double[] theta, double[] x, double[] y, int rows) {
        double[] p = withValues(n, free, theta).predict(x, rows);
        for (int k = 0; k < rows; k++) {
            p[k] -= y[k];
            if (!Double.isFinite(p[k])) {
                p[k] = 1e150;
            }
        }
        return p;
    }

    /**
     * The network with its structure snapped (NAU weights to −1, 0, 1, NMU to 0, 1, RealNPU exponents to
     * halves and gates to 0, 1) and the constants of its linear head fitted again by least squares on the
     * validation rows: the scale of a last RealNPU·c, or the scales of the RealNPU·c terms under a last
     * NAU and its constant input. A RealNPU whose gate settled at 0.9 with its exponent at 2.06 computes
     * nearly the same as gate 1 and exponent 2 with another constant; this finds that constant, which the
     * constant snapping then makes exact or not. Null when the network has no such head. The fitted
     * constants come from the data, never from a formula; the formula is kept only under the same test.
     */
    static Network refit(Network network, Dataset validation) {
        network = normalise(network, validation.x(), validation.rows());
        List<LayerWeights> layers = new ArrayList<>();
        for (LayerWeights lw : network.layers()) {
            layers.add(snapStructure(lw));
        }
        int last = layers.size() - 1;
        LayerWeights head = layers.get(last);
        if (head.spec().unit() == Unit.REAL_NPU && head.spec().constant() && head.out() == 1) {
            layers.set(last, head.with("s", new Tensor(1, 1, new double[] {0})));
            Network unit = new Network(network.spec(), layers);
            double[] c = leastSquares(List.of(unit::predict), validation);
            if (c == null || !(c[0] > 0)) {
                return null;
            }
            layers.set(last, head.with("s", new Tensor(1, 1, new double[] {Math.log(c[0])})));
            return new Network(network.spec(), layers);
        }
        if (last < 1 || head.spec().unit() != Unit.NAU || head.out() != 1) {
            return null;
        }
        LayerWeights terms = layers.get(last - 1);
        if (terms.spec().unit() != Unit.REAL_NPU || !terms.spec().constant()) {
            return null;
        }
        int t = terms.out();
        double[] w = head.get("W").data();
        List<Predictor> features = new ArrayList<>();
        for (int i = 0; i <= t; i++) {
            if (i == t && !head.spec().constant()) {
                break;
            }
            double[] sv = new double[t];
            double[] wv = new double[t];
            for (int j = 0; j < t; j++) {
                sv[j] = 0;
                wv[j] = j == i ? 1 : 0;
            }
            List<LayerWeights> copy = new ArrayList<>(layers);
            copy.set(last - 1, terms.with("s", new Tensor(1, t, sv)));
            LayerWeights h = head.with("W", new Tensor(t, 1, wv));
            if (head.spec().constant()) {
                h = h.with("b", new Tensor(1, 1, new double[] {i == t ? 1 : 0}));
            }
            copy.set(last, h);
            Network f = new Network(network.spec(), copy);
            if (i < t && w[i] == 0) {
                continue;
            }
            features.add(f::predict);
        }
        double[] c = leastSquares(features, validation);
        if (c == null) {
            return null;
        }
        double[] sv = new double[t];
        double[] wv = new double[t];
        int k = 0;
        for (int i = 0; i < t; i++) {
            if (w[i] == 0 || c[k] == 0) {
                wv[i] = 0;
                sv[i] = 0;
            } else {
                wv[i] = Math.signum(c[k]);
                sv[i] = Math.log(Math.abs(c[k]));
            }
            k += w[i] == 0 ? 0 : 1;
        }
        layers.set(last - 1, terms.with("s", new Tensor(1, t, sv)));
        LayerWeights h = head.with("W", new Tensor(t, 1, wv));
        if (head.spec().constant()) {
            h = h.with("b", new Tensor(1, 1, new double[] {c[k]}));
        }
        layers.set(last, h);
        return new Network(network.spec(), layers);
    }

    /**
     * Like terms of a sum made one: two RealNPU·c outputs whose exponents snap alike (over the inputs their gates
     * keep) under a NAU become one term with the coefficient c_i·w_ik + c_j·w_jk in each sum k, the other term's
     * weights 0. A member on Feynman I.12.4 held −0.0949707787·q1^−½·r^−½ + 0.0949707781·q1^−½·r^−½ beside the
     * formula: the two cancel to 6·10⁻¹⁰ on the validation rows, yet neither constant can leave alone, so the
     * formula kept both as floats and was not the truth beyond the range. Merged, their sum is a constant the
     * snapping sets to 0. A term of no input joins the NAU's constant input the same way (√(0.36b² + 0.36a² + 1 − 1)
     * on √(a² + b²), seed 2). The formula so snapped is judged on the validation rows as any other. Null when no
     * two terms merge; the caller normalises the merged network again.
     */
    static Network mergeLikeTerms(Network network) {
        List<LayerWeights> layers = new ArrayList<>(network.layers());
        boolean any = false;
        for (int l = 0; l + 1 < layers.size(); l++) {
            LayerWeights npu = layers.get(l);
            LayerWeights nau = layers.get(l + 1);
            if (npu.spec().unit() != Unit.REAL_NPU || !npu.spec().constant() || nau.spec().unit() != Unit.NAU) {
                continue;
            }
            LayerWeights snapped = snapStructure(npu);
            Tensor e = snapped.get("W");
            double[] g = snapped.get("g").data();
            double[] sv = npu.get("s").data();
            Tensor w = nau.get("W");
            int terms = npu.out();
            int sums = nau.out();
            double[] b = nau.spec().constant() ? nau.get("b").data().clone() : null;
            // each term's coefficient in each sum, where its weight does not snap to 0
            double[][] coef = new double[terms][sums];
            boolean[] used = new boolean[terms];
            for (int i = 0; i < terms; i++) {
                for (int k = 0; k < sums; k++) {
                    coef[i][k] = ternary(w.at(i, k)) == 0 ? 0 : Math.exp(sv[i]) * w.at(i, k);
                    used[i] |= coef[i][k] != 0;
                }
            }
            boolean merged = false;
            for (int i = 0; i < terms; i++) {
                if (b != null && used[i] && alike(e, g, i, -1)) {
                    // a term of no input (every power 0) is a constant: it joins the constant input
                    for (int k = 0; k < sums; k++) {
                        b[k] += coef[i][k];
                        coef[i][k] = 0;
                    }
                    used[i] = false;
                    merged = true;
                }
                for (int j = i + 1; j < terms && used[i]; j++) {
                    if (used[j] && alike(e, g, i, j)) {
                        for (int k = 0; k < sums; k++) {
                            coef[i][k] += coef[j][k];
                            coef[j][k] = 0;
                        }
                        used[j] = false;
                        merged = true;
                    }
                }
            }
            if (!merged) {
                continue;
            }
            // scales 1 and the coefficients as weights: the normalisation that follows gives them their form
            double[] wv = new double[terms * sums];
            for (int i = 0; i < terms; i++) {
                for (int k = 0; k < sums; k++) {
                    wv[i * sums + k] = coef[i][k];
                }
            }
            layers.set(l, npu.with("s", new Tensor(1, terms, new double[terms])));
            LayerWeights sum = nau.with("W", new Tensor(terms, sums, wv));
            layers.set(l + 1, b == null ? sum : sum.with("b", new Tensor(1, sums, b)));
            any = true;
        }
        return any ? new Network(network.spec(), layers) : null;
    }

    /**
     * Whether outputs i and j of a snapped RealNPU take the same powers of the inputs its gates keep; j = −1 asks
     * whether output i takes none (a constant).
     */
    private static boolean alike(Tensor exponents, double[] gates, int i, int j) {
        for (int k = 0; k < gates.length; k++) {
            if (gates[k] != 0 && exponents.at(k, i) != (j < 0 ? 0 : exponents.at(k, j))) {
                return false;
            }
        }
        return true;
    }

    private static LayerWeights snapStructure(LayerWeights lw) {
        return switch (lw.spec().unit()) {
            case NAU -> lw.with("W", lw.get("W").map(Snapper::ternary));
            case NMU -> lw.with("W", lw.get("W").map(Snapper::binary));
            case REAL_NPU -> lw.with("W", lw.get("W").map(Snapper::half)).with("g", lw.get("g").map(Snapper::binary));
            default -> lw;
        };
    }

    /** Least-squares coefficients of y on the features over the rows (normal equations), or null if singular. */
    private static double[] leastSquares(List<Predictor> features, Dataset d) {
        int m = features.size();
        if (m == 0) {
            return null;
        }
        double[][] a = new double[m][m + 1];
        double[] row = new double[d.cols()];
        double[] f = new double[m];
        for (int r = 0; r < d.rows(); r++) {
            System.arraycopy(d.x(), r * d.cols(), row, 0, d.cols());
            for (int i = 0; i < m; i++) {
                f[i] = features.get(i).apply(row);
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    a[i][j] += f[i] * f[j];
                }
                a[i][m] += f[i] * d.y()[r];
            }
        }
        return Matrices.solve(a);
    }

    static Snap snapOnce(Network network, Dataset validation) {
        double trained = mse(network::predict, validation);
        network = normalise(network, validation.x(), validation.rows());
        Network merged = mergeLikeTerms(network);
        if (merged != null) {
            network = normalise(merged, validation.x(), validation.rows());
        }
        int gates = 0;
        for (LayerWeights lw : network.layers()) {
            if (!lw.spec().unit().snappable()) {
                return new Snap(null, false, trained, Double.NaN, meanSquare(validation));
            }
            if (lw.spec().unit() == Unit.NALU || lw.spec().unit() == Unit.INALU) {
                gates += lw.out();
            }
        }
        if (gates > MAX_GATES) {
            return new Snap(null, false, trained, Double.NaN, meanSquare(validation));
        }
        Formula best = null;
        double bestMse = Double.POSITIVE_INFINITY;
        int bestChoice = 0;
        for (int choice = 0; choice < (1 << gates); choice++) {
            Formula f = compose(network, choice, null);
            double m = mse(f::evaluate, validation);
            if (m < bestMse) {
                bestMse = m;
                best = f;
                bestChoice = choice;
            }
        }
        List<Double> learned = learnedConstants(network);
        if (best != null && !learned.isEmpty()) {
            Formula.Constant[] chosen = new Formula.Constant[learned.size()];
            for (int i = 0; i < chosen.length; i++) {
                chosen[i] = new Formula.Constant(learned.get(i));
            }
            double bound = bestMse * (1 + RELATIVE_TOLERANCE) + ABSOLUTE_TOLERANCE * meanSquare(validation);
            boolean[] zeroed = zeroSmallestTogether(network, bestChoice, chosen, validation, bound);
            for (int i = 0; i < chosen.length; i++) {
                if (zeroed[i]) {
                    continue;
                }
                Formula.Constant keep = chosen[i];
                for (Formula.Constant c : constantCandidates(learned.get(i))) {
                    chosen[i] = c;
                    Formula f = compose(network, bestChoice, chosen);
                    double m = mse(f::evaluate, validation);
                    if (m <= bound) {
                        keep = c;
                        if (m < bestMse) {
                            bestMse = m;
                            bound = bestMse * (1 + RELATIVE_TOLERANCE) + ABSOLUTE_TOLERANCE * meanSquare(validation);
                        }
                        break;
                    }
                }
                chosen[i] = keep;
            }
            best = compose(network, bestChoice, chosen);
            bestMse = mse(best::evaluate, validation);
        }
        double scale = meanSquare(validation);
        boolean keep = best != null && bestMse <= trained * (1 + RELATIVE_TOLERANCE) + ABSOLUTE_TOLERANCE * scale;
        return new Snap(keep ? best : null, keep, trained, bestMse, scale);
    }

    /**
     * Constants that cancel in pairs, √(u + ε)·√(u − ε), move the function by about ε·u when one goes to 0 alone and by
     * ε² when both do: tried one at a time, neither leaves the formula. So first the j smallest constants (by
     * magnitude) are set to 0 together, for j from all of them down to 2; the largest j whose formula stays within
     * {@code bound} on the validation rows is kept (written into {@code chosen}), and its constants are marked.
     */
    private static boolean[] zeroSmallestTogether(Network network, int gateChoice, Formula.Constant[] chosen,
                                                  Dataset validation, double bound) {
        boolean[] zeroed = new boolean[chosen.length];
        Integer[] bySize = new Integer[chosen.length];
        for (int i = 0; i < bySize.length; i++) {
            bySize[i] = i;
        }
        Arrays.sort(bySize, Comparator.comparingDouble(i -> Math.abs(chosen[i].value())));
        for (int j = chosen.length; j >= 2; j--) {
            Formula.Constant[] trial = chosen.clone();
            for (int k = 0; k < j; k++) {
                trial[bySize[k]] = new Formula.Constant(0);
            }
            Formula f = compose(network, gateChoice, trial);
            if (mse(f::evaluate, validation) <= bound) {
                for (int k = 0; k < j; k++) {
                    chosen[bySize[k]] = trial[bySize[k]];
                    zeroed[bySize[k]] = true;
                }
                break;
            }
        }
        return zeroed;
    }

    private static double meanSquare(Dataset validation) {
        double scale = 0;
        for (double y : validation.y()) {
            scale += y * y;
        }
        return scale / validation.rows();
    }

    /**
     * The same function with its learned constants where snapping can find them: a NAU after a scaled RealNPU
     * takes each weight's magnitude into that NPU output's scale (c·w·m = (c|w|)·sign(w)·m, so the weight snaps to
     * ±1 and c|w| is one constant; a term in several sums keeps its largest there); and when the sums feed a
     * scaled RealNPU, the largest coefficient of each sum is divided out of it and into the next scale as k^p
     * (C·(k·u)^p = C·k^p·u^p), so a² + b² keeps unit coefficients under the √ of √(a² + b²) and
     * (6.3/m² − 6.3v²/(c²m²))^−½ becomes (1/m² − v²/(c²m²))^−½ with the 6.3 in the head's constant; and a NAU feeding a scaled RealNPU has each
     * output column divided by its largest weight k, the NPU's scale taking k^w ((k·u)^w = k^w·u^w), so
     * (a + b)/(c + d) learned as (0.7a + 0.7b)/(0.7c + 0.7d) snaps. Exact reparametrisations, up to the
     * RealNPU's ε and an open gate; the validation error of the snapped formula decides anyway. A term that is
     * nothing on the rows (its part of a sum stays, on every one of the first {@code rows} rows of {@code x}, below
     * {@value #NEGLIGIBLE} of the largest part any term or the constant takes in that sum on those rows) does not
     * set its sum's scale: a member of I.32.17 held (4π/3)/(T₁ − T₂)² with T₁ and T₂ at 1.187, beside a third term
     * of the same sum at 7.9·10⁶ with exponents from −77.5 to −2683 (under 10⁻³⁰ on every row); its coefficient was
     * the sum's largest, so T₁ and T₂ kept 1.5·10⁻⁷ each and the formula its floats.
     */
    static Network normalise(Network network, double[] x, int rows) {
        List<LayerWeights> layers = new ArrayList<>(network.layers());
        for (int l = 0; l + 1 < layers.size(); l++) {
            LayerWeights npu = layers.get(l);
            LayerWeights nau = layers.get(l + 1);
            if (npu.spec().unit() != Unit.REAL_NPU || !npu.spec().constant() || nau.spec().unit() != Unit.NAU) {
                continue;
            }
            int terms = npu.out();
            int sums = nau.out();
            double[] sv = npu.get("s").data();
            Tensor w = nau.get("W");
            double[] b = nau.spec().constant() ? nau.get("b").data().clone() : null;
            boolean[][] negligible = negligibleTerms(layers, l, x, rows, network.spec().inputs());
            // each term's coefficient in each sum: c_i·w_ij
            double[][] coef = new double[terms][sums];
            for (int i = 0; i < terms; i++) {
                for (int j = 0; j < sums; j++) {
                    double wij = w.at(i, j);
                    coef[i][j] = Math.abs(wij) > 1e-12 ? Math.exp(sv[i]) * wij : 0;
                }
            }
            boolean scaledNext = l + 2 < layers.size() && layers.get(l + 2).spec().unit() == Unit.REAL_NPU
                    && layers.get(l + 2).spec().constant();
            // a sum the head all but ignores (gate below ½): (g·k·u + 1 − g)^p is not k^p·(g·u + 1 − g)^p; it snaps away
            boolean[] shut = new boolean[sums];
            if (scaledNext) {
                // the largest coefficient of each sum leaves it for the next scale, as k^p
                LayerWeights next = layers.get(l + 2);
                double[] ns = next.get("s").data().clone();
                Tensor nw = next.get("W");
                double[] gate = next.get("g").data();
                for (int j = 0; j < sums; j++) {
                    shut[j] = gate[j] < 0.5;
                    if (shut[j]) {
                        continue;
                    }
                    double k = 0;
                    for (int i = 0; i < terms; i++) {
                        k = negligible[i][j] ? k : Math.max(k, Math.abs(coef[i][j]));
                    }
                    if (k == 0 && b != null) {
                        k = Math.abs(b[j]);   // a sum of its constant alone: ±1, the magnitude in the head's constant
                    }
                    if (!(k > 0) || !Double.isFinite(k)) {
                        continue;
                    }
                    for (int i = 0; i < terms; i++) {
                        coef[i][j] /= k;
                    }
                    if (b != null) {
                        b[j] /= k;
                    }
                    for (int o = 0; o < ns.length; o++) {
                        ns[o] += nw.at(j, o) * Math.log(k);
                    }
                }
                layers.set(l + 2, next.with("s", new Tensor(1, ns.length, ns)));
            }
            // each term's scale takes its largest coefficient in a sum the head reads (in any sum when it reads none
            // of them), so a term in one sum has the weight ±1 there: √(1.85b² + 1.85a²) beside a shut sum that
            // holds 1.85b² too kept its 1.85s as the terms' scales, and its floats
            double[] nsv = sv.clone();
            double[] wv = w.data().clone();
            for (int i = 0; i < terms; i++) {
                double m = 0;
                for (int j = 0; j < sums; j++) {
                    m = shut[j] ? m : Math.max(m, Math.abs(coef[i][j]));
                }
                for (int j = 0; j < sums && m == 0; j++) {
                    m = Math.max(m, Math.abs(coef[i][j]));
                }
                if (!(m > 0) || !Double.isFinite(m)) {
                    continue;
                }
                nsv[i] = Math.log(m);
                for (int j = 0; j < sums; j++) {
                    wv[i * sums + j] = coef[i][j] == 0 ? w.at(i, j) : coef[i][j] / m;
                }
            }
            if (b != null) {
                nau = nau.with("b", new Tensor(1, b.length, b));
            }
            layers.set(l, npu.with("s", new Tensor(1, nsv.length, nsv)));
            layers.set(l + 1, nau.with("W", new Tensor(w.rows(), w.cols(), wv)));
        }
        for (int l = 0; l + 1 < layers.size(); l++) {
            LayerWeights nau = layers.get(l);
            LayerWeights npu = layers.get(l + 1);
            if (nau.spec().unit() != Unit.NAU || npu.spec().unit() != Unit.REAL_NPU || !npu.spec().constant()) {
                continue;
            }
            Tensor w = nau.get("W");
            double[] wv = w.data().clone();
            double[] bv = nau.spec().constant() ? nau.get("b").data().clone() : null;
            double[] sv = npu.get("s").data().clone();
            Tensor e = npu.get("W");
            double[] gate = npu.get("g").data();
            for (int j = 0; j < w.cols(); j++) {
                if (gate[j] < 0.5) {
                    continue;   // a sum the head all but ignores, as above
                }
                double k = 0;
                for (int i = 0; i < w.rows(); i++) {
                    k = Math.max(k, Math.abs(w.at(i, j)));
                }
                if (!(k > 1e-12) || k == 1) {
                    continue;
                }
                for (int i = 0; i < w.rows(); i++) {
                    wv[i * w.cols() + j] /= k;
                }
                if (bv != null) {
                    bv[j] /= k;
                }
                for (int o = 0; o < sv.length; o++) {
                    sv[o] += e.at(j, o) * Math.log(k);
                }
            }
            nau = nau.with("W", new Tensor(w.rows(), w.cols(), wv));
            if (bv != null) {
                nau = nau.with("b", new Tensor(1, bv.length, bv));
            }
            layers.set(l, nau);
            layers.set(l + 1, npu.with("s", new Tensor(1, sv.length, sv)));
        }
        return new Network(network.spec(), layers);
    }

    /** A term's part of a sum is negligible when it stays below this fraction of the sum's largest part on the rows. */
    static final double NEGLIGIBLE = 1e-12;

    /**
     * Per term of the scaled RealNPU at layer {@code l} and per sum of the NAU after it: whether the term's part of
     * the sum, |w·t(x)|, stays on every row below {@value #NEGLIGIBLE} of the largest part (a term's, or the NAU's
     * constant) that sum has on any row. The layers as they stand; all false when a part is not finite.
     */
    private static boolean[][] negligibleTerms(List<LayerWeights> layers, int l, double[] x, int rows, int inputs) {
        LayerWeights nau = layers.get(l + 1);
        int terms = layers.get(l).out();
        int sums = nau.out();
        boolean[][] negligible = new boolean[terms][sums];
        Tensor w = nau.get("W");
        double[] b = nau.spec().constant() ? nau.get("b").data() : null;
        double[][] part = new double[terms][sums];
        double[] largest = new double[sums];
        for (int r = 0; r < rows; r++) {
            double[] h = Arrays.copyOfRange(x, r * inputs, r * inputs + inputs);
            for (int k = 0; k <= l; k++) {
                h = Network.apply(layers.get(k), h);
            }
            for (int j = 0; j < sums; j++) {
                largest[j] = Math.max(largest[j], b == null ? 0 : Math.abs(b[j]));
                for (int i = 0; i < terms; i++) {
                    double p = Math.abs(w.at(i, j) * h[i]);
                    part[i][j] = Math.max(part[i][j], p);
                    largest[j] = Math.max(largest[j], p);
                }
            }
        }
        for (int j = 0; j < sums; j++) {
            if (!Double.isFinite(largest[j])) {
                continue;
            }
            for (int i = 0; i < terms; i++) {
                negligible[i][j] = part[i][j] < NEGLIGIBLE * largest[j];
            }
        }
        return negligible;
    }

    /**
     * Exact forms to try for a learned constant, simplest first: {@link ExactConstants#candidates} within
     * {@value #CONSTANT_TOLERANCE} relatively (integers, small fractions, rational multiples of π and π², rational
     * multiples of a square root), after 0 (a term or constant too small to matter leaves the formula). The
     * validation rows decide which, if any, is kept.
     */
    static List<Formula.Constant> constantCandidates(double value) {
        List<Formula.Constant> c = new ArrayList<>();
        if (value != 0) {
            c.add(new Formula.Constant(0));
        }
        c.addAll(ExactConstants.candidates(value, CONSTANT_TOLERANCE));
        return c;
    }

    /**
     * Relative distance within which a learned constant is offered its exact forms. At 1e-3 a sum that had
     * not learned anything (validation MSE 0.14) took −0.6697 as −5√7/(2π²), no worse than the float; a
     * constant of an exact formula trained in float32 is far closer than 1e-4.
     */
    static final double CONSTANT_TOLERANCE = 1e-4;

    /** The learned constants of a network in composition order: per layer, per output, c = exp(s) or b. */
    static List<Double> learnedConstants(Network network) {
        List<Double> values = new ArrayList<>();
        for (LayerWeights lw : network.layers()) {
            if (!lw.spec().constant()) {
                continue;
            }
            for (int j = 0; j < lw.out(); j++) {
                values.add(lw.spec().unit() == Unit.REAL_NPU ? Math.exp(lw.get("s").at(j)) : lw.get("b").at(j));
            }
        }
        return values;
    }

    /** The snapped network as one formula; bit i of {@code gateChoice} picks the additive path of gate i. */
    static Formula compose(Network network, int gateChoice) {
        return compose(network, gateChoice, null);
    }

    /**
     * As {@link #compose(Network, int)}, with the learned constants replaced, in the order of
     * {@link #learnedConstants}, by {@code constants} (null: the learned floats themselves).
     */
    static Formula compose(Network network, int gateChoice, Formula.Constant[] constants) {
        int nextConstant = 0;
        List<Formula> h = new ArrayList<>();
        for (int i = 0; i < network.spec().inputs(); i++) {
            h.add(new Formula.Input(i));
        }
        int gate = 0;
        for (LayerWeights lw : network.layers()) {
            List<Formula> next = new ArrayList<>();
            for (int j = 0; j < lw.out(); j++) {
                Formula.Constant learned = null;
                if (lw.spec().constant()) {
                    learned = constants != null ? constants[nextConstant]
                            : new Formula.Constant(lw.spec().unit() == Unit.REAL_NPU
                                    ? Math.exp(lw.get("s").at(j)) : lw.get("b").at(j));
                    nextConstant++;
                }
                Formula f = switch (lw.spec().unit()) {
                    case NAU -> learned == null ? sum(lw.get("W"), j, h) : plus(sum(lw.get("W"), j, h), learned);
                    case NAC_ADD -> sum(NacWeight.weight(lw, ""), j, h);
                    case NMU -> product(lw.get("W"), j, h, false, Snapper::binary);
                    case NAC_MUL -> product(NacWeight.weight(lw, ""), j, h, true, Snapper::ternary);
                    case NALU -> Formula.gate((gateChoice >> gate++ & 1) == 1,
                            sum(NacWeight.weight(lw, ""), j, h), product(NacWeight.weight(lw, ""), j, h, true, Snapper::ternary));
                    case INALU -> Formula.gate((gateChoice >> gate++ & 1) == 1,
                            sum(NacWeight.weight(lw, "a"), j, h), product(NacWeight.weight(lw, "m"), j, h, false, Snapper::ternary));
                    case REAL_NPU -> learned == null ? npu(lw, j, h) : times(learned, npu(lw, j, h));
                    case DENSE -> throw new IllegalArgumentException("dense layers have no exact formula");
                };
                next.add(f);
            }
            h = next;
        }
        return h.get(0);
    }

    /** f + b: a constant term joins the sum (sign in the coefficient); b = 0 leaves f. */
    private static Formula plus(Formula f, Formula.Constant b) {
        if (b.value() == 0) {
            return f;
        }
        if (f instanceof Formula.Constant zero && zero.value() == 0) {
            return b;
        }
        List<Integer> c = new ArrayList<>();
        List<Formula> t = new ArrayList<>();
        if (f instanceof Formula.Sum s) {
            c.addAll(s.coefficients());
            t.addAll(s.terms());
        } else {
            c.add(1);
            t.add(f);
        }
        c.add(b.value() < 0 ? -1 : 1);
        t.add(b.value() < 0 ? negate(b) : b);
        return new Formula.Sum(c, t);
    }

    /** The constant with the opposite sign, keeping its exact form where it has one. */
    private static Formula.Constant negate(Formula.Constant b) {
        Formula.Exact e = b.exact();
        return e == null ? new Formula.Constant(-b.value())
                : Formula.Constant.of(new Formula.Exact(-e.numerator(), e.denominator(), e.piPower(), e.root()));
    }

    /** c · f: the constant becomes a product's first factor; c = 1 leaves f. */
    private static Formula times(Formula.Constant c, Formula f) {
        if (c.value() == 1) {
            return f;
        }
        if (c.value() == 0) {
            return c;
        }
        List<Double> e = new ArrayList<>();
        List<Formula> t = new ArrayList<>();
        e.add(1.0);
        t.add(c);
        if (f instanceof Formula.Product p && !p.absolute()) {
            e.addAll(p.exponents());
            t.addAll(p.factors());
        } else if (!(f instanceof Formula.Constant one && one.value() == 1)) {
            e.add(1.0);
            t.add(f);
        }
        return new Formula.Product(e, t, false);
    }

    static double ternary(double w) {
        return Math.max(-1, Math.min(1, Math.rint(w)));
    }

    static double binary(double w) {
        return w >= 0.5 ? 1 : 0;
    }

    static double half(double w) {
        return Math.rint(w * 2) / 2;
    }

    private static Formula sum(Tensor w, int j, List<Formula> h) {
        List<Integer> c = new ArrayList<>();
        List<Formula> t = new ArrayList<>();
        for (int i = 0; i < w.rows(); i++) {
            int s = (int) ternary(w.at(i, j));
            if (s != 0 && !(h.get(i) instanceof Formula.Constant zero && zero.value() == 0)) {
                c.add(s);
                t.add(h.get(i));
            }
        }
        return t.size() == 1 && c.get(0) == 1 ? t.get(0) : t.isEmpty() ? new Formula.Constant(0) : new Formula.Sum(c, t);
    }

    private static Formula product(Tensor w, int j, List<Formula> h, boolean absolute,
                                   java.util.function.DoubleUnaryOperator snap) {
        List<Double> e = new ArrayList<>();
        List<Formula> f = new ArrayList<>();
        for (int i = 0; i < w.rows(); i++) {
            double s = snap.applyAsDouble(w.at(i, j));
            if (s != 0) {
                e.add(s);
                f.add(h.get(i));
            }
        }
        return productOf(e, f, absolute);
    }

    /**
     * ∏ f_i^{e_i} with equal factors merged (u^½ × u^½ = u, u × u = u^2, u ÷ u leaves the product): a snapped layer
     * often holds the same sum in two columns. The merged product equals the original wherever that is defined.
     */
    private static Formula productOf(List<Double> exponents, List<Formula> factors, boolean absolute) {
        List<Double> e = new ArrayList<>();
        List<Formula> f = new ArrayList<>();
        for (int i = 0; i < factors.size(); i++) {
            if (isOne(factors.get(i))) {
                continue;   // 1^p: a sum left with its constant 1 alone
            }
            int same = f.indexOf(factors.get(i));
            if (same < 0) {
                e.add(exponents.get(i));
                f.add(factors.get(i));
            } else {
                e.set(same, e.get(same) + exponents.get(i));
            }
        }
        for (int i = f.size() - 1; i >= 0; i--) {
            if (e.get(i) == 0) {
                e.remove(i);
                f.remove(i);
            }
        }
        if (f.isEmpty()) {
            return new Formula.Constant(1);
        }
        return f.size() == 1 && e.get(0) == 1 && !absolute ? f.get(0) : new Formula.Product(e, f, absolute);
    }

    private static boolean isOne(Formula f) {
        if (f instanceof Formula.Constant c) {
            return c.value() == 1;
        }
        return f instanceof Formula.Sum s && s.terms().size() == 1 && s.coefficients().get(0) == 1 && isOne(s.terms().get(0));
    }

    /** RealNPU with g ∈ {0, 1}: ∏_{g_i = 1} x_i^{W_ij}, W to multiples of ½. */
    private static Formula npu(LayerWeights lw, int j, List<Formula> h) {
        Tensor w = lw.get("W");
        Tensor g = lw.get("g");
        List<Double> e = new ArrayList<>();
        List<Formula> f = new ArrayList<>();
        for (int i = 0; i < w.rows(); i++) {
            double s = half(w.at(i, j));
            if (binary(g.at(i)) == 1 && s != 0) {
                e.add(s);
                f.add(h.get(i));
            }
        }
        return productOf(e, f, false);
    }

    private interface Predictor {
        double apply(double[] row);
    }

    private static double mse(Predictor p, Dataset d) {
        double[] row = new double[d.cols()];
        double s = 0;
        for (int r = 0; r < d.rows(); r++) {
            System.arraycopy(d.x(), r * d.cols(), row, 0, d.cols());
            double e = p.apply(row) - d.y()[r];
            s += e * e;
        }
        double m = s / d.rows();
        return Double.isNaN(m) ? Double.POSITIVE_INFINITY : m;
    }

}
