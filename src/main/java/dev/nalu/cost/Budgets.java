package dev.nalu.cost;

import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import dev.nalu.api.ApiException;
import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.config.JobsProperties;
import dev.nalu.config.LimitsProperties;

/**
 * This replica's budgets, and the checks every entry point makes with {@link Cost} before it
 * allocates anything: a job at submit and again when a worker starts it (a replica with a smaller
 * heap refuses it there), an evaluation, a prediction and an import. Over a budget is a 422
 * {@code /problems/over-budget} naming the setting, what the request needs and the limit.
 *
 * <p>The byte budgets derive from the heap, Runtime.maxMemory(), unless set: the running jobs share
 * {@code job-memory-fraction} of it ({@code nalu.jobs.workers} of them at once), and one request may
 * hold {@code request-memory-fraction} of it. ND4J allocates its buffers off-heap, up to about the
 * heap again (the container gives the heap 40% of its memory, Dockerfile), and a job's figure counts
 * those and its heap alike, so a job within its budget fits either pool; the container's memory
 * limit sets the heap, so the limits and the budgets agree by construction.
 */
@Component
public class Budgets {
    public static final String JOB_BYTES = "nalu.limits.max-job-bytes";
    public static final String EVALUATE_BYTES = "nalu.limits.max-evaluate-bytes";
    public static final String PREDICT_BYTES = "nalu.limits.max-predict-bytes";
    public static final String IMPORT_BYTES = "nalu.limits.max-import-bytes";
    public static final String MEMBER_STEPS = "nalu.limits.max-member-steps";
    private static final Logger log = LoggerFactory.getLogger(Budgets.class);

    /** One byte budget: its setting, its bytes, and how they were set. */
    public record Budget(String property, long bytes, String origin) {
        String describe() {
            return size(bytes) + " (" + property + (origin.isEmpty() ? "" : ", not set: " + origin) + ")";
        }
    }

    private final Budget job;
    private final Budget evaluate;
    private final Budget predict;
    private final Budget modelImport;
    private final long memberSteps;

    @Autowired
    public Budgets(LimitsProperties limits, JobsProperties jobs) {
        this(limits, jobs.effectiveWorkers(), Runtime.getRuntime().maxMemory());
        log.info("budgets of this replica ({} heap, {} workers): {} per job and {} member-steps per job; {} per evaluate, "
                + "{} per predict, {} per import", size(Runtime.getRuntime().maxMemory()), jobs.effectiveWorkers(),
                size(job.bytes()), count(memberSteps), size(evaluate.bytes()), size(predict.bytes()), size(modelImport.bytes()));
    }

    /** The budgets of a replica with {@code workers} job workers and a heap of {@code heap} bytes. */
    public Budgets(LimitsProperties limits, int workers, long heap) {
        String perJob = limits.jobMemoryFraction() + " × the " + size(heap) + " heap / " + workers + " workers";
        String perRequest = limits.requestMemoryFraction() + " × the " + size(heap) + " heap";
        this.job = budget(JOB_BYTES, limits.maxJobBytes(), limits.jobMemoryFraction() * heap / workers, perJob);
        this.evaluate = budget(EVALUATE_BYTES, limits.maxEvaluateBytes(), limits.requestMemoryFraction() * heap, perRequest);
        this.predict = budget(PREDICT_BYTES, limits.maxPredictBytes(), limits.requestMemoryFraction() * heap, perRequest);
        this.modelImport = budget(IMPORT_BYTES, limits.maxImportBytes(), limits.requestMemoryFraction() * heap, perRequest);
        this.memberSteps = limits.maxMemberSteps();
    }

    private static Budget budget(String property, DataSize set, double derived, String origin) {
        return set != null ? new Budget(property, set.toBytes(), "") : new Budget(property, (long) derived, origin);
    }

    public Budget job() {
        return job;
    }

    public Budget evaluate() {
        return evaluate;
    }

    public Budget predict() {
        return predict;
    }

