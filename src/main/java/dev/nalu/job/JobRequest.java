package dev.nalu.job;

import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/v1/jobs}. Only the expression and the variables' training ranges
 * are required; everything else has a default (see {@link JobSpecs}).
 */
@Schema(description = "A training job: what to learn, with which model, how long.", example = JobRequest.EXAMPLE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRequest(
        @Schema(description = "Name of the job and of the model it makes (default: the expression, or arithmetic-<op>)",
                example = "learn-mul", maxLength = 200)
        String name,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
        TaskRequest task,
        @Schema(description = "\"auto\" (default) or {\"layers\": [{\"unit\": \"NAU\", \"out\": 2}, {\"unit\": \"NMU\", \"out\": 1}]}",
                example = "auto", oneOf = {String.class, ModelLayers.class})
        JsonNode model,
        TrainingRequest training) {

    static final String EXAMPLE = """
            {"name": "learn-mul",
             "task": {"expression": "a * b",
                      "variables": {"a": {"train": [[1, 2]]}, "b": {"train": [[1, 2]]}},
                      "extrapolation": [[2, 6], [10, 100]]},
             "model": "auto",
             "training": {"steps": 20000, "population": 16, "seed": 42, "learningRate": 0.01, "batchSize": 64}}
            """;

    /** What to learn. */
    @Schema(description = "An expression over named variables (kind \"expression\", the default), the arithmetic "
            + "task of Madsen & Johansen 2020 (kind \"arithmetic\"), or a paper's experiment by name (preset).")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskRequest(
            @Schema(description = "\"expression\" (default) or \"arithmetic\"", example = "expression")
            String kind,
            @Schema(description = "Expression over the variables: + - * / ^ sqrt(), numbers, parentheses "
                    + "(also × ÷ − √)", example = "a * b")
            String expression,
            @Schema(description = "Each variable and its training range")
            Map<String, VariableRequest> variables,
            @Schema(description = "Ranges the model is tested on, never trained on: [[lo, hi], …] or one [lo, hi]. "
                    + "Default: one range above the training range, [hi, hi + 4·(hi − lo)] ([2, 6] for [1, 2]), "
                    + "or its mirror below lo when the training range is negative.",
                    example = "[[2, 6], [10, 100]]")
            JsonNode extrapolation,
            @Schema(description = "Arithmetic task: add, sub, mul, div, square or sqrt", example = "mul")
            String op,
            @Schema(description = "Arithmetic task: number of inputs n (default 100)", example = "100")
            Integer inputSize,
            @Schema(description = "Arithmetic task: subset length as a fraction of n (default 0.25)")
            Double subsetRatio,
            @Schema(description = "Arithmetic task: overlap of the subsets as a fraction of their length (default 0.5)")
            Double overlapRatio,
            @Schema(description = "Arithmetic task: training range of every input (default [1, 2])", example = "[1, 2]")
            JsonNode train,
            @Schema(description = "A paper's experiment by name (GET /api/v1/presets lists them), e.g. \"madsen-mul\": "
                    + "it fixes the task and its ranges, and gives the model and training its defaults; "
                    + "no other task field may be given with it", example = "madsen-mul")
            String preset) {

        /** A task given by a preset's name alone. */
        public static TaskRequest preset(String name) {
            return new TaskRequest(null, null, null, null, null, null, null, null, null, name);
        }
    }

    /** One variable of an expression task. */
    public record VariableRequest(
            @Schema(description = "Training range: [lo, hi] or a union [[lo, hi], …]", example = "[[1, 2]]",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            JsonNode train) {
    }

    /** An explicit architecture, for the OpenAPI description of {@code model}. */
    @Schema(description = "Explicit layers, first to last; the last has out = 1")
    public record ModelLayers(java.util.List<Layer> layers) {
        public record Layer(
                @Schema(description = "NAU, NMU, NAC_ADD, NAC_MUL, NALU, INALU, REAL_NPU or DENSE", example = "NAU")
                String unit,
                @Schema(example = "2") int out,
                @Schema(description = "DENSE only: relu, relu6, tanh, sigmoid, elu, leaky-relu, softplus, none")
                String activation) {
        }
    }

    /** How to train; every field has a default. */
    @Schema(description = "Training settings; every field is optional.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrainingRequest(
            @Schema(description = "Optimiser steps (default 20000)", example = "20000") Long steps,
            @Schema(description = "Members trained side by side, each from its own seed (default 16, at most 256)",
                    example = "16") Integer population,
            @Schema(description = "Seed of the run: members, batches and subsets derive from it (default 0)",
                    example = "42") Long seed,
            @Schema(description = "Learning rate (default 0.01)", example = "0.01") Double learningRate,
            @Schema(description = "Rows per step, a fresh batch every step (default 64)", example = "64") Integer batchSize,
            @Schema(description = "adam (default), rmsprop or sgd") String optimizer,
            @Schema(description = "float32 (default) or float64 training arithmetic") String precision,
            @Schema(description = "Steps between progress reports (default 1000, or steps when fewer)") Integer evaluateEvery,
            @Schema(description = "Rows of the fixed validation and extrapolation sets (default 10000)") Integer evaluationRows,
            @Schema(description = "Fraction of the steps where the regularisers start ramping up (default 0.4)")
            Double regulariserStart,
            @Schema(description = "Fraction of the steps where they reach full strength (default 0.7)") Double regulariserEnd,
            @Schema(description = "Fraction of the steps from which the learning rate decays linearly to 1% of itself "
                    + "at the last step (default 0.7; 1 = constant)") Double learningRateDecayStart,
            @Schema(description = "Clip each gradient element to ±this; 0 = off (default 0)") Double gradientClip,
            @Schema(description = "Re-initialise members whose loss stopped improving (default false)")
            Boolean reinitialiseStuck,
            @Schema(description = "Stop before the step budget at the first progress report where the member "
                    + "selected on validation data snaps to an exact formula on validation data (default true; "
                    + "the extrapolation ranges are never consulted)", example = "true")
            Boolean earlyStop,
            @Schema(description = "With Adam, step a first-layer NAU's weights along the mean of its inputs apart from "
                    + "the rest, so that noise along the mean does not slow the rest (default true; only when the "
                    + "inputs sit far from zero, e.g. U[1,2])", example = "true")
            Boolean splitInputMean) {

        /** No field set: every default applies. */
        public static final TrainingRequest DEFAULTS = new TrainingRequest(null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);

        /** Each field of this request, or where it is not set, the field of {@code base} (a preset's). */
        public TrainingRequest over(TrainingRequest base) {
            return new TrainingRequest(or(steps, base.steps), or(population, base.population), or(seed, base.seed),
                    or(learningRate, base.learningRate), or(batchSize, base.batchSize), or(optimizer, base.optimizer),
                    or(precision, base.precision), or(evaluateEvery, base.evaluateEvery),
                    or(evaluationRows, base.evaluationRows), or(regulariserStart, base.regulariserStart),
                    or(regulariserEnd, base.regulariserEnd), or(learningRateDecayStart, base.learningRateDecayStart),
                    or(gradientClip, base.gradientClip), or(reinitialiseStuck, base.reinitialiseStuck),
                    or(earlyStop, base.earlyStop), or(splitInputMean, base.splitInputMean));
        }

        private static <T> T or(T value, T fallback) {
            return value != null ? value : fallback;
        }
    }
}
