package dev.nalu.job;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import io.swagger.v3.oas.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import dev.nalu.api.InvalidValueException;
import dev.nalu.model.Range;
import dev.nalu.model.RangeList;

/**
 * The body of {@code POST /api/v1/jobs}. Only the expression and the variables' training ranges
 * are required; everything else has a default (see {@link JobSpecs}).
 *
 * <p>Reading binds the shapes ({@link Range}, {@link RangeList}, {@link Model}); the constraints written here
 * are the plain bounds of single fields. {@link JobSpecs} checks both, then everything that depends on
 * nalu.limits.* or on other fields.
 */
@Schema(description = "A training job: what to learn, with which model, how long.", example = JobRequest.EXAMPLE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRequest(
        @Schema(description = "Name of the job and of the model it makes (default: the expression, or arithmetic-<op>)",
                example = "learn-mul", maxLength = 200)
        String name,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
        @Valid TaskRequest task,
        @Schema(description = "\"auto\" (default), \"search\" (architecture search: docs/search.md) or "
                + "{\"layers\": [{\"unit\": \"NAU\", \"out\": 2}, {\"unit\": \"NMU\", \"out\": 1}]}", example = "auto")
        @Valid Model model,
        @Valid TrainingRequest training) {

    private static final String AT_LEAST_1 = "must be at least 1, got ${validatedValue}";
    private static final String IN_0_1 = "must be in [0, 1], got ${validatedValue}";
    private static final String DECAY = "must be in [0, 1] (1 = constant learning rate), got ${validatedValue}";

    static final String EXAMPLE = """
            {"name": "learn-mul",
             "task": {"expression": "a * b",
                      "variables": {"a": {"train": [[1, 2]]}, "b": {"train": [[1, 2]]}},
                      "extrapolation": [[[2, 6]], [[10, 100]]]},
             "model": "auto",
             "training": {"steps": 20000, "population": 16, "seed": 42, "learningRate": 0.01, "batchSize": 64}}
            """;

    /** What to learn. */
    @Schema(description = "An expression over named variables (kind \"expression\", the default), the arithmetic "
            + "task of Madsen & Johansen 2020 (kind \"arithmetic\"), a target column of an uploaded dataset as a "
            + "function of its other columns (kind \"dataset\", implied by \"dataset\"), or a paper's experiment by "
            + "name (preset).")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskRequest(
            @Schema(description = "\"expression\" (default; \"dataset\" when task.dataset is given), \"arithmetic\", "
                    + "\"dataset\", \"sequence\" or \"number-words\" (no other task field)", example = "expression")
            String kind,
            @Schema(description = "Expression over the variables: + - * / ^ sqrt(), numbers, parentheses "
                    + "(also × ÷ − √)", example = "a * b")
            String expression,
            @Schema(description = "Each variable and its training range (an expression task; left out or empty with a preset)",
                    types = {"object", "null"})
            Map<String, VariableRequest> variables,
            @Schema(description = "Ranges the model is tested on, never trained on: [[lo, hi], …] or one [lo, hi]. "
                    + "Default: one range above the training range, [hi, hi + 4·(hi − lo)] ([2, 6] for [1, 2]), "
                    + "or its mirror below lo when the training range is negative. A dataset task takes a held-out "
                    + "dataset instead, {\"dataset\": \"<id>\"} (default: none), or the same as task.extrapolationDataset.",
                    implementation = RangeList.class, example = "[[[2, 6]], [[10, 100]]]")
            Extrapolation extrapolation,
            @Schema(description = "Arithmetic task: add, sub, mul, div, square or sqrt", example = "mul")
            String op,
            @Schema(description = "Arithmetic task: number of inputs n (default 100)", example = "100")
            @Min(value = 1, message = AT_LEAST_1) Integer inputSize,
            @Schema(description = "Arithmetic task: subset length as a fraction of n (default 0.25)")
            @DecimalMin(value = "0", inclusive = false, message = "must be in (0, 1], got ${validatedValue}")
            @DecimalMax(value = "1", message = "must be in (0, 1], got ${validatedValue}") Double subsetRatio,
            @Schema(description = "Arithmetic task: overlap of the subsets as a fraction of their length (default 0.5)")
            @DecimalMin(value = "0", message = IN_0_1) @DecimalMax(value = "1", message = IN_0_1) Double overlapRatio,
            @Schema(description = "Arithmetic task: training range of every input (default [1, 2])", example = "[[1, 2]]")
            Range train,
            @Schema(description = "A paper's experiment by name (GET /api/v1/presets lists them), e.g. \"madsen-mul\": "
                    + "it fixes the task and its ranges, and gives the model and training its defaults; "
                    + "no other task field may be given with it", example = "madsen-mul")
            String preset,
            @Schema(description = "Dataset task: id of an uploaded dataset (POST /api/v1/datasets)", example = "7")
            String dataset,
            @Schema(description = "Dataset task: the column to learn", example = "F")
            String target,
            @Schema(description = "Dataset task: the input columns, in input order (default: every other column that "
                    + "is not constant)", example = "[\"q\", \"v\", \"B\", \"p\"]")
            List<String> inputs,
            @Schema(description = "Dataset task: fraction of the rows held out, by a split seeded by training.seed, to "
                    + "select the member, stop early and check formulas (default 0.2; at most training.evaluationRows "
                    + "rows)", example = "0.2")
            @DecimalMin(value = "0", inclusive = false, message = "must be in (0, 1), got ${validatedValue}")
            @DecimalMax(value = "1", inclusive = false, message = "must be in (0, 1), got ${validatedValue}")
            Double validationFraction,
            @Schema(description = "Dataset task: id of a held-out dataset with the same input and target columns, "
                    + "scored and reported, never trained, selected or stopped on; the same as task.extrapolation "
                    + "{\"dataset\": \"<id>\"} (a typed field for generated clients)", example = "8")
            String extrapolationDataset,
            @Schema(description = "Sequence task: the length trained and validated on (default 10; at most "
                    + "nalu.limits.max-sequence-length)", example = "10")
            @Min(value = 1, message = AT_LEAST_1) Integer trainLength,
            @Schema(description = "Sequence task: the lengths tested on, never trained, selected or stopped on "
                    + "(default [100, 1000]; each at most nalu.limits.max-sequence-length)", example = "[100, 1000]")
            List<@NotNull(message = "must be a length (an integer ≥ 1)") @Min(value = 1, message = AT_LEAST_1) Integer>
            testLengths,
            @Schema(description = "Sequence task, op \"count\": the alphabet size k (default 10, at most 64); the model "
                    + "reads k one-hot values a step and answers k counts", example = "10")
            @Min(value = 1, message = AT_LEAST_1) Integer symbols,
            @Schema(description = "Sequence task over values (every op but count): other value ranges tested on at the "
                    + "training length, each x_t drawn from the range, the subsets as trained; reported separately "
                    + "(\"range [1, 5]\"), never trained, selected or stopped on, nor counted in membersSucceeded: "
                    + "[[lo, hi], …] or one [lo, hi] (a union as [[[lo, hi], …]]). Default: none. For div every value "
                    + "has one sign, for sqrt none is below 0",
                    implementation = RangeList.class, example = "[[1, 5]]")
            RangeList testRanges) {

        /** A task given by a preset's name alone. */
        public static TaskRequest preset(String name) {
            return new TaskRequest(null, null, null, null, null, null, null, null, null, name, null, null, null, null,
                    null, null, null, null, null);
        }

        /** The held-out dataset's id, given either way; a 400 naming the fields when both are. */
        public String heldOutDataset() {
            String nested = extrapolation == null || extrapolation.dataset() == null ? null
                    : extrapolation.dataset().dataset();
            if (nested != null && extrapolationDataset != null) {
                throw dev.nalu.api.ApiException.invalid("task.extrapolationDataset", "give the held-out dataset once: "
                        + "task.extrapolation {\"dataset\": …} or task.extrapolationDataset, not both");
            }
            return nested != null ? nested : extrapolationDataset;
        }

        /** A task of an expression with its variables and, when not null, extrapolation ranges. */
        public static TaskRequest expression(String expression, Map<String, VariableRequest> variables,
                                             RangeList extrapolation) {
            return new TaskRequest(null, expression, variables, extrapolation == null ? null : Extrapolation.of(extrapolation),
                    null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        /** A sequence task: op over sequences trained on trainLength, tested on testLengths (null: the defaults). */
        public static TaskRequest sequence(String op, Integer trainLength, List<Integer> testLengths) {
            return new TaskRequest("sequence", null, null, null, op, null, null, null, null, null, null, null, null, null,
                    null, trainLength, testLengths, null, null);
        }

        /** Number words to values: no field but the kind (the split's seed is training.seed). */
        public static TaskRequest numberWords() {
            return new TaskRequest(dev.nalu.model.TaskDefinition.NUMBER_WORDS, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null);
        }

        /** Counting over an alphabet of {@code symbols} (null: the default). */
        public static TaskRequest counting(Integer symbols, Integer trainLength, List<Integer> testLengths) {
            return new TaskRequest("sequence", null, null, null, dev.nalu.model.TaskDefinition.SequenceSource.COUNT, null, null, null,
                    null, null, null, null, null, null, null, trainLength, testLengths, symbols, null);
        }
    }

    /** One variable of an expression task. */
    public record VariableRequest(
            @Schema(description = "Training range: [lo, hi] or a union [[lo, hi], …]", example = "[[1, 2]]",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            Range train) {
    }

    /**
     * The architecture: {@code "auto"} ({@link Auto}, any case) or explicit layers ({@link ModelLayers}). Read by
     * the shape of the JSON value; a string other than "auto", or a value that is neither a string nor an
     * object, is a 400 naming {@code model}.
     */
    @JsonDeserialize(using = Model.Reader.class)
    public sealed interface Model permits Auto, Search, ModelLayers, ModelCell {

        final class Reader extends StdDeserializer<Model> {
            private static final long serialVersionUID = 1L;

            Reader() {
                super(Model.class);
            }

            @Override
            public Model deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (p.currentToken() == JsonToken.START_OBJECT) {
                    com.fasterxml.jackson.databind.JsonNode node = ctxt.readTree(p);
                    Class<? extends Model> type = node.has("cell") ? ModelCell.class : ModelLayers.class;
                    try (JsonParser fields = node.traverse(p.getCodec())) {
                        fields.nextToken();
                        return ctxt.readValue(fields, type);
                    }
                }
                if (p.currentToken() == JsonToken.VALUE_STRING && p.getText().equalsIgnoreCase("auto")) {
                    return Auto.AUTO;
                }
                if (p.currentToken() == JsonToken.VALUE_STRING && p.getText().equalsIgnoreCase("search")) {
                    return Search.SEARCH;
                }
                String got = p.currentToken() == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\""
                        : ctxt.readTree(p).toString();
                throw new InvalidValueException(p, "must be \"auto\", \"search\" or {\"layers\": […]}, got " + got);
            }
        }
    }

    /** {@code "auto"}: AutoModel chooses the layers from the task. */
    public enum Auto implements Model {
        AUTO;

        @JsonValue
        String json() {
            return "auto";
        }
    }

    /**
     * {@code "search"}: the population is shared out over candidate architectures chosen from the data's shape,
     * raced by successive halving, and the simplest exact formula found is served (dev.nalu.search, docs/search.md).
     */
    public enum Search implements Model {
        SEARCH;

        @JsonValue
        String json() {
            return "search";
        }
    }

    /** An explicit architecture. Read as a plain record: it would otherwise inherit {@link Model}'s reader. */
    @Schema(description = "Explicit layers, first to last; the last has out = 1")
    @JsonDeserialize(using = JsonDeserializer.None.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelLayers(
            @NotEmpty(message = "must be a non-empty array of {\"unit\": …, \"out\": …}")
            List<@NotNull(message = "must be {\"unit\": \"NAU\", \"out\": 1}") @Valid Layer> layers) implements Model {

        @JsonInclude(JsonInclude.Include.NON_NULL)
        public record Layer(
                @Schema(description = "NAU, NMU, NAC_ADD, NAC_MUL, NALU, INALU, REAL_NPU or DENSE", example = "NAU",
                        requiredMode = Schema.RequiredMode.REQUIRED)
                String unit,
                @Schema(example = "2", requiredMode = Schema.RequiredMode.REQUIRED)
                @NotNull(message = "must be an integer (the layer's outputs)") @Min(value = 1, message = AT_LEAST_1)
                Integer out,
                @Schema(description = "DENSE only: relu, relu6, tanh, sigmoid, elu, leaky-relu, softplus, none")
                String activation,
                @Schema(description = "NAU: a constant-1 input whose weights add a learned constant to each output; "
                        + "REAL_NPU: a learned scale c per output (default false)")
                Boolean constant) {
        }
    }

    /**
     * A recurrent model for a sequence task: a cell over the sequence, then a head on its final state
     * (docs/sequence.md); for number words an embedding of the tokens in front of the cell.
     */
    @Schema(description = "Sequence or number-words task: a recurrent cell and the head on its final state")
    @JsonDeserialize(using = JsonDeserializer.None.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelCell(
            @Schema(description = "NAU, NMU, NAC_ADD, NAC_MUL, NALU, RNN_TANH, RNN_RELU, GRU, LSTM or MAC", example = "NAU",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String cell,
            @Schema(description = "State values (default 2, as Madsen & Johansen's recurrent network; 10 for number "
                    + "words, 1 with the MAC cell)", example = "2")
            @Min(value = 1, message = AT_LEAST_1) Integer hidden,
            @Schema(description = "The head on the final state (hidden → 1): NAU, NMU, NAC_ADD, NAC_MUL, NALU, INALU, "
                    + "REAL_NPU or DENSE (default: the cell's own unit, DENSE for RNN, GRU and LSTM)", example = "NAU")
            String head,
            @Schema(description = "Number words only: values of each token's learned embedding, the cell's input "
                    + "(default 16, at most 256; none with the MAC cell, which reads tokens through its own tables)",
                    example = "16")
            @Min(value = 1, message = AT_LEAST_1) Integer embedding) implements Model {

        /** A cell over vectors (sequence tasks). */
        public ModelCell(String cell, Integer hidden, String head) {
            this(cell, hidden, head, null);
        }
    }

    /** How to train; every field has a default. */
    @Schema(description = "Training settings; every field is optional.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrainingRequest(
            @Schema(description = "Optimiser steps (default 20000)", example = "20000")
            @Min(value = 1, message = AT_LEAST_1) Long steps,
            @Schema(description = "Members trained side by side, each from its own seed (default 16, 64 for \"search\", "
                    + "at most 256)",
                    example = "16") @Min(value = 1, message = AT_LEAST_1) Integer population,
            @Schema(description = "Seed of the run: members, batches and subsets derive from it (default 0)",
                    example = "42") Long seed,
            @Schema(description = "Learning rate (default 0.01)", example = "0.01")
            @DecimalMin(value = "0", inclusive = false, message = "must be in (0, 10], got ${validatedValue}")
            @DecimalMax(value = "10", message = "must be in (0, 10], got ${validatedValue}") Double learningRate,
            @Schema(description = "Rows per step, a fresh batch every step (default 64)", example = "64")
            @Min(value = 1, message = AT_LEAST_1) Integer batchSize,
            @Schema(description = "adam (default), rmsprop or sgd") String optimizer,
            @Schema(description = "float32 (default) or float64 training arithmetic") String precision,
            @Schema(description = "Steps between progress reports (default 1000, or steps when fewer)") Integer evaluateEvery,
            @Schema(description = "Rows of the fixed validation and extrapolation sets (default 10000)")
            @Min(value = 1, message = AT_LEAST_1) Integer evaluationRows,
            @Schema(description = "Fraction of the steps where the regularisers start ramping up (default 0.4)")
            @DecimalMin(value = "0", message = IN_0_1) @DecimalMax(value = "1", message = IN_0_1) Double regulariserStart,
            @Schema(description = "Fraction of the steps where they reach full strength (default 0.7)") Double regulariserEnd,
            @Schema(description = "Fraction of the steps from which the learning rate decays linearly to 1% of itself "
                    + "at the last step (default 0.7; 1 = constant)")
            @DecimalMin(value = "0", message = DECAY) @DecimalMax(value = "1", message = DECAY) Double learningRateDecayStart,
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
            Boolean splitInputMean,
            @Schema(description = "Sequence jobs: the sparsity regulariser's schedule on NAU and NMU weights, \"linear\" "
                    + "(default: 0 until regulariserStart of the steps, then up to regulariserStrength at "
                    + "regulariserEnd) or \"exponential\" (Madsen & Johansen's recurrent script: "
                    + "regulariserStrength · (1 − e^(−10⁻⁵ · step)))", example = "linear")
            String regulariserSchedule,
            @Schema(description = "Sequence jobs: the regulariser's full strength λ̂ (default 1 linear, 0.1 exponential)",
                    example = "1")
            @DecimalMin(value = "0", message = "must be ≥ 0, got ${validatedValue}") Double regulariserStrength) {

        /** No field set: every default applies. */
        public static final TrainingRequest DEFAULTS = new TrainingRequest(null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null);

        /** Each field of this request, or where it is not set, the field of {@code base} (a preset's). */
        public TrainingRequest over(TrainingRequest base) {
            return new TrainingRequest(or(steps, base.steps), or(population, base.population), or(seed, base.seed),
                    or(learningRate, base.learningRate), or(batchSize, base.batchSize), or(optimizer, base.optimizer),
                    or(precision, base.precision), or(evaluateEvery, base.evaluateEvery),
                    or(evaluationRows, base.evaluationRows), or(regulariserStart, base.regulariserStart),
                    or(regulariserEnd, base.regulariserEnd), or(learningRateDecayStart, base.learningRateDecayStart),
                    or(gradientClip, base.gradientClip), or(reinitialiseStuck, base.reinitialiseStuck),
                    or(earlyStop, base.earlyStop), or(splitInputMean, base.splitInputMean),
                    or(regulariserSchedule, base.regulariserSchedule), or(regulariserStrength, base.regulariserStrength));
        }

        private static <T> T or(T value, T fallback) {
            return value != null ? value : fallback;
        }
    }
}
