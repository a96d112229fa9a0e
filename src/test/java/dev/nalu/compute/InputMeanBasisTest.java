package dev.nalu.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Adam in the basis split along the inputs' mean: which inputs get the split, and that one update
 * steps a first-layer NAU column by Adam's step for its component along the mean, along the mean,
 * and by the per-element Adam step for the rest.
 */
class InputMeanBasisTest {

    private static double[] uniform(int rows, int inputs, double lo, double hi, long seed) {
        Random r = new Random(seed);
        double[] x = new double[rows * inputs];
        for (int i = 0; i < x.length; i++) {
            x[i] = lo + (hi - lo) * r.nextDouble();
        }
        return x;
    }

    @Test
    void inputsFarFromZeroGiveTheirUnitMean() {
        double[] u = InputMeanBasis.direction(uniform(4096, 100, 1, 2, 1), 4096, 100);
        assertThat(u).hasSize(100);
        double norm = 0;
        for (double ui : u) {
            assertThat(ui).isCloseTo(0.1, within(0.002));
            norm += ui * ui;
        }
        assertThat(norm).isCloseTo(1, within(1e-12));
        // negative inputs: the mean points the other way
        double[] neg = InputMeanBasis.direction(uniform(4096, 10, -2, -1, 2), 4096, 10);
        assertThat(neg[0]).isCloseTo(-Math.sqrt(0.1), within(0.01));
    }

    @Test
    void inputsAroundZeroOrFewInputsGetNoSplit() {
        assertThat(InputMeanBasis.direction(uniform(4096, 100, -2, 2, 3), 4096, 100)).isNull();
        assertThat(InputMeanBasis.direction(uniform(4096, 3, 1, 2, 4), 4096, 3)).isNull();
        assertThat(InputMeanBasis.direction(uniform(4096, 9, 1, 2, 4), 4096, 9)).isNull();
        // U[0.1, 0.2]: |μ|² = 0.0225·n, variance 0.00083: far from zero relative to its spread
        assertThat(InputMeanBasis.direction(uniform(4096, 10, 0.1, 0.2, 5), 4096, 10)).isNotNull();
    }

    /**
     * First Adam step (m/√v = sign): a gradient along the mean moves the column along the unit mean u
     * by lr·Σ|uᵢ|, what per-element Adam moves it along u, but in proportion to u (here 0.16 lr and
     * 1.12 lr, where per-element Adam would move every coordinate by lr); a gradient orthogonal to the
     * mean takes the plain per-element step, lr·sign(g); the NMU behind it is untouched by the split.
     */
    @Test
    void firstStepIsAdamsAlongTheMeanAndPerElementOrthogonalToIt() {
        int n = 4;
        int members = 2;
        ModelSpec spec = ModelSpec.of(n, LayerSpec.of(Unit.NAU, 2), LayerSpec.of(Unit.NMU, 1));
        PopulationModel model = new PopulationModel(spec, members, DataType.DOUBLE);
        for (int k = 0; k < members; k++) {
            model.initialise(k, 7 + k);
        }
        double[] u = {0.1, 0.7, 0.7, 0.1};
        double l1 = 1.6;
        ParameterUpdate update = new ParameterUpdate(model, Optimizer.ADAM, u);
        Network[] before = {model.network(0), model.network(1)};
        // member 0: gradient 3u in column 0, (1, −1, 1, −1) ⟂ u in column 1; member 1: −u in both columns
        double[][][] grad = {
                {{0.3, 2.1, 2.1, 0.3}, {1, -1, 1, -1}},
                {{-0.1, -0.7, -0.7, -0.1}, {-0.1, -0.7, -0.7, -0.1}}};
        Param w = model.layers.get(0).params().get(0);
        assertThat(w.layout).isEqualTo(Param.Layout.MEMBER_MIDDLE);
        model.grads.assign(0);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < members; k++) {
                for (int c = 0; c < 2; c++) {
                    model.grads.putScalar(w.offset + ((long) i * members + k) * 2 + c, grad[k][c][i]);
                }
            }
        }
        double lr = 1e-3;
        update.apply(unit -> 0, 0, lr, new long[] {1, 1});

        for (int k = 0; k < members; k++) {
            Tensor w0 = before[k].layers().get(0).get("W");
            Tensor w1 = model.network(k).layers().get(0).get("W");
            for (int c = 0; c < 2; c++) {
                boolean alongMean = !(k == 0 && c == 1);
                for (int i = 0; i < n; i++) {
                    double g = grad[k][c][i];
                    double expected = alongMean ? w0.at(i, c) - lr * Math.signum(g) * l1 * u[i] : w0.at(i, c) - lr * Math.signum(g);
                    assertThat(w1.at(i, c)).as("member %d W[%d,%d]", k, i, c).isCloseTo(expected, within(1e-9)); // Adam's ε
                }
            }
            Tensor nmu0 = before[k].layers().get(1).get("W");
            Tensor nmu1 = model.network(k).layers().get(1).get("W");
            assertThat(nmu1).as("NMU of member %d with zero gradient", k).isEqualTo(nmu0);
        }
    }

    /**
     * A weight at its clamp bound, pushed outward, takes no per-element step: with gradient (−1, −2)
     * on W = (1, ½) the rest orthogonal to u is (+½, −½), which alone would step the first weight
     * down by lr; it stays at 1, while the second takes both steps upward: lr for the rest and
     * lr·Σ|uᵢ|·uᵢ = lr along the mean.
     */
    @Test
    void aWeightHeldAtItsBoundStaysThere() {
        ModelSpec spec = ModelSpec.of(2, LayerSpec.of(Unit.NAU, 1));
        PopulationModel model = new PopulationModel(spec, 1, DataType.DOUBLE);
        model.initialise(0, 5);
        Network start = model.network(0);
        model.setNetwork(0, start.withLayer(0, start.layers().get(0).with("W", new Tensor(2, 1, new double[] {1, 0.5}))));
        double[] u = {Math.sqrt(0.5), Math.sqrt(0.5)};
        ParameterUpdate update = new ParameterUpdate(model, Optimizer.ADAM, u);
        Param w = model.layers.get(0).params().get(0);
        model.grads.assign(0);
        model.grads.putScalar(w.offset, -1);
        model.grads.putScalar(w.offset + 1, -2);
        double lr = 1e-3;
        update.apply(unit -> 0, 0, lr, new long[] {1});

        Tensor after = model.network(0).layers().get(0).get("W");
        assertThat(after.at(0, 0)).isEqualTo(1.0);
        assertThat(after.at(1, 0)).isCloseTo(0.5 + 2 * lr, within(1e-9)); // Adam's ε
    }

    @Test
    void withoutADirectionOrWithAnotherOptimiserTheUpdateIsPerElement() {
        ModelSpec spec = ModelSpec.of(2, LayerSpec.of(Unit.NAU, 1));
        PopulationModel model = new PopulationModel(spec, 1, DataType.DOUBLE);
        model.initialise(0, 3);
        int plain = new ParameterUpdate(model, Optimizer.ADAM, null).state().length;
        assertThat(new ParameterUpdate(model, Optimizer.ADAM, new double[] {Math.sqrt(0.5), Math.sqrt(0.5)}).state().length)
                .as("Adam's m and v, plus the moments along the mean").isEqualTo(plain + 2);
        assertThat(new ParameterUpdate(model, Optimizer.RMSPROP, new double[] {Math.sqrt(0.5), Math.sqrt(0.5)}).state().length)
                .isEqualTo(1);
    }
}
