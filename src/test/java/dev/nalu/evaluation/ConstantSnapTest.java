package dev.nalu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.Network;
import dev.nalu.compute.PopulationModel;
import dev.nalu.compute.Tensor;
import dev.nalu.compute.Unit;
import dev.nalu.task.Dataset;
import dev.nalu.task.Domain;
import dev.nalu.task.ExpressionTask;

/**
 * Snapping learned constants: a RealNPU scale c = exp(s) and a NAU's constant-1 input weight b become
 * exact when an exact form does as well on the validation rows, stay floats otherwise, and leave the
 * formula when they snap to 1 (a scale) or 0 (a constant input). A NAU weight of ½ after a scale of 2
 * is one coefficient, 1, after normalisation.
 */
class ConstantSnapTest {
    private static final Map<String, Domain> AB = Map.of("a", Domain.of(1, 2), "b", Domain.of(1, 2));

    private static Dataset validation(String expression) {
        return Dataset.on(ExpressionTask.parse(expression, AB), Domain.of(1, 2), 1000, 5);
    }

    private static Network network(ModelSpec spec, Map<String, Tensor>... layers) {
        PopulationModel model = new PopulationModel(spec, 1, DataType.DOUBLE);
        model.initialise(0, 1);
        Network n = model.network(0);
        for (int l = 0; l < layers.length; l++) {
            var lw = n.layers().get(l);
            for (var e : layers[l].entrySet()) {
                lw = lw.with(e.getKey(), e.getValue());
            }
            n = n.withLayer(l, lw);
        }
        return n;
    }

    private static double mse(Network n, Dataset v) {
        double error = 0;
        for (int r = 0; r < v.rows(); r++) {
            double d = n.predict(java.util.Arrays.copyOfRange(v.x(), r * v.cols(), (r + 1) * v.cols())) - v.y()[r];
            error += d * d / v.rows();
        }
        return error;
    }

    private static Tensor row(double... v) {
        return new Tensor(1, v.length, v);
    }

    private static Tensor column(double... v) {
        return new Tensor(v.length, 1, v);
    }

    @Test
    void aScaleNearAnIntegerSnapsToIt() {
        Network n = network(ModelSpec.of(2, LayerSpec.withConstant(Unit.REAL_NPU, 1)),
                Map.of("W", column(1, 2), "g", row(1, 1), "s", row(Math.log(3) + 2e-8)));
        Snapper.Snap snap = Snapper.snap(n, validation("3 * a * b^2"));
        assertThat(snap.text(java.util.List.of("a", "b"))).isEqualTo("y = 3 × a × b^2");
        assertThat(snap.reproducesTargets()).isTrue();
    }

    @Test
    void aScaleOfOneLeavesTheFormula() {
        Network n = network(ModelSpec.of(2, LayerSpec.withConstant(Unit.REAL_NPU, 1)),
                Map.of("W", column(1, -1), "g", row(1, 1), "s", row(-3e-9)));
        Snapper.Snap snap = Snapper.snap(n, validation("a / b"));
        assertThat(snap.text(java.util.List.of("a", "b"))).isEqualTo("y = a ÷ b");
        assertThat(snap.reproducesTargets()).isTrue();
    }

