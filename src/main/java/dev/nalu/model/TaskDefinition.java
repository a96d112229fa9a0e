package dev.nalu.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.nalu.task.ArithmeticTask;
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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskDefinition(String kind, String expression, Map<String, List<List<Double>>> variables,
                             String op, Integer inputSize, Double subsetRatio, Double overlapRatio,
                             Long subsetSeed, List<List<Double>> train) {

    public static final String EXPRESSION = "expression";
    public static final String ARITHMETIC = "arithmetic";

    public static TaskDefinition expression(String expression, Map<String, Domain> variables) {
        Map<String, List<List<Double>>> v = new LinkedHashMap<>();
        variables.forEach((name, domain) -> v.put(name, Ranges.toLists(domain)));
        return new TaskDefinition(EXPRESSION, expression, v, null, null, null, null, null, null);
    }

    public static TaskDefinition arithmetic(ArithmeticTask.Op op, int inputSize, double subsetRatio,
                                            double overlapRatio, long subsetSeed, Domain train) {
        return new TaskDefinition(ARITHMETIC, null, null, op.name().toLowerCase(), inputSize, subsetRatio,
                overlapRatio, subsetSeed, Ranges.toLists(train));
    }

    /** The task this defines; throws IllegalArgumentException if the definition is inconsistent. */
    public Task toTask(ExpressionLimits limits) {
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
            throw new IllegalArgumentException("a task is either kind 'expression' (with expression and variables) "
                    + "or kind 'arithmetic'");
        }
        Map<String, Domain> domains = new LinkedHashMap<>();
        variables.forEach((name, lists) -> domains.put(name, Ranges.fromLists(lists)));
        return ExpressionTask.parse(expression, domains, limits);
    }
}
