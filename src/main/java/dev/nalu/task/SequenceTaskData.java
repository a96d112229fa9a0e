package dev.nalu.task;

import java.util.ArrayList;
import java.util.List;

import dev.nalu.compute.SequenceData;

/**
 * A {@link SequenceTask}'s samples for the sequence trainer: training batches of the training
 * length drawn from (seed, step), a fixed validation set at the training length, and fixed test
 * sets at each test length, each with its ε-criterion threshold (ε = 1e-5, Madsen and Johansen)
 * computed over the set's own rows in float64. Every row of a set is drawn from its own stream
 * (seed, set, row), so a set is made a chunk at a time and is the same on every pass.
 */
public final class SequenceTaskData implements SequenceData {
    public static final double EPSILON = 1e-5;
    public static final int DEFAULT_VALIDATION_ROWS = 2048;
    public static final int DEFAULT_TEST_ROWS = 2048;

    private final SequenceTask task;
    private final long seed;
    private final int trainLength;
    private final EvalSet validation;
    private final List<EvalSet> tests = new ArrayList<>();

    /** Test sets at each length over the task's own value range. */
    public SequenceTaskData(SequenceTask task, long seed, int trainLength, List<Integer> testLengths,
                            int validationRows, int testRows) {
        this(task, seed, trainLength, testLengths, validationRows, testRows, List.of());
    }

    /**
     * And test sets over other tasks (the same task over a wider value range, say) at each test
     * length, named by their domain.
     */
    public SequenceTaskData(SequenceTask task, long seed, int trainLength, List<Integer> testLengths,
                            int validationRows, int testRows, List<SequenceTask> otherRanges) {
        if (trainLength < 1) {
            throw new IllegalArgumentException("the training length must be at least 1");
        }
        this.task = task;
        this.seed = seed;
        this.trainLength = trainLength;
        this.validation = set("validation, length " + trainLength, task, -10, validationRows, trainLength);
        int stream = -11;
        for (int length : testLengths) {
            tests.add(set("length " + length, task, stream--, testRows, length));
        }
        for (SequenceTask other : otherRanges) {
            for (int length : testLengths) {
                tests.add(set("length " + length + ", values " + other.trainDomain(), other, stream--, testRows, length));
            }
        }
    }

    public SequenceTask task() {
        return task;
    }

    @Override
    public int inputs() {
        return task.inputs();
    }

    @Override
    public int outputs() {
        return task.outputs();
    }

    @Override
    public int trainLength() {
        return trainLength;
    }

    @Override
    public void batch(long step, double[] x, double[] y, int rows) {
        Rng rng = Rng.seeded(seed, step);
        int n = trainLength * task.inputs();
        for (int r = 0; r < rows; r++) {
            task.sample(rng, x, r * n, trainLength);
            task.targets(x, r * n, trainLength, y, r * task.outputs());
        }
    }

    @Override
    public EvalSet validation() {
        return validation;
    }

    @Override
    public List<EvalSet> extrapolation() {
        return tests;
    }

    private EvalSet set(String name, SequenceTask source, long stream, int rows, int length) {
        long setSeed = Rng.seeded(seed, stream).nextLong();
        int n = length * source.inputs();
        Rows rowsOf = (first, count, x, y) -> {
            for (int r = 0; r < count; r++) {
                source.sample(Rng.seeded(setSeed, first + r), x, r * n, length);
                source.targets(x, r * n, length, y, r * source.outputs());
            }
        };
        double[] x = new double[n];
        double[] y = new double[source.outputs()];
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            rowsOf.fill(r, 1, x, y);
            sum += source.perturbedError(x, 0, length, EPSILON);
        }
        return new EvalSet(name, rows, length, sum / ((double) rows * source.outputs()), rowsOf);
    }
}