    @Test
    void aConstantWithNoExactFormStaysAFloat() {
        double c = 0.123456789;
        Network n = network(ModelSpec.of(2, LayerSpec.withConstant(Unit.REAL_NPU, 1)),
                Map.of("W", column(1, 1), "g", row(1, 1), "s", row(Math.log(c))));
        Snapper.Snap snap = Snapper.snap(n, validation("0.123456789 * a * b"));
        assertThat(snap.formula()).isInstanceOf(Formula.Product.class);
        assertThat(((Formula.Product) snap.formula()).factors().get(0)).isInstanceOf(Formula.Constant.class);
        assertThat(((Formula.Constant) ((Formula.Product) snap.formula()).factors().get(0)).value())
                .isCloseTo(c, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(snap.reproducesTargets()).isTrue();
    }

    @Test
    void theConstantInputOfANauBecomesAnIntegerTerm() {
        Network n = network(ModelSpec.of(2, LayerSpec.withConstant(Unit.NAU, 1)),
                Map.of("W", column(1, -0.9999999), "b", row(-1.0000002)));
        Snapper.Snap snap = Snapper.snap(n, validation("a - b - 1"));
        assertThat(snap.text(java.util.List.of("a", "b"))).isEqualTo("y = a − b − 1");
        assertThat(snap.reproducesTargets()).isTrue();
    }

    /** c = 2 and a NAU weight of ½ are one coefficient of 1 once the weight's magnitude moves into the scale. */
    @Test
    void aHalfWeightAfterADoubledScaleIsOneTerm() {
        ModelSpec spec = ModelSpec.of(2, LayerSpec.withConstant(Unit.REAL_NPU, 2), LayerSpec.withConstant(Unit.NAU, 1));
        Network n = network(spec,
                Map.of("W", new Tensor(2, 2, new double[] {2, 0, 0, 2}), "g", row(1, 1), "s", row(Math.log(2), Math.log(4))),
                Map.of("W", column(0.5, 0.25), "b", row(1e-9)));
        Snapper.Snap snap = Snapper.snap(n, validation("a^2 + b^2"));
        assertThat(snap.text(java.util.List.of("a", "b"))).isEqualTo("y = a^2 + b^2");
        assertThat(snap.reproducesTargets()).isTrue();
    }

    /** √(k·a² + k·b²)·C with C = 1/√k: the k moves out of the sum into the outer scale, which becomes 1. */
    @Test
    void aCommonScaleUnderARootMovesOut() {
        double k = 2.7;
        ModelSpec spec = ModelSpec.of(2, LayerSpec.withConstant(Unit.REAL_NPU, 2), LayerSpec.withConstant(Unit.NAU, 1),
                LayerSpec.withConstant(Unit.REAL_NPU, 1));
        Network n = network(spec,
                Map.of("W", new Tensor(2, 2, new double[] {2, 0, 0, 2}), "g", row(1, 1), "s", row(Math.log(k), Math.log(k))),
                Map.of("W", column(1, 1), "b", row(0)),
                Map.of("W", column(0.5), "g", row(1), "s", row(-0.5 * Math.log(k))));
        Snapper.Snap snap = Snapper.snap(n, validation("sqrt(a^2 + b^2)"));
        assertThat(snap.text(java.util.List.of("a", "b"))).isEqualTo("y = √(a^2 + b^2)");
        assertThat(snap.reproducesTargets()).isTrue();
    }

    /** (a + b)/b learned as (0.7a + 0.7b)^1 · (0.6b)^−1 · (6/7): each NAU column is divided by its largest weight. */
    @Test
    void scaledSumsUnderAQuotientSnap() {
        ModelSpec spec = ModelSpec.of(2, LayerSpec.withConstant(Unit.NAU, 2), LayerSpec.withConstant(Unit.REAL_NPU, 1));
        Network n = network(spec,
                Map.of("W", new Tensor(2, 2, new double[] {0.7, 0, 0.7, 0.6}), "b", row(0, 0)),
                Map.of("W", column(1, -1), "g", row(1, 1), "s", row(Math.log(0.6 / 0.7))));
        Snapper.Snap snap = Snapper.snap(n, validation("(a + b) / b"));
        assertThat(snap.text(java.util.List.of("a", "b"))).isEqualTo("y = (a + b) ÷ b");
        assertThat(snap.reproducesTargets()).isTrue();
    }

    /**
     * A monomial whose structure is right but whose constant is not (a gate that settled short of 1 is
     * compensated in the scale): the scale of the snapped structure is fitted again on the validation
     * rows, then snapped.
     */
    @Test
    void theHeadScaleIsFittedAgainOnTheSnappedStructure() {
        Network n = network(ModelSpec.of(2, LayerSpec.withConstant(Unit.REAL_NPU, 1)),
                Map.of("W", column(1.02, 0.98), "g", row(0.93, 1), "s", row(Math.log(5))));
        Snapper.Snap snap = Snapper.snap(n, validation("3 * a * b"));
        assertThat(snap.text(java.util.List.of("a", "b"))).isEqualTo("y = 3 × a × b");
        assertThat(snap.reproducesTargets()).isTrue();
    }

    /** The same for the terms and the constant input under a last NAU: a²/2 − 3b + 1. */
    @Test
    void theTermScalesAndConstantUnderANauAreFittedAgain() {
        ModelSpec spec = ModelSpec.of(2, LayerSpec.withConstant(Unit.REAL_NPU, 2), LayerSpec.withConstant(Unit.NAU, 1));
        Network n = network(spec,
                Map.of("W", new Tensor(2, 2, new double[] {2.03, 0, 0, 0.97}), "g", row(1, 0.9), "s", row(Math.log(0.7), Math.log(2))),
                Map.of("W", column(0.8, -1), "b", row(0.5)));
        Snapper.Snap snap = Snapper.snap(n, validation("a^2 / 2 - 3 * b + 1"));
        assertThat(snap.text(java.util.List.of("a", "b"))).isEqualTo("y = (1/2 × a^2) − (3 × b) + 1");
        assertThat(snap.reproducesTargets()).isTrue();
    }

    /**
     * The right structure that rounding alone misses, as trained members of (a + b)/(c + d) settled: gates
     * 0.96 and 0.87 on the sums, each nearly cancelled by the NAU's constant input, exponents 1.0014 and
     * −0.9961. Folding the gates into the constants and fitting every constant again (scale and both
     * constant inputs, Levenberg–Marquardt) on the snapped structure gives the exact quotient.
     */
    @Test
    void openGatesUnderAQuotientFoldIntoTheConstantsAndAllConstantsAreFittedAgain() {
        ModelSpec spec = ModelSpec.of(2, LayerSpec.withConstant(Unit.NAU, 2), LayerSpec.withConstant(Unit.REAL_NPU, 1));
        double g0 = 0.96;
        double g1 = 0.87;
        Network n = network(spec,
                Map.of("W", new Tensor(2, 2, new double[] {1, 0, 1, 1}), "b", row(-(1 - g0) / g0 - 0.011, -(1 - g1) / g1 + 0.004)),
                Map.of("W", column(1.0014, -0.9961), "g", row(g0, g1), "s", row(Math.log(g1 / g0))));
        Dataset v = validation("(a + b) / b");
        assertThat(mse(Snapper.refit(n, v), v)).isGreaterThan(1e-6);   // the structure rounded, the head's scale refitted alone
        Snapper.Snap snap = Snapper.snap(n, v);
        assertThat(snap.text(java.util.List.of("a", "b"))).isEqualTo("y = (a + b) ÷ b");
        assertThat(snap.reproducesTargets()).isTrue();
    }

    /**
     * √(a² + b²) as a trained member held it (seed 2, weights to 4 digits): terms a^0.32·b^2.9 and a^2.9·b^0.32
     * summed with weights −1 and a constant 0.19, under a power 0.31 with its gate at 0.83, validation MSE ~1e-7.
     * Rounding every weight at once gives no formula; snapping the head first (power ½, gate 1; the negative sum
     * negated) and fitting the layers below again by Levenberg–Marquardt, then snapping them, gives the root.
     */
    @Test
    void aRootOfASumSnapsLayerByLayerFromTheHead() {
        ModelSpec spec = ModelSpec.of(2, LayerSpec.withConstant(Unit.REAL_NPU, 2), LayerSpec.withConstant(Unit.NAU, 1),
                LayerSpec.withConstant(Unit.REAL_NPU, 1));
        Network n = network(spec,
                Map.of("W", new Tensor(2, 2, new double[] {0.324, 2.903, 2.9013, 0.3225}), "g", row(0.9969, 0.997),
                        "s", row(0.673, 0.6716)),
                Map.of("W", column(-1, -1), "b", row(0.1931)),
                Map.of("W", column(0.311), "g", row(0.8305), "s", row(0.3522)));
        Dataset v = validation("sqrt(a^2 + b^2)");
        assertThat(mse(Snapper.refit(n, v), v)).isGreaterThan(1e-3);   // every weight rounded at once, the head refitted
        Snapper.Snap snap = Snapper.snap(n, v);
        assertThat(snap.text(java.util.List.of("a", "b"))).isEqualTo("y = √(b^2 + a^2)");
        assertThat(snap.reproducesTargets()).isTrue();
    }
    /**
     * Constants that cancel in pairs, as a search member held them on (a + b)/(c + d), seed 7: (a + ε)(a − ε) with
     * ε = 1.4e-5. Setting either constant to 0 alone moves the function by about ε·a, far beyond the validation
     * bound; setting both to 0 moves it by ε², within it. The snapped formula carries no constant, so it stays
     * exact beyond the range, and its two equal factors make one square.
     */
    @Test
    void smallConstantsThatCancelInPairsLeaveTheFormulaTogether() {
        double eps = 1.4e-5;
        ModelSpec spec = ModelSpec.of(2, LayerSpec.withConstant(Unit.NAU, 2), LayerSpec.of(Unit.NMU, 1));
        Network n = network(spec,
                Map.of("W", new Tensor(2, 2, new double[] {1, 1, 0, 0}), "b", row(eps, -eps)),
                Map.of("W", column(1, 1)));
        Snapper.Snap snap = Snapper.snap(n, validation("a * a"));
        assertThat(snap.text(java.util.List.of("a", "b"))).isEqualTo("y = a^2");   // the equal factors merged
        assertThat(snap.reproducesTargets()).isTrue();
    }

    /**
     * A ratio of powers of two sums of monomials, NPU(2→3)·c → NAU(3+1→2) → NPU(2→1)·c, learned with every term
     * scaled: (2.3a² + 2.3b)·(2.9ab + 2.9)^−½·√2.9/2.3. Each sum's largest coefficient moves into the head's constant
     * as k^p, so the terms keep unit coefficients, the constant input becomes 1 and the head's constant 1.
     */
    @Test
    void scaledSumsUnderARatioOfPowersSnap() {
        ModelSpec spec = ModelSpec.of(2, LayerSpec.withConstant(Unit.REAL_NPU, 3), LayerSpec.withConstant(Unit.NAU, 2),
                LayerSpec.withConstant(Unit.REAL_NPU, 1));
        Network n = network(spec,
                Map.of("W", new Tensor(2, 3, new double[] {2, 0, 1, 0, 1, 1}), "g", row(1, 1),
                        "s", row(Math.log(2.3), Math.log(2.3), Math.log(2.9))),
                Map.of("W", new Tensor(3, 2, new double[] {1, 0, 1, 0, 0, 1}), "b", row(0, 2.9)),
                Map.of("W", column(1, -0.5), "g", row(1, 1), "s", row(0.5 * Math.log(2.9) - Math.log(2.3))));
        Dataset v = validation("(a^2 + b) / sqrt(a * b + 1)");
        assertThat(mse(n, v)).isLessThan(1e-10);
        Snapper.Snap snap = Snapper.snap(n, v);
        assertThat(snap.text(java.util.List.of("a", "b"))).doesNotContain("≈");
        assertThat(snap.reproducesTargets()).isTrue();

        // the same root with the first sum shut out by the head's gate (g = 0): that sum's coefficients stay, so
        // the function stays, and the sum leaves the formula
        Network shut = network(spec,
                Map.of("W", new Tensor(2, 3, new double[] {2, 0, 1, 0, 1, 1}), "g", row(1, 1),
                        "s", row(Math.log(2.3), Math.log(2.3), Math.log(2.9))),
                Map.of("W", new Tensor(3, 2, new double[] {1, 0, 1, 0, 0, 1}), "b", row(0, 2.9)),
                Map.of("W", column(1.3, -0.5), "g", row(0, 1), "s", row(0.5 * Math.log(2.9))));
        Dataset root = validation("1 / sqrt(a * b + 1)");
        assertThat(mse(shut, root)).isLessThan(1e-10);
        Snapper.Snap rootSnap = Snapper.snap(shut, root);
        assertThat(rootSnap.text(java.util.List.of("a", "b"))).doesNotContain("≈").doesNotContain("a^2");
        assertThat(rootSnap.reproducesTargets()).isTrue();

        // the first sum left with its constant input alone, 1, under a power: 1^p leaves the formula
        Network one = network(spec,
                Map.of("W", new Tensor(2, 3, new double[] {2, 0, 1, 0, 1, 1}), "g", row(1, 1),
                        "s", row(Math.log(2.3), Math.log(2.3), Math.log(2.9))),
                Map.of("W", new Tensor(3, 2, new double[] {0, 0, 0, 0, 0, 1}), "b", row(1, 2.9)),
                Map.of("W", column(-0.5, -0.5), "g", row(1, 1), "s", row(0.5 * Math.log(2.9))));
        Snapper.Snap oneSnap = Snapper.snap(one, root);
        assertThat(oneSnap.text(java.util.List.of("a", "b"))).isEqualTo("y = 1 ÷ √((a × b) + 1)");
        assertThat(oneSnap.reproducesTargets()).isTrue();
    }

    /**
     * Two like terms that nearly cancel, as a member on Feynman I.12.4 held them: −0.0949707787/√a + 0.0949707781/√a
     * beside a·b. Both constants stayed floats (neither can leave alone) and the formula matched the validation rows,
     * not the truth beyond them. Merged into one term, their sum is a constant that leaves the formula.
     */
    @Test
    void likeTermsOfASumMergeAndCancel() {
        ModelSpec spec = ModelSpec.of(2, LayerSpec.withConstant(Unit.REAL_NPU, 3), LayerSpec.withConstant(Unit.NAU, 1));
        Network n = network(spec,
                Map.of("W", new Tensor(2, 3, new double[] {1, -0.5, -0.5, 1, 0, 0}), "g", row(1, 1),
                        "s", row(0, Math.log(0.0949707787), Math.log(0.0949707781))),
                Map.of("W", column(1, -1, 1), "b", row(0)));
        Snapper.Snap snap = Snapper.snap(n, validation("a * b"));
        assertThat(snap.text(java.util.List.of("a", "b"))).isEqualTo("y = a × b");
        assertThat(snap.reproducesTargets()).isTrue();
    }

    /**
     * A term of no input beside the constant input, as the ratio family held them on √(a² + b²) (seed 2):
     * √(0.364b² + 0.364a² + 1 − 1)·0.4707 ÷ 0.5329², the second sum the constant 0.5329 alone. The constant term
     * joins the constant input (they cancel), the normalisation then gives the squares unit coefficients, and the
     * sum of a constant alone becomes 1 with its magnitude in the head's constant.
     */
    @Test
    void aConstantTermJoinsTheConstantInput() {
        ModelSpec spec = ModelSpec.of(2, LayerSpec.withConstant(Unit.REAL_NPU, 3), LayerSpec.withConstant(Unit.NAU, 2),
                LayerSpec.withConstant(Unit.REAL_NPU, 1));
        double k = 0.36411344594994816;
        double c = 0.5329156084119498;
        Network n = network(spec,
                Map.of("W", new Tensor(2, 3, new double[] {0, 2, 0, 2, 0, 0}), "g", row(1, 1),
                        "s", row(Math.log(k), Math.log(k), 0)),
                Map.of("W", new Tensor(3, 2, new double[] {1, 0, 1, 0, 1, 0}), "b", row(-1, c)),
                Map.of("W", column(0.5, -2), "g", row(1, 1), "s", row(Math.log(c * c / Math.sqrt(k)))));
        Dataset v = validation("sqrt(a^2 + b^2)");
        assertThat(mse(n, v)).isLessThan(1e-10);
        Snapper.Snap snap = Snapper.snap(n, v);
        assertThat(snap.text(java.util.List.of("a", "b"))).isEqualTo("y = √(b^2 + a^2)");
        assertThat(snap.reproducesTargets()).isTrue();
    }

    /**
     * The ratio family's member on √(a² + b²) (search, seed 2, open gates): b² and a² in both sums with the
     * coefficient 1.8534, the second sum (with a third term and a constant) shut out by the head's gate. The terms'
     * scales took their largest coefficient over both sums, the shut one included, so the read sum kept its 1.8534s
     * and the formula its floats, √(1.8534b² + 1.8534a²)·0.7345, off the truth by 3·10⁻⁸ (within the validation
     * rows' tolerance, not within 1e-9 beyond). A shut sum no longer sets a term's scale.
     */
    @Test
    void aSumTheHeadShutsOutDoesNotSetTheTermsScales() {
        ModelSpec spec = ModelSpec.of(2, LayerSpec.withConstant(Unit.REAL_NPU, 3), LayerSpec.withConstant(Unit.NAU, 2),
                LayerSpec.withConstant(Unit.REAL_NPU, 1));
        double k = 1.8534006334355249;
        Network n = network(spec,
                Map.of("W", new Tensor(2, 3, new double[] {0, 2, -0.5, 2, 0, 2}), "g", row(1, 1),
                        "s", row(Math.log(k), Math.log(k), -1.761443783212847)),
                Map.of("W", new Tensor(3, 2, new double[] {1, 1, 1, 1, 0, 1}), "b", row(0, 0.20519832634127913)),
                Map.of("W", column(0.5, -2.5), "g", row(1, 0), "s", row(-0.5 * Math.log(k))));
        Dataset v = validation("sqrt(a^2 + b^2)");
        assertThat(mse(n, v)).isLessThan(1e-10);
        Snapper.Snap snap = Snapper.snap(n, v);
        assertThat(snap.text(java.util.List.of("a", "b"))).isEqualTo("y = √(b^2 + a^2)");
        assertThat(snap.reproducesTargets()).isTrue();
    }

    /** I.32.17, (4π/3)·ε·c·Ef²·r²·ω⁴/(ω² − ω₀²)², on inputs Ef, c, ε, ω, ω₀, r: ω₀ from [3, 5], the rest from [lo, 2·lo]. */
    private static Dataset dipolePower(double lo, int rows, long seed) {
        java.util.Random random = new java.util.Random(seed);
        double[] x = new double[rows * 6];
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < 6; i++) {
                x[r * 6 + i] = i == 4 ? 3 + 2 * random.nextDouble() : lo + lo * random.nextDouble();
            }
            double ef = x[r * 6], c = x[r * 6 + 1], eps = x[r * 6 + 2], w = x[r * 6 + 3], w0 = x[r * 6 + 4], rr = x[r * 6 + 5];
            double d = w * w - w0 * w0;
            y[r] = 4 * Math.PI / 3 * eps * c * ef * ef * rr * rr * Math.pow(w, 4) / (d * d);
        }
        return new Dataset(rows, 6, x, y);
    }

    @Test
    void aTermThatIsNothingOnTheRowsDoesNotSetItsSumsScale() {
        // a trained member of the ratio family on I.32.17 (FeynmanSearchBenchmark --only I.32.17 at 36e2887): terms
        // 1/(Ef√c√ε r) and ω₀²/(Ef√c√ε ω² r) at 1.187 each in the sum the head reads, beside a term at 7.9·10⁶ with
        // exponents from −77.5 to −2683, under 10⁻³⁰ on every row; before, that term set the sum's scale and the
        // formula kept 1.5·10⁻⁷ for each of the other two
        ModelSpec spec = ModelSpec.of(6, LayerSpec.withConstant(Unit.REAL_NPU, 4), LayerSpec.withConstant(Unit.NAU, 2),
                LayerSpec.withConstant(Unit.REAL_NPU, 1));
        Network n = network(spec,
                Map.of("W", new Tensor(6, 4, new double[] {-1.0, -159.0, -1.0, -4.0, -0.5, -262.0, -0.5, 0.5,
                        -0.5, -77.5, -0.5, -0.5, -0.0, -88.0, -2.0, 1.0, 0.0, -2683.0, 2.0, -1.0, -1.0, -272.5, -1.0, 0.0}),
                        "g", row(1, 1, 1, 1, 1, 1),
                        "s", row(0.17148278149170812, 15.880715335278726, 0.17148287648260355, -0.2064205316773466)),
                Map.of("W", new Tensor(4, 2, new double[] {1, -1, -1, -1, -1, 1, -1, 0}),
                        "b", row(0.60509838348857, -1.9054891077120334E-7)),
                Map.of("W", column(0, -2), "g", row(0, 1), "s", row(1.7753770291900175)));
        Dataset v = dipolePower(1, 1000, 5);
        Snapper.Snap snap = Snapper.snap(n, v);
        assertThat(snap.reproducesTargets()).isTrue();
        java.util.List<String> names = java.util.List.of("Ef", "c", "epsilon", "omega", "omega_0", "r");
        assertThat(snap.text(names)).doesNotContain("≈");
        Dataset beyond = dipolePower(2, 1000, 6);
        double worst = 0;
        for (int r = 0; r < beyond.rows(); r++) {
            double f = snap.formula().evaluate(java.util.Arrays.copyOfRange(beyond.x(), r * 6, r * 6 + 6));
            worst = Math.max(worst, Math.abs(f - beyond.y()[r]) / Math.abs(beyond.y()[r]));
        }
        assertThat(worst).as(snap.text(names)).isLessThan(1e-9);
    }
}
