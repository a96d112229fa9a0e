package dev.nalu.model;

import java.util.List;

import jakarta.validation.constraints.Min;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** Request and response bodies of the model endpoints. */
public final class ModelMessages {
    private ModelMessages() {
    }

    @Schema(description = "Rows to predict: each an object by variable name, or an array in input order",
            example = "{\"inputs\": [{\"a\": 12345, \"b\": 678}]}")
    public record PredictRequest(
            @ArraySchema(schema = @Schema(ref = FormulaOpenApi.INPUT_ROW), arraySchema = @Schema(
                    example = "[{\"a\": 12345, \"b\": 678}]", requiredMode = Schema.RequiredMode.REQUIRED))
            List<JsonNode> inputs) {
    }

    /**
     * @param answeredBy "formula" when the snapped exact formula computed the outputs, "network" when the
     *                   trained weights did (float64 either way)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(requiredProperties = {"modelId", "outputs", "answeredBy"})
    public record PredictResponse(long modelId,
                                  @Schema(description = "One output per input; for a model of several outputs per "
                                          + "input (a counting model: one count per symbol) every input's outputs in "
                                          + "turn, row by row, as in vectors", example = "[8369910.0]") double[] outputs,
                                  @Schema(example = "formula") String answeredBy,
                                  @Schema(example = "y = a × b") String formula,
                                  @Schema(description = "Only for a model of several outputs per input: each input's "
                                          + "outputs as one vector (a counting model: the count of each symbol)",
                                          example = "[[3.0, 1.0, 6.0]]") double[][] vectors) {

        public PredictResponse(long modelId, double[] outputs, String answeredBy, String formula) {
            this(modelId, outputs, answeredBy, formula, null);
        }
    }

    @Schema(description = "Either ranges (the inputs drawn from them, scored against the task's exact value) or a "
            + "dataset (its rows, scored against its target column)",
            example = "{\"ranges\": [[[10, 1000]], [[1e5, 1e6]]], \"samples\": 1000, \"seed\": 1}")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EvaluateRequest(
            @Schema(description = "Ranges every input is drawn from, each a union of intervals: [[[lo, hi]], …] (the "
                    + "shorthands [[lo, hi], …] and [lo, hi] are read too). Not for a model learned from a dataset, "
                    + "which has no exact value off its rows: give a dataset instead. A sequence model over values (not "
                    + "counting, not number words): every x_t drawn from the range, sequences of its training length, "
                    + "without lengths",
                    example = "[[[10, 1000]], [[1e5, 1e6]]]")
            RangeList ranges,
            @Schema(description = "Id of an uploaded dataset to score the model on, every row: it must have the "
                    + "model's input columns and the target column", example = "7")
            String dataset,
            @Schema(description = "With a dataset: its column the outputs are compared with (default: the target "
                    + "column the model learned, for a model learned from a dataset)", example = "F")
            String target,
            @Schema(description = "Samples per range (default 1000)", example = "1000")
            @Min(value = 1, message = "must be at least 1, got ${validatedValue}") Integer samples,
            @Schema(description = "Seed of the samples (default 0)", example = "1") Long seed,
            @Schema(description = "A sequence model: the sequence lengths to test on, each scored on samples sequences "
                    + "(default 100) against the task's exact value; at most nalu.limits.max-sequence-length each",
                    example = "[1000, 10000]")
            List<@jakarta.validation.constraints.NotNull(message = "must be a length (an integer ≥ 1)")
                    @Min(value = 1, message = "must be at least 1, got ${validatedValue}") Integer> lengths) {
    }

    /**
     * Errors against the exact value of the model's task, and the docs/papers.md §1 criterion. An error
     * with no finite value (the model's output overflows, or its squared errors do) is null, success is
     * false, and {@code reason} says why.
     */
    @Schema(requiredProperties = {"samples", "mse", "meanRelativeError", "maxRelativeError", "threshold", "success"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RangeResult(
            @Schema(description = "The range the samples were drawn from (an evaluation on ranges)")
            List<List<Double>> range,
            @Schema(description = "The dataset whose rows were scored (an evaluation on a dataset)") Long dataset,
            @Schema(description = "Rows drawn from the range, or the dataset's rows") int samples,
            @JsonInclude(JsonInclude.Include.ALWAYS)
            @Schema(types = {"number", "null"}, description = "null when it has no finite value (see reason)") Double mse,
            @JsonInclude(JsonInclude.Include.ALWAYS)
            @Schema(types = {"number", "null"}, description = "null when it has no finite value (see reason)")
            Double meanRelativeError,
            @JsonInclude(JsonInclude.Include.ALWAYS)
            @Schema(types = {"number", "null"}, description = "null when it has no finite value (see reason)")
            Double maxRelativeError,
            @JsonInclude(JsonInclude.Include.ALWAYS)
            @Schema(types = {"number", "null"}, description = "MSE of the exact solution with every first-layer weight "
                    + "off by 1e-5; null when it has no finite value, and on a dataset (there is no exact solution "
                    + "to perturb)")
            Double threshold,
            @Schema(description = "mse < threshold (false on a dataset; for a number-words model: every number of the "
                    + "split read right when the output is rounded)") boolean success,
            @Schema(description = "Why an error is null: the model's output is not a finite number on "
                    + "some samples, or the errors are too large for float64")
            String reason,
            @Schema(description = "The sequence length scored (a sequence model)") Integer length,
            @Schema(description = "A counting model: the fraction of sequences whose every count, rounded to the "
                    + "nearest integer, is right; a number-words model: the fraction of numbers whose rounded output "
                    + "is their value") Double accuracy,
            @Schema(description = "A counting model: the fraction of single counts that, rounded, are right")
            Double countAccuracy,
            @Schema(description = "A number-words model: the split scored, training, validation or test",
                    example = "test") String split,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "A number-words model: the mean absolute error over the split's numbers",
                    example = "47.4") Double mae) {

        /** A result with no counting accuracy. */
        public RangeResult(List<List<Double>> range, Long dataset, int samples, Double mse, Double meanRelativeError,
                           Double maxRelativeError, Double threshold, boolean success, String reason, Integer length) {
            this(range, dataset, samples, mse, meanRelativeError, maxRelativeError, threshold, success, reason, length,
                    null, null, null, null);
        }
    }

    @Schema(requiredProperties = {"modelId", "answeredBy", "results"})
    public record EvaluateResponse(long modelId, String answeredBy, List<RangeResult> results) {
    }

    /**
     * A JSON Merge Patch (RFC 7396) of a model's labels: a member left out leaves its set unchanged, {@code null}
     * clears it, a list replaces it. Read from the body's tree ({@link #of}), since a record cannot tell a member
     * left out from one set to null.
     */
    @Schema(name = "ModelLabelsPatch", description = "A JSON Merge Patch (RFC 7396): a member left out is unchanged, "
            + "null clears the set, a list replaces it",
            example = "{\"aliases\": [\"op:mul\"]}")
    public record LabelsRequest(
            @Schema(types = {"array", "null"}, description = "The model's tags (free labels)") List<String> tags,
            @Schema(types = {"array", "null"}, description = "Aliases; each points at one model and moves here")
            List<String> aliases) {
        static final java.util.Set<String> MEMBERS = java.util.Set.of("tags", "aliases");

        /** The patch in {@code body}: null for a member left out (unchanged), empty for one set to null (cleared). */
        public static LabelsRequest of(JsonNode body) {
            if (body == null || !body.isObject()) {
                throw dev.nalu.api.ApiException.invalid("body", "the body must be a JSON object "
                        + "{\"tags\": [...], \"aliases\": [...]} (JSON Merge Patch)");
            }
            body.fieldNames().forEachRemaining(name -> {
                if (!MEMBERS.contains(name)) {
                    throw dev.nalu.api.ApiException.invalid(name, "unknown field \"" + name + "\": a model's labels "
                            + "patch has tags and aliases");
                }
            });
            return new LabelsRequest(labels(body, "tags"), labels(body, "aliases"));
        }

        private static List<String> labels(JsonNode body, String member) {
            JsonNode v = body.get(member);
            if (v == null) {
                return null;
            }
            if (v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw dev.nalu.api.ApiException.invalid(member, member + " must be a list of strings or null, got " + v.getNodeType());
            }
            List<String> out = new java.util.ArrayList<>(v.size());
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isTextual()) {
                    throw dev.nalu.api.ApiException.invalid(member + "[" + i + "]", member + "[" + i + "] must be a string");
                }
                out.add(v.get(i).asText());
            }
            return out;
        }
    }

    /** One model in a list. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(requiredProperties = {"id", "name", "version", "architecture", "exact", "createdAt", "tags", "aliases"})
    public record ModelSummary(long id, String name, int version, Long sourceJobId, String architecture,
                               String formula, boolean exact, java.time.Instant createdAt, List<String> tags,
                               List<String> aliases) {
    }

    @Schema(requiredProperties = {"items", "page", "size", "total"})
    public record ModelPage(List<ModelSummary> items, int page, int size, long total) {
    }
}
