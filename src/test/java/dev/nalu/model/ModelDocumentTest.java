package dev.nalu.model;

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
import dev.nalu.evaluation.Snapper;
import dev.nalu.task.Dataset;
import dev.nalu.task.Domain;
import dev.nalu.task.ExpressionTask;

/** What a model document says about its formula: {@code exact} means it reproduces the task's targets. */
class ModelDocumentTest {
    private static final ExpressionTask PRODUCT = ExpressionTask.parse("a * b", Map.of("a", Domain.of(1, 2), "b", Domain.of(1, 2)));
    private static final Dataset VALIDATION = Dataset.interpolation(PRODUCT, 1000, 5);

    /**
     * An NMU that has barely started on a × b, W = (1, 0.02), snaps to y = a: no worse than the network,
     * so the formula is kept, but it reproduces no target, so the model is not exact and predicts from its weights.
     */
    @Test
    void aFormulaThatOnlyMatchesAPoorNetworkIsKeptButNotExact() {
        Snapper.Snap snap = Snapper.snap(nmu(1, 0.02), VALIDATION);
        assertThat(snap.matchesNetwork()).isTrue();

        ModelDocument doc = document(nmu(1, 0.02), snap);

        assertThat(doc.formula().text()).isEqualTo("y = a");
        assertThat(doc.formula().exact()).isFalse();
    }

    @Test
    void aFormulaThatReproducesTheTargetsIsExact() {
        Network trained = nmu(1, 1);
        ModelDocument doc = document(trained, Snapper.snap(trained, VALIDATION));

        assertThat(doc.formula().text()).isEqualTo("y = a × b");
        assertThat(doc.formula().exact()).isTrue();
    }

    private static ModelDocument document(Network network, Snapper.Snap snap) {
        TaskDefinition definition = TaskDefinition.expression("a * b", Map.of("a", Domain.of(1, 2), "b", Domain.of(1, 2)));
        return ModelService.document("mul", 1L, definition, PRODUCT, network, snap, null);
    }

    static Network nmu(double wa, double wb) {
        ModelSpec spec = ModelSpec.of(2, LayerSpec.of(Unit.NMU, 1));
        PopulationModel model = new PopulationModel(spec, 1, DataType.DOUBLE);
        Network start = model.network(0);
        return start.withLayer(0, start.layers().get(0).with("W", new Tensor(2, 1, new double[] {wa, wb})));
    }
}
