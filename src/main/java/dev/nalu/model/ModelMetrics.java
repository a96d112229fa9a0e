package dev.nalu.model;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * A model's {@code metrics} as /v3/api-docs describes them: what the job that made it measured (JobRunner writes
 * them; the Java client GeneratedClientsTest generates reads a real model's with this schema, and refuses a member it lacks or a
 * required one missing). Figures with no finite value are null.
 */
@Schema(name = "ModelMetrics", description = "Training and evaluation metrics of the job that made the model")
public record ModelMetrics(
        @Schema(requiredMode = RequiredMode.REQUIRED, description = "Steps trained") long steps,
        @Schema(description = "The step at which early stopping ended the job") Long stoppedEarlyAt,
        @Schema(requiredMode = RequiredMode.REQUIRED) int population,
        @Schema(requiredMode = RequiredMode.REQUIRED, description = "The member picked on validation") int selectedMember,
        @Schema(requiredMode = RequiredMode.REQUIRED) int membersSucceeded,
        @Schema(description = "The first progress report at which a member succeeded") Long firstSuccessStep,
        @Schema(requiredMode = RequiredMode.REQUIRED) int reinitialisations,
        @Schema(requiredMode = RequiredMode.REQUIRED, types = {"number", "null"}) Double validationMse,
        @Schema(requiredMode = RequiredMode.REQUIRED, types = {"number", "null"},
                description = "Validation MSE of the snapped formula") Double snappedValidationMse,
        @Schema(requiredMode = RequiredMode.REQUIRED, types = {"number", "null"},
                description = "Distance of the weights from {-1, 0, 1} (Madsen & Johansen 2020)") Double sparsityError,
        @Schema(description = "The rule by which \"auto\" chose the architecture") String architectureRule,
        @Schema(description = "Why, in words") String architectureReason,
        @Schema(requiredMode = RequiredMode.REQUIRED) List<RangeMetrics> extrapolation,
        @Schema(description = "A sequence model: the MSE of the snapped recurrence's ε-threshold on the validation set "
                + "(its formula is exact when its snapped validation MSE is below it)", types = {"number", "null"})
        Double validationThreshold,
        @Schema(description = "A number-words model: its mean absolute error on each split") MeanAbsoluteErrors mae) {

    /** A number-words model's mean absolute error on each split, in float64 (the test split reported only). */
    @Schema(name = "NumberWordsMae")
    public record MeanAbsoluteErrors(
            @Schema(requiredMode = RequiredMode.REQUIRED, types = {"number", "null"}) Double training,
            @Schema(requiredMode = RequiredMode.REQUIRED, types = {"number", "null"}) Double validation,
            @Schema(requiredMode = RequiredMode.REQUIRED, types = {"number", "null"}) Double test) {
    }

    /** The selected member, and its formula where it has one, on one extrapolation range. */
    @Schema(name = "ExtrapolationMetrics")
    public record RangeMetrics(
            @Schema(description = "The range: a union of intervals [[lo, hi], …] (a static model's test range, or a "
                    + "sequence model's test range over values, measured at its training length)")
            List<List<Double>> range,
            @Schema(description = "The test length (a sequence model's test set: sequences of this many steps; the "
                    + "training length for a test range)")
            Integer length,
            @Schema(requiredMode = RequiredMode.REQUIRED, types = {"number", "null"}) Double mse,
            @Schema(requiredMode = RequiredMode.REQUIRED, types = {"number", "null"}) Double threshold,
            @Schema(requiredMode = RequiredMode.REQUIRED) boolean success,
            @Schema(types = {"number", "null"}, description = "MSE of the snapped formula, when it matches the network") Double formulaMse,
            @Schema(types = {"number", "null"}) Double formulaMaxRelativeError,
            Boolean formulaSuccess,
            @Schema(description = "A counting model: the fraction of sequences whose every rounded count is right",
                    types = {"number", "null"}) Double accuracy,
            @Schema(description = "A counting model: the fraction of single counts that, rounded, are right",
                    types = {"number", "null"}) Double countAccuracy,
            @Schema(description = "A number-words model: the split, \"test\"") String split) {
    }
}
