package dev.nalu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
 * Snapper.Snap#firstMismatch: exactness of a formula on a dataset, bit for bit; and
 * Snap#reproducesTargets, the test early stop uses, against Snap#matchesNetwork, which only compares the
 * formula with the network.
 */
class SnapTest {
    private static final ExpressionTask SUM = ExpressionTask.parse("a + b", Map.of("a", Domain.of(1, 2), "b", Domain.of(1, 2)));
    private static final Dataset FAR = Dataset.on(SUM, Domain.of(1e3, 1e6), 100, 3);

    @Test
    void theTargetsOwnFormulaMatchesEveryRow() {
        Formula sum = new Formula.Sum(List.of(1, 1), List.of(new Formula.Input(0), new Formula.Input(1)));
        assertThat(new Snapper.Snap(sum, true, 0, 0, 1).firstMismatch(FAR)).isEqualTo(-1);
    }

    @Test
    void anotherFormulaMismatchesAtTheFirstRow() {
        Formula difference = new Formula.Sum(List.of(1, -1), List.of(new Formula.Input(0), new Formula.Input(1)));
        assertThat(new Snapper.Snap(difference, true, 0, 0, 1).firstMismatch(FAR)).isEqualTo(0);
    }

    /**
     * An NMU that has barely started on a × b, W = (1, 0.02), computes a·(0.98 + 0.02 b). It snaps to
     * the formula a, whose validation error is only 4% above the network's: the formula is kept
     * (it matches the network) but reproduces nothing, so early stop must not take it. The trained NMU, W = (1, 1),
     * snaps to a × b, which reproduces every target.
     */
    @Test
    void aFormulaNoWorseThanAPoorNetworkIsKeptButDoesNotReproduceTheTargets() {
        ExpressionTask product = ExpressionTask.parse("a * b", Map.of("a", Domain.of(1, 2), "b", Domain.of(1, 2)));
        Dataset validation = Dataset.on(product, Domain.of(1, 2), 1000, 5);

        Snapper.Snap early = Snapper.snap(nmu(1, 0.02), validation);
        assertThat(early.matchesNetwork()).isTrue();
        assertThat(early.text(product.variables())).isEqualTo("y = a");
        assertThat(early.snappedValidationMse()).isGreaterThan(0.1);
        assertThat(early.reproducesTargets()).isFalse();

        Snapper.Snap trained = Snapper.snap(nmu(1, 1), validation);
        assertThat(trained.text(product.variables())).isEqualTo("y = a × b");
        assertThat(trained.reproducesTargets()).isTrue();
    }

    private static Network nmu(double wa, double wb) {
        ModelSpec spec = ModelSpec.of(2, LayerSpec.of(Unit.NMU, 1));
        PopulationModel model = new PopulationModel(spec, 1, DataType.DOUBLE);
        model.initialise(0, 1);
        Network start = model.network(0);
        return start.withLayer(0, start.layers().get(0).with("W", new Tensor(2, 1, new double[] {wa, wb})));
    }

    @Test
    void noFormulaMatchesNothing() {
        assertThat(new Snapper.Snap(null, false, 0, 0, 1).firstMismatch(FAR)).isEqualTo(0);
    }
}