    public Budget modelImport() {
        return modelImport;
    }

    public long memberSteps() {
        return memberSteps;
    }

    /** A job: its bytes against max-job-bytes, its steps × population against max-member-steps. */
    public Cost.Job checkJob(ModelSpec model, TrainingConfig training, int evaluationRows, int extrapolationRanges) {
        return checkJob(model, training, evaluationRows, extrapolationRanges, 0);
    }

    /** As {@link #checkJob(ModelSpec, TrainingConfig, int, int)} for a job that holds {@code datasetValues} float64 of datasets. */
    public Cost.Job checkJob(ModelSpec model, TrainingConfig training, int evaluationRows, int extrapolationRanges,
                             long datasetValues) {
        Cost.Job cost = Cost.job(model, training, evaluationRows, extrapolationRanges, datasetValues);
        if (cost.bytes() > job.bytes()) {
            throw ApiException.overBudget(job.property(), cost.bytes(), job.bytes(), "the job needs " + size(cost.bytes())
                    + ": " + size(cost.trainingBuffers()) + " of ND4J training buffers (" + training.population()
                    + " members through " + model.describe() + ", for a batch of " + training.batchSize()
                    + " rows and an evaluation chunk of " + Math.min(Cost.EVAL_CHUNK, evaluationRows) + ") and "
                    + size(cost.heap()) + " of data sets" + (datasetValues > 0 ? " (" + size(8 * datasetValues)
                    + " of them the dataset's rows)" : "") + ", optimiser state and checkpoints on the heap; this "
                    + "replica's budget per job is " + job.describe() + ". Fewer members, a smaller batch, fewer "
                    + "evaluation rows" + (datasetValues > 0 ? ", fewer rows or input columns" : "")
                    + " or a narrower model need less");
        }
        checkMemberSteps(cost, training);
        return cost;
    }

    /**
     * A job that trains {@code architectures} side by side (an architecture search, its population shared out over
     * them; one architecture for any other job): the bytes of all of them at once, each counted with its share of the
     * members rounded up (and the dataset's rows once), and steps × population member-steps.
     */
    public Cost.Job checkJob(List<ModelSpec> architectures, TrainingConfig training, int evaluationRows,
                             int extrapolationRanges, long datasetValues) {
        if (architectures.size() == 1) {
            return checkJob(architectures.get(0), training, evaluationRows, extrapolationRanges, datasetValues);
        }
        int racing = Math.min(architectures.size(), training.population());
        int share = (training.population() + racing - 1) / racing;
        long nd4j = 0;
        long optimiser = 0;
        long dataSets = 0;
        long checkpoints = 0;
        long scratch = 0;
        for (int i = 0; i < racing; i++) {
            Cost.Job c = Cost.job(architectures.get(i), training.withPopulation(share), evaluationRows,
                    extrapolationRanges, i == 0 ? datasetValues : 0);
            nd4j += c.trainingBuffers();
            optimiser += c.optimiser();
            dataSets += c.dataSets();
            checkpoints += c.checkpoints();
            scratch += c.scratch();
        }
        Cost.Job cost = new Cost.Job(nd4j, optimiser, dataSets, checkpoints, scratch,
                (long) ((double) training.steps() * training.population()));
        if (cost.bytes() > job.bytes()) {
            throw ApiException.overBudget(job.property(), cost.bytes(), job.bytes(), "the search needs " + size(cost.bytes())
                    + " for its " + racing + " candidate architectures trained side by side (" + size(nd4j)
                    + " of ND4J training buffers and " + size(cost.heap()) + " on the heap); this replica's budget per "
                    + "job is " + job.describe() + ". Fewer members, a smaller batch or fewer evaluation rows need less");
        }
        checkMemberSteps(cost, training);
        return cost;
    }

