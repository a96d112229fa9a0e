package dev.nalu.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.nalu.task.ArithmeticTask;
import dev.nalu.task.Bounds;
import dev.nalu.task.DataTask;
import dev.nalu.task.Domain;
import dev.nalu.task.ExpressionLimits;
import dev.nalu.task.ExpressionTask;
import dev.nalu.task.Task;

/**
 * What a model learns, in a form that is stored with every job and model and rebuilds the same
 * {@link Task}: either an expression over named variables with their training domains, or the
 * arithmetic task of docs/papers.md §1 (op on subset sums of n inputs, subsets placed by
 * {@code subsetSeed}).
 *
 * @param kind         "expression" or "arithmetic"
 * @param expression   the expression (expression tasks)
 * @param variables    each variable's training domain as [[lo, hi], …] (expression tasks)
 * @param op           add, sub, mul, div, square or sqrt (arithmetic tasks)
 * @param inputSize    n (arithmetic tasks)
 * @param subsetRatio  subset length as a fraction of n (arithmetic tasks)
 * @param overlapRatio overlap as a fraction of the subset length (arithmetic tasks)
 * @param subsetSeed   seed that places the subsets (arithmetic tasks)
 * @param train        every input's training domain (arithmetic tasks)
 * @param data         the dataset, its columns and its split (dataset tasks)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskDefinition(String kind, String expression, Map<String, List<List<Double>>> variables,
                             String op, Integer inputSize, Double subsetRatio, Double overlapRatio,
                             Long subsetSeed, List<List<Double>> train, DataSource data) {

    public static final String EXPRESSION = "expression";
    public static final String ARITHMETIC = "arithmetic";
    public static final String DATASET = "dataset";

    /**
     * A dataset task as a job stores it: which dataset (by id and the content hash it had when the job was
     * submitted, so a job never trains on other rows than it was accepted for), which columns, the validation
     * fraction of the seeded split, the held-out extrapolation dataset if any, and the columns' ranges over the
     * rows (so that the task rebuilds without reading the rows).
     *
     * @param dataset              the training dataset's id
     * @param name                 its name
     * @param contentHash          its SHA-256 content hash at submission
     * @param rows                 its rows
     * @param target               the target column
     * @param inputs               the input columns, in input order
     * @param inputRanges          each input's [min, max] over the rows
     * @param targetRange          the target's [min, max] over the rows
     * @param validationFraction   the fraction of rows held out for validation (at most training.evaluationRows)
     * @param extrapolationDataset the held-out dataset's id, or null
     * @param extrapolationHash    its content hash at submission, or null
     * @param extrapolationRows    its rows, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataSource(long dataset, String name, String contentHash, long rows, String target,
                             List<String> inputs, List<List<Double>> inputRanges, List<Double> targetRange,
                             double validationFraction, Long extrapolationDataset, String extrapolationHash,
                             Long extrapolationRows) {

        /** The float64 values a job holds of these datasets: every row's inputs and target. */
        public long values() {
            long perRow = inputs.size() + 1L;
            return rows * perRow + (extrapolationRows == null ? 0 : extrapolationRows * perRow);
        }
    }

    public static TaskDefinition expression(String expression, Map<String, Domain> variables) {
        Map<String, List<List<Double>>> v = new LinkedHashMap<>();
        variables.forEach((name, domain) -> v.put(name, Ranges.toLists(domain)));
        return new TaskDefinition(EXPRESSION, expression, v, null, null, null, null, null, null, null);
    }

    public static TaskDefinition arithmetic(ArithmeticTask.Op op, int inputSize, double subsetRatio,
                                            double overlapRatio, long subsetSeed, Domain train) {
        return new TaskDefinition(ARITHMETIC, null, null, op.name().toLowerCase(), inputSize, subsetRatio,
                overlapRatio, subsetSeed, Ranges.toLists(train), null);
    }

    public static TaskDefinition dataset(DataSource data) {
        return new TaskDefinition(DATASET, null, null, null, null, null, null, null, null, data);
    }

    /** The task this defines; throws IllegalArgumentException if the definition is inconsistent. */
    public Task toTask(ExpressionLimits limits) {
        if (DATASET.equals(kind)) {
            if (data == null || data.target() == null || data.inputs() == null || data.inputRanges() == null
                    || data.targetRange() == null || data.targetRange().size() != 2) {
                throw new IllegalArgumentException("a dataset task needs data with target, inputs and their ranges");
            }
            List<Domain> ranges = data.inputRanges().stream().map(r -> {
                if (r == null || r.size() != 2) {
                    throw new IllegalArgumentException("each input range of a dataset task is [min, max]");
                }
                return Domain.of(r.get(0), r.get(1));
            }).toList();
            return new DataTask(data.inputs(), ranges, data.target(),
                    new Bounds(data.targetRange().get(0), data.targetRange().get(1)),
                    "dataset " + data.dataset() + (data.name() == null ? "" : " \"" + data.name() + "\""));
        }
        if (ARITHMETIC.equals(kind)) {
            if (op == null || inputSize == null || subsetRatio == null || overlapRatio == null || subsetSeed == null
                    || train == null) {
                throw new IllegalArgumentException("an arithmetic task needs op, inputSize, subsetRatio, overlapRatio, "
                        + "subsetSeed and train");
            }
            return new ArithmeticTask(ArithmeticTask.Op.parse(op), inputSize, subsetRatio, overlapRatio, subsetSeed,
                    Ranges.fromLists(train));
        }
        if (!EXPRESSION.equals(kind) || expression == null || variables == null) {
            throw new IllegalArgumentException("a task is kind 'expression' (with expression and variables), "
                    + "'arithmetic' or 'dataset'");
        }
        Map<String, Domain> domains = new LinkedHashMap<>();
        variables.forEach((name, lists) -> domains.put(name, Ranges.fromLists(lists)));
        return ExpressionTask.parse(expression, domains, limits);
    }
}
