package dev.nalu.task;

import java.util.ArrayList;
import java.util.List;

import dev.nalu.compute.SequenceData;

/**
 * A {@link SequenceTask}'s samples for the sequence trainer: training batches of the training
 * length drawn from (seed, step), a fixed validation set at the training length, fixed test sets
 * at each test length and, when given, fixed test sets at the training length over other value
 * ranges (the same task over a wider range: {@link RecurrentArithmeticTask#withDomain},
 * {@link RunningTotalTask#withDomain}), each with its ε-criterion threshold (ε = 1e-5, Madsen and
 * Johansen) computed over the set's own rows in float64. Every row of a set is drawn from its own
 * stream (seed, set, row), so a set is made a chunk at a time and is the same on every pass; the
 * range sets' streams are their own, so adding them changes no other set.
 *
 * <p>{@link #extrapolation()} lists the length sets ("length 1000") first, then the range sets
 * ("range [1, 5]"); only the length sets decide a member's success ({@link #successSets()}).
 */
public final class SequenceTaskData implements SequenceData {
    public static final double EPSILON = 1e-5;
    public static final int DEFAULT_VALIDATION_ROWS = 2048;
    public static final int DEFAULT_TEST_ROWS = 2048;
    /** The stream of the first range set; the next ones count down from it, far below the length sets'. */
    private static final long RANGE_STREAM = -1000;

    private final SequenceTask task;
    private final long seed;
    private final int trainLength;
    private final EvalSet validation;
    private final List<EvalSet> tests = new ArrayList<>();
    private final int lengthSets;
    private final List<Domain> ranges = new ArrayList<>();

    /** Test sets at each length over the task's own value range. */
    public SequenceTaskData(SequenceTask task, long seed, int trainLength, List<Integer> testLengths,
                            int validationRows, int testRows) {
        this(task, seed, trainLength, testLengths, validationRows, testRows, List.of());
    }

    /**
     * And a test set at the training length over each of {@code otherRanges} (the same task over another value
     * range), named "range " and its domain, after the length sets.
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
        this.lengthSets = tests.size();
        for (int i = 0; i < otherRanges.size(); i++) {
            SequenceTask other = otherRanges.get(i);
            if (other.inputs() != task.inputs() || other.outputs() != task.outputs()) {
                throw new IllegalArgumentException("a range set is the same task over other values: "
                        + other.describe() + " is not " + task.describe());
            }
            tests.add(set(rangeName(other.trainDomain()), other, RANGE_STREAM - i, testRows, trainLength));
            ranges.add(other.trainDomain());
        }
    }

    /** The name of a range set (at the training length) over {@code values}: "range [1, 5]". */
    public static String rangeName(Domain values) {
        return "range " + values;
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

    /** The length sets; the range sets after them are reported only. */
    @Override
    public int successSets() {
        return lengthSets;
    }

    /** The value range of extrapolation set i if it is a range set, else (a length set) null. */
    public Domain range(int i) {
        return i < lengthSets ? null : ranges.get(i - lengthSets);
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
