package dev.nalu.model;

import java.util.List;

import jakarta.validation.constraints.Min;

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
            @Schema(example = "[{\"a\": 12345, \"b\": 678}]", requiredMode = Schema.RequiredMode.REQUIRED)
            List<JsonNode> inputs) {
    }

    /**
     * @param answeredBy "formula" when the snapped exact formula computed the outputs, "network" when the
     *                   trained weights did (float64 either way)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PredictResponse(long modelId, @Schema(example = "[8369910.0]") double[] outputs,
                                  @Schema(example = "formula") String answeredBy,
                                  @Schema(example = "y = a × b") String formula) {
    }

    @Schema(example = "{\"ranges\": [[10, 1000], [1e5, 1e6]], \"samples\": 1000, \"seed\": 1}")
    public record EvaluateRequest(
            @Schema(description = "Ranges every input is drawn from: [[lo, hi], …] or one [lo, hi]",
                    example = "[[10, 1000], [1e5, 1e6]]", requiredMode = Schema.RequiredMode.REQUIRED)
            RangeList ranges,
            @Schema(description = "Samples per range (default 1000)", example = "1000")
            @Min(value = 1, message = "must be at least 1, got ${validatedValue}") Integer samples,
            @Schema(description = "Seed of the samples (default 0)", example = "1") Long seed) {
    }

    /**
     * Errors against the exact value of the model's task, and the docs/papers.md §1 criterion. An error
     * with no finite value (the model's output overflows, or its squared errors do) is null, success is
     * false, and {@code reason} says why.
     */
    public record RangeResult(List<List<Double>> range, int samples,
                              @Schema(description = "null when it has no finite value (see reason)") Double mse,
                              @Schema(description = "null when it has no finite value (see reason)") Double meanRelativeError,
                              @Schema(description = "null when it has no finite value (see reason)") Double maxRelativeError,
                              @Schema(description = "MSE of the exact solution with every first-layer weight off by 1e-5; "
                                      + "null when it has no finite value")
                              Double threshold,
                              @Schema(description = "mse < threshold") boolean success,
                              @JsonInclude(JsonInclude.Include.NON_NULL)
                              @Schema(description = "Why an error is null: the model's output is not a finite number on "
                                      + "some samples, or the errors are too large for float64")
                              String reason) {
    }

    public record EvaluateResponse(long modelId, String answeredBy, List<RangeResult> results) {
    }

    @Schema(description = "Replaces the given sets (a field left out is not changed)",
            example = "{\"tags\": [\"arithmetic\"], \"aliases\": [\"op:mul\"]}")
    public record LabelsRequest(List<String> tags, List<String> aliases) {
    }

    /** One model in a list. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelSummary(long id, String name, int version, Long sourceJobId, String architecture,
                               String formula, boolean exact, java.time.Instant createdAt, List<String> tags,
                               List<String> aliases) {
    }

    public record ModelPage(List<ModelSummary> items, int page, int size, long total) {
    }
}
