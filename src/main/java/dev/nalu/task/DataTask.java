package dev.nalu.task;

import java.util.List;

/**
 * What a model learns from a user's dataset: a target column as a function of input columns, known only at the
 * dataset's rows. It has names, each input's range over the rows (its interpolation range) and the target's range,
 * but no exact value anywhere: {@link #target} and {@link #perturbedTarget} throw, and whatever needs the truth off
 * the rows (sampling fresh rows, the ε-success threshold, evaluating on ranges) is not offered for it. Its samples,
 * validation rows and held-out rows come from the dataset (evaluation.DatasetData).
 *
 * @param inputs       the input columns, in input order
 * @param inputRanges  each input's [min, max] over the dataset's rows
 * @param target       the target column
 * @param targetRange  the target's [min, max] over the rows
 * @param source       where the rows come from, for descriptions, e.g. {@code dataset 12 "kepler"}
 */
public record DataTask(List<String> inputs, List<Domain> inputRanges, String target, Bounds targetRange,
                       String source) implements Task {

    /** Why a data task has no target off its rows; the message of what {@link #target} throws. */
    public static final String NO_TRUTH = "a task learned from a dataset has no exact target off the dataset's rows";

    public DataTask {
        inputs = List.copyOf(inputs);
        inputRanges = List.copyOf(inputRanges);
        if (inputs.isEmpty() || inputs.size() != inputRanges.size()) {
            throw new IllegalArgumentException("a data task needs at least one input and one range per input");
        }
    }

    @Override
    public List<String> variables() {
        return inputs;
    }

    @Override
    public Domain trainDomain(int column) {
        return inputRanges.get(column);
    }

    /** @throws IllegalStateException always: see {@link #NO_TRUTH} */
    @Override
    public double target(double[] x, int offset) {
        throw new IllegalStateException(NO_TRUTH);
    }

    /** @throws IllegalStateException always: see {@link #NO_TRUTH} */
    @Override
    public double perturbedTarget(double[] x, int offset, double eps) {
        throw new IllegalStateException(NO_TRUTH);
    }

    /** The target's range over the rows: the only targets there are. */
    @Override
    public Bounds targetBounds() {
        return targetRange;
    }

    /** Unknown off the rows: the whole real line. */
    @Override
    public Bounds targetBounds(Domain everyColumn) {
        return Bounds.REAL_LINE;
    }

    @Override
    public String describe() {
        return target + " from " + source;
    }
}
