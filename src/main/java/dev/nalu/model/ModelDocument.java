package dev.nalu.model;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A model as one self-contained JSON document: what it learned (task), its architecture, its
 * weights by the names of their papers with shapes, its formula (text, whether exact, and as a
 * tree that evaluates without the weights), and the metrics of the job that trained it. Export
 * writes it with every weight value; import reads it back. Doubles are written in their shortest
 * round-tripping decimal form, so export → import → export is bit-exact.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A stored model (export: the whole document with weight values; import: the same document)",
        requiredProperties = {"name", "task", "variables", "architecture", "weights", "formula"})
public record ModelDocument(
        @Schema(description = "Document format, \"" + ModelDocument.FORMAT + "\"", example = FORMAT) String format,
        @Schema(description = "Model id (assigned by the service; ignored on import)") Long id,
        @Schema(example = "learn-mul") String name,
        @Schema(description = "Version within the name, increasing; assigned by the service") Integer version,
        @Schema(description = "Job that trained it") Long sourceJobId,
        Instant createdAt,
        TaskDefinition task,
        @Schema(description = "Input names in input order", example = "[\"a\", \"b\"]") List<String> variables,
        Architecture architecture,
        List<LayerWeightsDocument> weights,
        FormulaDocument formula,
        @Schema(description = "Training and evaluation metrics of the job that made the model",
                implementation = ModelMetrics.class) JsonNode metrics,
        List<String> tags,
        @Schema(description = "Aliases point at one model each (e.g. \"op:mul\"); not imported") List<String> aliases) {

    public static final String FORMAT = "nalu-model/1";

    /**
     * Inputs, layers and the one-line description, e.g. "NAU(2→2) → NMU(2→1)"; a sequence model has no layers but a
     * recurrent cell over steps of {@code inputs} values, its state size and the head on its final state, e.g.
     * "NAU cell(1→2) → NAU(2→1)".
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(requiredProperties = {"inputs", "layers", "description"})
    public record Architecture(int inputs, List<LayerDefinition> layers, String description,
                               @Schema(description = "A sequence model's recurrent cell: NAU, NMU, NAC_ADD, NAC_MUL, "
                                       + "NALU, RNN_TANH, RNN_RELU, GRU, LSTM or MAC", example = "NAU") String cell,
                               @Schema(description = "A sequence model's state size", example = "2") Integer hidden,
                               @Schema(description = "A sequence model's head on the final state (hidden → outputs)",
                                       example = "NAU") String head,
                               @Schema(description = "A sequence model's outputs per sequence when more than one (a "
                                       + "counting model: one count per symbol); left out for one", example = "10")
                               Integer outputs,
                               @Schema(description = "A model that reads tokens (number words): the tokens it knows, "
                                       + "ids 1 … vocabulary (0 is padding)", example = "29") Integer vocabulary,
                               @Schema(description = "A model that reads tokens: the values of each token's learned "
                                       + "embedding, the cell's input", example = "16") Integer embedding) {

        public Architecture(int inputs, List<LayerDefinition> layers, String description) {
            this(inputs, layers, description, null, null, null, null, null, null);
        }

        /** A sequence model's architecture. */
        public static Architecture of(dev.nalu.compute.SequenceSpec spec) {
            CellDefinition c = CellDefinition.of(spec);
            return new Architecture(spec.inputs(), List.of(), spec.describe(), c.cell(), c.hidden(), c.head(),
                    c.outputs(), c.vocabulary(), c.embedding());
        }

        /** The recurrent model this architecture names (its cell, sizes and head). */
        public CellDefinition recurrent() {
            return new CellDefinition(cell, hidden == null ? 0 : hidden, head, outputs, vocabulary, embedding);
        }

        /** Whether this is a recurrent model (a cell, not layers). */
        public boolean sequence() {
            return cell != null;
        }
    }

    /** One layer's weights. */
    @Schema(requiredProperties = {"unit", "in", "out", "tensors"})
    public record LayerWeightsDocument(String unit, int in, int out, List<TensorDocument> tensors) {
    }

    /** A named tensor: shape [rows, cols] or [cols]; values row-major (export and import only). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(requiredProperties = {"name", "shape"})
    public record TensorDocument(String name, List<Integer> shape, double[] values) {
    }

    /**
     * @param text  e.g. "y = a × b"; null when the model has no exact formula
     * @param exact whether the formula reproduces the task's targets on validation rows from its training
     *              ranges, to float rounding (MSE at most 1e-12 of their mean square); then predict uses it
     * @param tree  the formula as a tree of input / constant / sum / product nodes
     * @param complexity the number of nodes of the tree (inputs, constants and operations, {@link
     *                   dev.nalu.evaluation.Formula#complexity()}); always computed from the tree, whatever a document
     *                   says; null without a tree
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(requiredProperties = {"exact"})
    public record FormulaDocument(String text, boolean exact,
                                  @Schema(ref = FormulaOpenApi.NODE) JsonNode tree,
                                  @Schema(description = "Nodes of the tree: inputs, constants and operations "
                                          + "(computed from the tree; ignored on import)", example = "3",
                                          accessMode = Schema.AccessMode.READ_ONLY) Integer complexity) {
        public FormulaDocument {
            complexity = FormulaCodec.complexity(tree);
        }

        public FormulaDocument(String text, boolean exact, JsonNode tree) {
            this(text, exact, tree, null);
        }
    }

    public ModelDocument withIdentity(Long id, String name, Integer version, Instant createdAt, List<String> tags,
                                      List<String> aliases) {
        return new ModelDocument(format, id, name, version, sourceJobId, createdAt, task, variables, architecture,
                weights, formula, metrics, tags, aliases);
    }

    /** The document without weight values (what GET /models/{id} shows: names and shapes). */
    public ModelDocument withoutValues() {
        List<LayerWeightsDocument> w = weights.stream().map(l -> new LayerWeightsDocument(l.unit(), l.in(), l.out(),
                l.tensors().stream().map(t -> new TensorDocument(t.name(), t.shape(), null)).toList())).toList();
        return new ModelDocument(null, id, name, version, sourceJobId, createdAt, task, variables, architecture, w,
                formula, metrics, tags, aliases);
    }
}
