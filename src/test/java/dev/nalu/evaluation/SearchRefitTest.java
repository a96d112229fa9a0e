package dev.nalu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.assertj.core.data.Offset;
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
import dev.nalu.task.Rng;
import dev.nalu.task.Sampler;

/**
 * {@link SearchRefit} on a member of NAU(3+1→4) → NPU(4→1)·c as the search's widest product-of-sums candidate left it
 * on I.39.11 of the Feynman benchmark, pr·V/(γ − 1) with γ ∈ [2, 5], pr, V ∈ [1, 5] (the candidate trained alone with
 * its search seed and share, 6 members, 20,000 steps; member 3, validation MSE 6e-4 of the targets' mean square).
 */
class SearchRefitTest {

    private static Dataset rows(String expression, int rows, long stream) {
        return rows(expression, rows, stream, 1);
    }

    /** Rows with every range's ends multiplied by {@code stretch} (beyond the training range when above 1). */
    private static Dataset rows(String expression, int rows, long stream, double stretch) {
        Map<String, Domain> ranges = new LinkedHashMap<>();
        ranges.put("gamma", Domain.of(2 * stretch, 5 * stretch));
        ranges.put("pr", Domain.of(stretch, 5 * stretch));
        ranges.put("V", Domain.of(stretch, 5 * stretch));
        ExpressionTask task = ExpressionTask.parse(expression, ranges);
        double[] x = new double[rows * 3];
        double[] y = new double[rows];
        Sampler.sample(task, Rng.seeded(1, stream), x, rows);
        task.targets(x, rows, y);
        return new Dataset(rows, 3, x, y);
    }

    /** The trained member: W is inputs (γ, pr, V) × 4 sums, then the RealNPU's exponents, gates and scale. */
    private static Network member() {
        ModelSpec spec = ModelSpec.of(3, LayerSpec.withConstant(Unit.NAU, 4), LayerSpec.withConstant(Unit.REAL_NPU, 1));
        PopulationModel model = new PopulationModel(spec, 1, DataType.DOUBLE);
        model.initialise(0, 1);
        Network n = model.network(0);
        n = n.withLayer(0, n.layers().get(0)
                .with("W", new Tensor(3, 4, new double[] {0.99997395, 0.23628806, -5.3572e-6, 0.01834270, 0.02262329,
                        0.02707139, -7.5441e-6, 0.96010655, 0.29194361, -0.99937224, 4.6159e-6, -0.03137593}))
                .with("b", new Tensor(1, 4, new double[] {-0.11638259, -0.24476981, 0.39190325, -1.12581885})));
        return n.withLayer(1, n.layers().get(1)
                .with("W", new Tensor(4, 1, new double[] {1.57530522, 0.48807865, -1.8428e-10, -1.01841116}))
                .with("g", new Tensor(1, 4, new double[] {0.99996883, 0.83069688, 0, 0.80949152}))
                .with("s", new Tensor(1, 1, new double[] {0.67669612})));
    }

    @Test
    void aTrainedMemberOffTheStructureRefitsToTheExactQuotient() {
        String truth = "1/(gamma-1)*pr*V";
        Dataset train = rows(truth, SearchRefit.ROWS, 1);
        Dataset validation = rows(truth, 1000, 2);
        assertThat(Snapper.snap(member(), validation).reproducesTargets()).isFalse();
        SearchRefit.Result r = SearchRefit.snap(member(), train, validation);
        assertThat(r).isNotNull();
        assertThat(r.snap().reproducesTargets()).isTrue();
        // beyond the range the formula still equals the truth: it holds no float constant
        Dataset far = rows(truth, 1000, 3, 4);
        for (int i = 0; i < far.rows(); i++) {
            double[] x = java.util.Arrays.copyOfRange(far.x(), 3 * i, 3 * i + 3);
            assertThat(r.snap().formula().evaluate(x)).isCloseTo(far.y()[i], Offset.offset(1e-9 * far.y()[i]));
        }
        assertThat(r.snap().formula().render(java.util.List.of("x0", "x1", "x2"), false)).doesNotContain("≈");
    }

    @Test
    void targetsNoSuchNetworkExpressesSnapToNothing() {
        String other = "1/(gamma-1)*pr*V + gamma^(1/3)";
        Dataset train = rows(other, SearchRefit.ROWS, 1);
        Dataset validation = rows(other, 1000, 2);
        assertThat(SearchRefit.snap(member(), train, validation)).isNull();
    }
}