    /** A sequence job ({@link Cost#sequenceJob}): its bytes against max-job-bytes, its time steps against max-member-steps. */
    public Cost.Job checkSequenceJob(SequenceSpec model, TrainingConfig training, int trainLength,
                                     List<Integer> testLengths, int rows) {
        Cost.Job cost = Cost.sequenceJob(model, training, trainLength, testLengths, rows);
        if (cost.bytes() > job.bytes()) {
            throw ApiException.overBudget(job.property(), cost.bytes(), job.bytes(), "the sequence job needs "
                    + size(cost.bytes()) + " (" + training.population() + " members through " + model.describe()
                    + ", backpropagation through " + trainLength + " steps of a batch of " + training.batchSize()
                    + " sequences, and test sequences up to length " + testLengths.stream().mapToInt(i -> i).max().orElse(0)
                    + "); this replica's budget per job is " + job.describe() + ". Fewer members, a smaller batch or a "
                    + "shorter training length need less");
        }
        if (cost.memberSteps() > memberSteps) {
            throw ApiException.overBudget(MEMBER_STEPS, cost.memberSteps(), memberSteps, "the sequence job computes "
                    + count(cost.memberSteps()) + " member time-steps (" + training.population() + " members × ("
                    + count(training.steps()) + " steps × length " + trainLength + ", and " + rows
                    + " validation and test sequences at lengths " + trainLength + " and " + testLengths
                    + " at each of its progress reports, counted in batches of " + training.batchSize()
                    + ")); this replica's budget is " + count(memberSteps) + " per job (" + MEMBER_STEPS
                    + "). Fewer steps, members, evaluation rows or progress reports, or shorter test lengths need less");
        }
        return cost;
    }

    private void checkMemberSteps(Cost.Job cost, TrainingConfig training) {
        if (cost.memberSteps() > memberSteps) {
            throw ApiException.overBudget(MEMBER_STEPS, cost.memberSteps(), memberSteps, "the job trains "
                    + count(cost.memberSteps()) + " member-steps (" + count(training.steps()) + " steps × "
                    + training.population() + " members); this replica's budget is " + count(memberSteps)
                    + " per job (" + MEMBER_STEPS + ")");
        }
    }

    /** An evaluation of {@code samples} rows per range on a model of {@code inputs} inputs. */
    public void checkEvaluate(int samples, int inputs) {
        long needed = Cost.evaluate(samples, inputs);
        if (needed > evaluate.bytes()) {
            throw ApiException.overBudget(evaluate.property(), needed, evaluate.bytes(), "evaluating " + count(samples)
                    + " samples of the model's " + count(inputs) + " inputs needs " + size(needed)
                    + " per range; this replica's budget per request is " + evaluate.describe() + ". Fewer samples need less");
        }
    }

    /** A prediction of {@code rows} rows on a model of {@code inputs} inputs. */
    public void checkPredict(int rows, int inputs) {
        long needed = Cost.predict(rows, inputs);
        if (needed > predict.bytes()) {
            throw ApiException.overBudget(predict.property(), needed, predict.bytes(), "predicting " + count(rows)
                    + " rows of the model's " + count(inputs) + " inputs needs " + size(needed)
                    + "; this replica's budget per request is " + predict.describe() + ". Fewer rows per request need less");
        }
    }

    /** An import, from the sizes its document declares. */
    public void checkImport(long taskInputs, long modelInputs, List<LayerSpec> layers, long weightValues) {
        long needed = Cost.modelImport(taskInputs, modelInputs, layers, weightValues);
        if (needed > modelImport.bytes()) {
            throw ApiException.overBudget(modelImport.property(), needed, modelImport.bytes(), "importing this document "
                    + "needs " + size(needed) + " (a task of " + count(taskInputs) + " inputs, an architecture of "
                    + count(modelInputs) + " inputs and " + layers.size() + " layers, " + count(weightValues)
                    + " weight values); this replica's budget per request is " + modelImport.describe());
        }
    }

    /** Bytes in binary units, as Spring's DataSize reads them (1 MB = 1024² bytes). */
    static String size(long bytes) {
        String[] units = {"KB", "MB", "GB", "TB"};
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
