package dev.nalu.evaluation;

import java.util.ArrayList;
import java.util.List;

import dev.nalu.compute.TrainingData;
import dev.nalu.task.Dataset;
import dev.nalu.task.Domain;
import dev.nalu.task.Rng;
import dev.nalu.task.Sampler;
import dev.nalu.task.Task;

/**
 * A task as training data: a fresh batch per step from the training ranges (a function of the
 * seed and the step only), a fixed validation set from the same ranges, and a fixed test set per
 * extrapolation range with its ε-success threshold (docs/papers.md §1).
 */
public final class TaskData implements TrainingData {
    private static final long VALIDATION_STREAM = -1;
    private static final long TEST_STREAM = -1000;

    private final Task task;
    private final long seed;
    private final EvalSet validation;
    private final Dataset validationData;
    private final List<EvalSet> extrapolation = new ArrayList<>();

    public TaskData(Task task, List<Domain> extrapolationDomains, long seed, int rows) {
        this.task = task;
        this.seed = seed;
        Dataset v = Dataset.interpolation(task, rows, mix(seed, VALIDATION_STREAM));
        this.validationData = v;
        this.validation = new EvalSet("interpolation", v.rows(), v.x(), v.y(), 0);
        for (int i = 0; i < extrapolationDomains.size(); i++) {
            Domain d = extrapolationDomains.get(i);
            Dataset t = Dataset.on(task, d, rows, mix(seed, TEST_STREAM - i));
            double threshold = SuccessCriterion.threshold(task, d, rows, mix(seed, TEST_STREAM - 100 - i));
            extrapolation.add(new EvalSet(d.toString(), t.rows(), t.x(), t.y(), threshold));
        }
    }

    public TaskData(Task task, List<Domain> extrapolationDomains, long seed) {
        this(task, extrapolationDomains, seed, Dataset.DEFAULT_ROWS);
    }

    private static long mix(long seed, long stream) {
        return Rng.seeded(seed, stream).nextLong();
    }

    public Task task() {
        return task;
    }

    @Override
    public int inputs() {
        return task.inputSize();
    }

    @Override
    public void batch(long step, double[] x, double[] y, int rows) {
        Sampler.sample(task, Rng.seeded(seed, step), x, rows);
        task.targets(x, rows, y);
    }

    @Override
    public EvalSet validation() {
        return validation;
    }

    /** The same validation rows as a dataset, e.g. for {@link Snapper#snap}. */
    public Dataset validationSet() {
        return validationData;
    }

    @Override
    public List<EvalSet> extrapolation() {
        return extrapolation;
    }
}
