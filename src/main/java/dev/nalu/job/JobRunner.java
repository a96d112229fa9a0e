package dev.nalu.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.nalu.api.ApiException;
import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.SequenceData;
import dev.nalu.compute.MacRefit;
import dev.nalu.compute.RecurrentRefit;
import dev.nalu.compute.SequenceNetwork;
import dev.nalu.compute.SequenceRegulariser;
import dev.nalu.compute.SequenceResult;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.SequenceTrainer;
import dev.nalu.compute.Network;
import dev.nalu.compute.Progress;
import dev.nalu.compute.Sparsity;
import dev.nalu.compute.StopRule;
import dev.nalu.compute.Trainer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.TrainingData;
import dev.nalu.compute.TrainingResult;
import dev.nalu.config.JobsProperties;
import dev.nalu.cost.Budgets;
import dev.nalu.dataset.DatasetService;
import dev.nalu.evaluation.DatasetData;
import dev.nalu.evaluation.ErrorMetrics;
import dev.nalu.evaluation.SequenceSnap;
import dev.nalu.evaluation.Snapper;
import dev.nalu.evaluation.SuccessCriterion;
import dev.nalu.evaluation.TaskData;
import dev.nalu.model.ModelDocument;
import dev.nalu.model.ModelService;
import dev.nalu.model.TaskDefinition;
import dev.nalu.search.FrontEntry;
import dev.nalu.search.Search;
import dev.nalu.search.SearchPlan;
import dev.nalu.search.SearchResult;
import dev.nalu.task.Dataset;
import dev.nalu.task.Domain;
import dev.nalu.task.Rng;
import dev.nalu.task.CountingTask;
import dev.nalu.task.NumberWordsTask;
import dev.nalu.task.SequenceTask;
import dev.nalu.task.SequenceTaskData;
import dev.nalu.task.Task;

/**
 * Trains one job on the calling worker thread: builds the task, the model and the population
 * trainer (restored from the job's checkpoint when it has one), streams every progress report
 * into the job's events, checkpoints every nalu.jobs.checkpoint-every steps, stops before the
 * budget when {@code training.earlyStop} is on and the selected member snaps to a formula that
 * reproduces the validation targets ({@link Snapper.Snap#reproducesTargets()}), and at the end
 * snaps the selected member to a formula, stores it as a model and emits "completed". A
 * cancelled job emits "cancelled". When the service stops, the job checkpoints, says so in a
 * "state" event ({@code releasedAtStep}) and throws {@link Interrupted}; {@link #run} then tells
 * db-scheduler to run it again, on whichever replica is free. Every "state" event of a running job
 * names the replica (db-scheduler's scheduler name) that trains it.
 *
 * <p>Each start or resumption is an attempt, counted in the database ({@link JobStore#resume}); a
 * hand-over on stop gives it back ({@link JobStore#release}). An attempt that throws anything, an
 * {@link Error} included, is logged once with its stack trace under a reference id and retried after
 * a growing delay until the job has used nalu.jobs.max-attempts; then the job ends FAILED with a
 * "failed" event whose reason names the reference, never the exception's own text. An attempt whose
 * replica died leaves its count behind, so a job that takes its replicas down is not tried forever.
 * A job that cannot run as stored ({@link Unrunnable}) fails at once, in plain words.
 */
@Component
public class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    /** Stream of {@link Rng#seeded} for the validation set that snapping is checked on. */
    private static final long SNAP_STREAM = -7;
    /** The first retry of a failed attempt waits this long, each next one twice as long... */
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    /** ...but never longer than this. */
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(1);

    private final JobStore store;
    private final JobSpecs specs;
    private final JobEngine engine;
    private final JobMetrics metrics;
    private final ModelService models;
    private final JobsProperties properties;
    private final ObjectMapper json;
    private final Budgets budgets;
    private final DatasetService datasets;

    public JobRunner(JobStore store, JobSpecs specs, JobEngine engine, JobMetrics metrics, ModelService models,
                     JobsProperties properties, ObjectMapper json, Budgets budgets, DatasetService datasets) {
        this.store = store;
        this.specs = specs;
        this.engine = engine;
        this.metrics = metrics;
        this.models = models;
        this.properties = properties;
        this.json = json;
        this.budgets = budgets;
        this.datasets = datasets;
    }

    /**
     * What the job's execution does after a run: nothing more ({@link #DONE}), run again as soon as a
     * released job does ({@link #RELEASED}), or run again after {@code after} (a failed attempt).
     */
    public record Next(Duration after) {
        static final Next DONE = new Next(null);
        static final Next RELEASED = new Next(Duration.ZERO);

        public boolean done() {
            return after == null;
        }

        public boolean released() {
            return Duration.ZERO.equals(after);
        }
    }

    /**
     * The job cannot run as it is stored (its spec does not read, no longer makes a valid task or
     * model, or its targets overflow): a retry would fail the same way, so the job fails at once with
     * this message, written for its user.
     */
    static final class Unrunnable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unrunnable(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** The service stopped while the job trained; its checkpoint is saved and it runs again later. */
    static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted(long id, long step) {
            super("job " + id + " interrupted by a stopping service" + (step > 0 ? " at step " + step : "")
                    + "; it resumes from its checkpoint");
        }
    }

    /**
     * Another replica took the job while this worker still trained it: this replica was taken for dead
     * (its heartbeat went stale, e.g. it lost the database for longer than the heartbeat timeout) and
     * the job's execution was revived elsewhere. The worker stops without writing anything more
     * (db-scheduler then logs that it could not remove the execution this worker had picked).
     */
    static final class Superseded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Superseded(long id) {
            super("job " + id + " was taken over by another execution (this replica's heartbeat went stale); "
                    + "this worker stops without writing");
        }
    }

    /**
     * Trains job {@code id} on this thread: {@code replica} is the scheduler name that picked it and
     * {@code version} the version of the execution it picked. Every write is made under that
     * execution ({@link JobStore#underLease}), so a job never trains on two replicas at once.
     *
     * @return {@link Next#DONE} when this execution is done with the job (finished, failed, cancelled,
     *         deleted or superseded); else when to run it again, on whichever replica is free: at once
     *         when it was released because this replica stops (checkpointed, or not yet started), later
     *         when its attempt failed and it has attempts left
     */
    public Next run(long id, String replica, long version) {
        engine.workerStarted();
        try {
            if (engine.stopping()) {
                log.info("job {} picked while this replica stops; released for the next one", id);
                return Next.RELEASED;
            }
            return runJob(new JobStore.Lease(id, version), replica);
        } catch (Interrupted e) {
            log.info(e.getMessage());
            return Next.RELEASED;
        } catch (Superseded e) {
            log.warn(e.getMessage());
            return Next.DONE;
        } finally {
            engine.workerStopped();
        }
    }

    private Next runJob(JobStore.Lease lease, String replica) {
        long id = lease.jobId();
        Optional<JobStore.Job> found = store.find(id);
        if (found.isEmpty() || found.get().state().terminal()) {
            return Next.DONE; // deleted, cancelled while queued, or finished by a previous execution
        }
        JobStore.Job job = found.get();
        if (job.cancelRequested()) {
            cancelled(lease, job.progressStep());
            return Next.DONE;
        }
        int max = properties.maxAttempts();
        if (job.attempts() >= max) {
            // every attempt was used, the last ones ending without a word: their replica died in them
            log.warn("job {} has used all {} of its attempts without finishing; it fails", id, job.attempts());
            fail(lease, job.attempts(), "training stopped without finishing in each of its " + job.attempts()
                    + " attempts (the replica that ran it died, or could not record why); it is not tried again");
            return Next.DONE;
        }
        int attempt = job.attempts() + 1;
        // the attempt is counted before anything big is read or built: whatever fails after, it counts
        if (job.state() == JobState.QUEUED) {
            if (!store.underLease(lease, () -> store.start(id, write(running(replica).put("attempt", attempt))))) {
                return Next.DONE;
            }
        } else {
            long step = store.checkpointStep(id).orElse(0L);
            guarded(lease, () -> store.resume(id, write(running(replica).put("attempt", attempt)
                    .put("resumedFromStep", step))));
        }
        long started = System.nanoTime();
        metrics.started();
        try {
            train(lease, replica, job, store.checkpoint(id));
            return Next.DONE;
        } catch (Interrupted | Superseded e) {
            throw e;
        } catch (Unrunnable e) {
            log.warn("job {} cannot run: {}", id, e.getMessage(), e.getCause());
            fail(lease, attempt, e.getMessage());
            return Next.DONE;
        } catch (Throwable e) { // anything: a StackOverflowError or a LinkageError must not retry forever
            return attemptFailed(lease, replica, attempt, e);
        } finally {
            metrics.stopped(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /**
     * Logs the failure once, with its stack trace, under a new reference id, and tells the user that
     * reference rather than the exception's text (which may hold SQL, class names or data). Retries
     * while attempts are left, else ends the job FAILED.
     */
    private Next attemptFailed(JobStore.Lease lease, String replica, int attempt, Throwable e) {
        long id = lease.jobId();
        int max = properties.maxAttempts();
        String reference = UUID.randomUUID().toString().substring(0, 8);
        log.error("job {}: attempt {} of {} failed, reference {}", id, attempt, max, reference, e);
        String reason = "training failed on an internal error (reference " + reference
                + "); the service log has the details under that reference";
        if (attempt >= max) {
            fail(lease, attempt, reason);
            return Next.DONE;
        }
        Duration retry = retryDelay(attempt);
        ObjectNode event = running(replica).put("attemptFailed", attempt).put("maxAttempts", max).put("reason", reason)
                .put("retryInSeconds", retry.toSeconds());
        if (!store.underLease(lease, () -> store.append(id, "state", write(event)))) {
            return Next.DONE; // another execution has the job now
        }
        return new Next(retry);
    }

    /** 1 s after the first failed attempt, then twice as long after each next one, at most a minute. */
    static Duration retryDelay(int attempt) {
        Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(attempt - 1, 16));
        return delay.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : delay;
    }

    /** Ends the job FAILED with a "failed" event carrying {@code reason} and the attempts used. */
    private void fail(JobStore.Lease lease, int attempts, String reason) {
        ObjectNode failed = json.createObjectNode().put("state", JobState.FAILED.name()).put("reason", reason)
                .put("attempts", attempts);
        if (store.underLease(lease, () -> finish(lease.jobId(), JobState.FAILED, truncate(reason), null, "failed", failed))) {
            metrics.finished(JobState.FAILED);
        }
    }

    private void train(JobStore.Lease lease, String replica, JobStore.Job job, Optional<JobStore.Checkpoint> checkpoint) {
        long id = lease.jobId();
        JobSpec spec = read(job.spec());
        if (spec.model().sequence()) {
            trainSequence(lease, replica, job, spec, checkpoint);
            return;
        }
        Task task;
        List<Domain> extrapolation;
        TrainingConfig config;
        List<ModelSpec> architectures;
        try {
            task = spec.task().toTask(specs.expressionLimits());
            extrapolation = spec.extrapolationDomains();
            config = spec.training().toConfig();
            architectures = spec.model().architectures();
            // a job stored before targets were bounded must not train on Infinity
            JobSpecs.targetsWithinPrecision(task, spec.task().kind(), extrapolation, spec.training().precision());
        } catch (IllegalArgumentException | ApiException e) { // ExpressionException too: messages written for users
            throw new Unrunnable("the job as stored is no longer valid: " + e.getMessage(), e);
        }
        // before anything is allocated or read: a replica with a smaller budget than the one that accepted the job
        // fails it with the reason instead of running out of memory
        checkBudget(spec);
        Prepared prepared = prepare(spec, task, extrapolation, config);
        TrainingData data = prepared.data();
        Dataset snapValidation = prepared.snapValidation();
        if (spec.model().search()) {
            trainSearch(lease, replica, job, spec, task, prepared, config, checkpoint);
            return;
        }
        Trainer trainer = trainer(lease, replica, architectures.get(0), data, config, checkpoint);
        Reporting reporting = new Reporting(lease, job.progressStep(), trainer.step(), config, trainer::checkpoint);
        StopRule stop = spec.training().stopsEarly() ? (p, selected) -> Snapper.snap(selected, snapValidation).reproducesTargets()
                : StopRule.NEVER;
        TrainingResult result = trainer.run(p -> reporting.report(p, progress(p, data, config),
                p.step() == trainer.stoppedEarlyAt()), new CancelCheck(id), stop);
        if (result.cancelled()) {
            reporting.stopped(replica, trainer.step());
            return;
        }
        complete(lease, spec, task, data, snapValidation, config, result);
    }

    /** Before anything is allocated: a replica with a smaller budget than the one that accepted the job fails it. */
    private void checkBudget(JobSpec spec) {
        try {
            spec.checkBudget(budgets);
        } catch (ApiException e) {
            throw new Unrunnable(e.getMessage(), e);
        }
    }

    /**
     * A sequence job (docs/sequence.md): the recurrent population trains with {@link SequenceTrainer} on batches at
     * the training length, each progress report measures the validation set (training length), every test length and
     * every test range (at the training length), and with early stop on the job ends at the first report where the
     * selected member's snapped network passes the validation set (its MSE below the set's ε-threshold): the test
     * sets are never consulted. Cancel, checkpoints
     * and hand-over as for static jobs. A number-words job trains the same way on {@link NumberWordsTask} (its
     * validation and test splits as the sets), and each report adds the MAE of every split.
     */
    private void trainSequence(JobStore.Lease lease, String replica, JobStore.Job job, JobSpec spec,
                               Optional<JobStore.Checkpoint> checkpoint) {
        SequenceTask task = null;
        List<SequenceTask> ranges = List.of();
        NumberWordsTask words = null;
        SequenceSpec model;
        TrainingConfig config;
        SequenceRegulariser regulariser;
        try {
            if (spec.task().isNumberWords()) {
                words = spec.task().toNumberWordsTask();
            } else {
                task = spec.task().toSequenceTask();
                ranges = spec.task().sequence().rangeTasks();
                JobSpecs.sequenceTargetsWithinPrecision(spec.task().sequence(), spec.training().precision());
            }
            model = spec.model().sequenceSpec();
            config = spec.training().toConfig();
            regulariser = spec.training().sequenceRegulariser();
        } catch (IllegalArgumentException | IllegalStateException | ApiException e) {
            throw new Unrunnable("the job as stored is no longer valid: " + e.getMessage(), e);
        }
        checkBudget(spec);
        SequenceData data;
        if (words != null) {
            data = words;
        } else {
            TaskDefinition.SequenceSource source = spec.task().sequence();
            int rows = spec.training().evaluationRows();
            data = new SequenceTaskData(task, config.seed(), source.trainLength(), source.testLengths(), rows, rows,
                    ranges);
        }
        NumberWordsTask wordsData = words;
        SequenceTrainer t = restored(lease, replica, checkpoint,
                state -> SequenceTrainer.restore(model, data, config, regulariser, state),
                () -> new SequenceTrainer(model, data, config, regulariser));
        Reporting reporting = new Reporting(lease, job.progressStep(), t.step(), config, t::checkpoint);
        CancelCheck cancel = new CancelCheck(lease.jobId());
        boolean earlyStop = spec.training().stopsEarly();
        boolean[] stopped = {false};
        // the first report at or after each multiple of RecurrentRefit.EVERY tries the refit stop (a resumed job where
        // the uninterrupted one would next have tried it)
        long[] nextRefit = {(t.step() / RecurrentRefit.EVERY + 1) * RecurrentRefit.EVERY};
        SequenceResult result = t.run(p -> {
            // the snap stop (docs/sequence.md, "The recipe"): the members in order of validation MSE, each snapped
            // and measured on the validation set only; the first exact one ends the job and is its model
            boolean last = false;
            if (earlyStop && p.step() < config.steps()) {
                last = t.snapCheck();
                if (!last && wordsData == null && p.step() >= nextRefit[0]) {
                    // the refit stop: every RecurrentRefit.EVERY steps, the members refitted and snapped on training
                    // batches, measured on the validation set only (docs/sequence.md, "Refit and snap for NAU and NMU
                    // cells")
                    nextRefit[0] = (p.step() / RecurrentRefit.EVERY + 1) * RecurrentRefit.EVERY;
                    last = t.refitCheck();
                }
            }
            stopped[0] = last;
            ObjectNode event = progress(p, data.extrapolation().stream().map(SequenceData.EvalSet::name).toList(),
                    data.extrapolation().stream().map(SequenceData.EvalSet::threshold).toList(), config);
            if (wordsData != null) {
                meanAbsoluteErrors(event, t.model().network(p.bestMember()), wordsData);
            }
            reporting.report(p, event, last);
        }, () -> stopped[0] || cancel.getAsBoolean());
        if (!stopped[0] && result.cancelled()) {
            reporting.stopped(replica, t.step());
            return;
        }
        int selected = result.selected();
        SequenceNetwork network = result.network();
        boolean refitted = false;
        if (wordsData != null && !result.snapped()) {
            // a MAC model's last stage (docs/sequence.md, "Refit and snap"): refit and snap on the training split,
            // taken only when the integer network passes the validation split
            MacRefit.Choice refit = MacRefit.snapBest(t.model(), result.validationMse(), wordsData.trainSet(),
                    wordsData.validation(), MacRefit.TRIES);
            if (refit != null) {
                selected = refit.member();
                network = refit.network();
                refitted = true;
            }
        }
        if (wordsData == null && !result.snapped() && !SequenceSnap.of(network, data.validation()).exact()) {
            // an NAU or NMU cell's last stage (docs/sequence.md, "Refit and snap for NAU and NMU cells"): refit and snap
            // on training batches, taken only when the integer network passes the validation set
            RecurrentRefit.Choice refit = RecurrentRefit.snapBest(result.members(), result.validationMse(), data,
                    RecurrentRefit.TRIES);
            if (refit != null) {
                selected = refit.member();
                network = refit.network();
                refitted = true;
            }
        }
        completeSequence(lease, spec, data, config, result, selected, network, refitted,
                stopped[0] ? result.steps() : -1);
    }

    /**
     * The end of a sequence job: the selected member, snapped, becomes the model (its formula exact when the snapped
     * network passes the validation set), with per test length the selected network's MSE in the training precision
     * and, for an exact formula, the snapped network's in float64.
     */
    private void completeSequence(JobStore.Lease lease, JobSpec spec, SequenceData data, TrainingConfig config,
                                  SequenceResult r, int selected, SequenceNetwork network, boolean refitted,
                                  long stoppedEarlyAt) {
        NumberWordsTask words = data instanceof NumberWordsTask w ? w : null;
        // a number-words model has a formula only with integer tables (a MAC model snapped by the stop or refitted): an
        // embedded-token model has nothing to snap, and a MAC member as trained snaps to tables that read numbers wrong
        boolean integerTables = words != null && (refitted || r.snapped());
        SequenceSnap snap = words != null && !integerTables ? SequenceSnap.NONE : SequenceSnap.of(network, data.validation());
        ObjectNode m = json.createObjectNode();
        m.put("steps", r.steps());
        if (stoppedEarlyAt >= 0) {
            m.put("stoppedEarlyAt", stoppedEarlyAt);
        }
        m.put("population", config.population());
        m.put("selectedMember", selected);
        m.put("membersSucceeded", r.membersSucceeded());
        long first = java.util.Arrays.stream(r.firstSuccessStep()).filter(step -> step >= 0).min().orElse(-1);
        if (first >= 0) {
            m.put("firstSuccessStep", first);
        }
        m.put("reinitialisations", r.reinitialisations());
        number(m, "validationMse", refitted ? SequenceTrainer.mse(network, data.validation()) : r.validationMse()[selected]);
        if (words != null) {
            m.put("integerTables", integerTables);
        }
        number(m, "validationThreshold", data.validation().threshold());
        number(m, "snappedValidationMse", snap.validationMse());
        number(m, "sparsityError", network.sparsityError());
        m.put("architectureRule", spec.model().rule());
        m.put("architectureReason", spec.model().reason());
        ArrayNode lengths = m.putArray("extrapolation");
        for (int i = 0; i < data.extrapolation().size(); i++) {
            SequenceData.EvalSet set = data.extrapolation().get(i);
            double mse = refitted ? SequenceTrainer.mse(network, set) : r.extrapolationMse()[i][selected];
            ObjectNode length = lengths.addObject().put("length", set.length());
            if (data instanceof SequenceTaskData d && d.range(i) != null) { // a test range, at the training length
                length.set("range", json.valueToTree(dev.nalu.model.Ranges.toLists(d.range(i))));
            }
            number(length, "mse", mse);
            number(length, "threshold", set.threshold());
            length.put("success", SuccessCriterion.succeeded(mse, set.threshold()));
            if (snap.exact()) {
                double formulaMse = SequenceTrainer.mse(snap.snapped(), set);
                number(length, "formulaMse", formulaMse);
                length.put("formulaSuccess", SuccessCriterion.succeeded(formulaMse, set.threshold()));
            }
            if (words != null) {
                length.put("split", set.name());
            }
            if (data instanceof SequenceTaskData d && d.task() instanceof CountingTask) {
                CountingTask.Accuracy a = CountingTask.accuracy(snap.exact() ? snap.snapped() : network, set);
                number(length, "accuracy", a.sequences());
                number(length, "countAccuracy", a.counts());
            }
        }
        if (words != null) {
            meanAbsoluteErrors(m, network, words);
        }
        register(lease, () -> models.registerSequence(spec.name(), lease.jobId(), spec.task(), network, snap, m),
                r.membersSucceeded(), r.steps(), stoppedEarlyAt);
    }

    /**
     * An architecture search ({@code "model": "search"}): the stored candidates race by successive halving
     * (dev.nalu.search.Search), each progress event naming the leader and the candidates still racing; the model
     * is the served entry of the front, and the front goes into its metrics.
     */
    private void trainSearch(JobStore.Lease lease, String replica, JobStore.Job job, JobSpec spec, Task task,
                             Prepared prepared, TrainingConfig config, Optional<JobStore.Checkpoint> checkpoint) {
        SearchPlan plan = spec.model().plan();
        boolean earlyStop = spec.training().stopsEarly();
        Search s = restored(lease, replica, checkpoint,
                state -> Search.restore(plan, prepared.data(), prepared.snapValidation(), config, earlyStop, state),
                () -> new Search(plan, prepared.data(), prepared.snapValidation(), config, earlyStop));
        Reporting reporting = new Reporting(lease, job.progressStep(), s.step(), config, s::checkpoint);
        SearchResult result = s.run(p -> {
            ObjectNode event = progress(p.progress(), prepared.data(), config);
            event.put("architecture", p.bestArchitecture());
            event.put("round", p.round());
            ArrayNode racing = event.putArray("racing");
            p.racing().forEach(racing::add);
            reporting.report(p.progress(), event, p.stopsEarly());
        }, new CancelCheck(lease.jobId()));
        if (result.cancelled()) {
            reporting.stopped(replica, s.step());
            return;
        }
        completeSearch(lease, spec, task, prepared, config, result);
    }

    /**
     * Writes a run's progress events and checkpoints, and ends a run that stopped before its end: the progress
     * event of every report past the last one recorded (a resumed run repeats the reports since its checkpoint),
     * and a checkpoint every nalu.jobs.checkpoint-every steps, never where the run ends (a run resumed from an
     * earlier checkpoint decides the same way there).
     */
    private final class Reporting {
        private final JobStore.Lease lease;
        private final long recorded;
        private final TrainingConfig config;
        private final java.util.function.Supplier<byte[]> state;
        private long lastCheckpoint;

        Reporting(JobStore.Lease lease, long recorded, long startStep, TrainingConfig config,
                  java.util.function.Supplier<byte[]> state) {
            this.lease = lease;
            this.recorded = recorded;
            this.lastCheckpoint = startStep;
            this.config = config;
            this.state = state;
        }

        void report(Progress p, ObjectNode event, boolean last) {
            long id = lease.jobId();
            metrics.progress(p.memberStepsPerSecond());
            if (p.step() > recorded) {
                if (last) {
                    event.put("stoppedEarly", true);
                }
                guarded(lease, () -> store.progress(id, p.step(), write(event)));
            }
            if (p.step() - lastCheckpoint >= properties.checkpointEvery() && p.step() < config.steps() && !last) {
                byte[] bytes = state.get();
                guarded(lease, () -> store.saveCheckpoint(id, p.step(), bytes));
                lastCheckpoint = p.step();
            }
        }

        /** The run stopped before its end: the job is cancelled, or it checkpoints and is handed over ({@link Interrupted}). */
        void stopped(String replica, long step) {
            long id = lease.jobId();
            if (store.cancelRequested(id)) {
                cancelled(lease, step);
                return;
            }
            byte[] bytes = state.get();
            guarded(lease, () -> store.saveCheckpoint(id, step, bytes)
                    && store.release(id, write(running(replica).put("releasedAtStep", step))));
            throw new Interrupted(id, step);
        }
    }

    /** What a job trains and validates on, and the rows its formulas are checked on. */
    private record Prepared(TrainingData data, Dataset snapValidation) {
    }

    /**
     * The training data of the job's task. An expression or arithmetic task samples fresh rows from its ranges; its
     * formulas are checked on interpolation rows of their own ({@link #snapValidation}). A dataset task reads its
     * dataset's rows (and its held-out dataset's), checks they are still the ones it was submitted on, and splits
     * them; its formulas are checked on its validation rows: there are no others.
     */
    private Prepared prepare(JobSpec spec, Task task, List<Domain> extrapolation, TrainingConfig config) {
        TaskDefinition.DataSource source = spec.task().data();
        if (source == null) {
            return new Prepared(new TaskData(task, extrapolation, config.seed(), spec.training().evaluationRows()),
                    snapValidation(task, spec, config));
        }
        DatasetService.Rows rows;
        Dataset heldOut = null;
        try {
            rows = datasets.read(source.dataset(), source.contentHash(), source.inputs(), source.target());
            if (source.extrapolationDataset() != null) {
                DatasetService.Rows h = datasets.read(source.extrapolationDataset(), source.extrapolationHash(),
                        source.inputs(), source.target());
                heldOut = new Dataset(h.rows(), source.inputs().size(), h.x(), h.y());
            }
        } catch (IllegalStateException e) {
            throw new Unrunnable("the job's data cannot be read: " + e.getMessage(), e);
        }
        DatasetData data = new DatasetData(source.inputs().size(), rows.x(), rows.y(), source.validationFraction(),
                spec.training().evaluationRows(), config.seed(), heldOut,
                heldOut == null ? null : "dataset " + source.extrapolationDataset());
        return new Prepared(data, data.validationSet());
    }

    /**
     * The trainer, restored from the checkpoint when there is one. A checkpoint this version cannot
     * read (written by another version of the trainer) is dropped and training starts over: the run
     * is a function of its seed, so it ends with the same weights, only later.
     */
    private Trainer trainer(JobStore.Lease lease, String replica, ModelSpec spec, TrainingData data, TrainingConfig config,
                            Optional<JobStore.Checkpoint> checkpoint) {
        return restored(lease, replica, checkpoint, state -> Trainer.restore(spec, data, config, state),
                () -> new Trainer(spec, data, config));
    }

    /**
     * A trainer (or search) restored from the checkpoint when there is one and it reads, else a fresh one; an
     * unreadable checkpoint is said in a "state" event and dropped.
     */
    private <T> T restored(JobStore.Lease lease, String replica, Optional<JobStore.Checkpoint> checkpoint,
                           java.util.function.Function<byte[], T> restore, java.util.function.Supplier<T> fresh) {
        if (checkpoint.isPresent()) {
            try {
                return restore.apply(checkpoint.get().state());
            } catch (RuntimeException e) {
                unreadableCheckpoint(lease, replica, checkpoint.get(), e);
            }
        }
        return fresh.get();
    }

    /** Says in a "state" event that the checkpoint could not be read and training starts over. */
    private void unreadableCheckpoint(JobStore.Lease lease, String replica, JobStore.Checkpoint checkpoint,
                                      RuntimeException e) {
        log.warn("job {}: checkpoint at step {} is unreadable ({}); training starts over", lease.jobId(),
                checkpoint.step(), e.getMessage());
        guarded(lease, () -> store.append(lease.jobId(), "state", write(running(replica).put("resumedFromStep", 0L)
                .put("note", "the checkpoint at step " + checkpoint.step() + " could not be read; training starts over"))));
    }

    /**
     * Interpolation rows (from the training ranges, never the extrapolation ranges) on which the
     * selected member is snapped: at the end, and at each progress report when the job stops early.
     * The same rows both times, so a job that stopped because its member snapped exactly ends with
     * that exact formula.
     */
    private static Dataset snapValidation(Task task, JobSpec spec, TrainingConfig config) {
        return Dataset.interpolation(task, spec.training().evaluationRows(), Rng.seeded(config.seed(), SNAP_STREAM).nextLong());
    }

    private void complete(JobStore.Lease lease, JobSpec spec, Task task, TrainingData data, Dataset snapValidation,
                          TrainingConfig config, TrainingResult r) {
        Network network = r.network();
        Snapper.Snap snap = Snapper.snap(network, snapValidation);
        ObjectNode m = json.createObjectNode();
        m.put("steps", r.steps());
        if (r.stoppedEarly()) {
            m.put("stoppedEarlyAt", r.stoppedEarlyAt());
        }
        m.put("population", config.population());
        m.put("selectedMember", r.selected());
        m.put("membersSucceeded", r.membersSucceeded());
        if (r.firstSuccess() >= 0) {
            m.put("firstSuccessStep", r.firstSuccess());
        }
        m.put("reinitialisations", r.reinitialisations());
        number(m, "validationMse", r.validationMse()[r.selected()]);
        number(m, "snappedValidationMse", snap.snappedValidationMse());
        number(m, "sparsityError", Sparsity.error(network));
        double[] extrapolationMse = new double[data.extrapolation().size()];
        for (int i = 0; i < extrapolationMse.length; i++) {
            extrapolationMse[i] = r.extrapolationMse()[i][r.selected()];
        }
        describe(m, spec, data, snap, extrapolationMse);
        register(lease, spec, task, network, snap, m, r.membersSucceeded(), r.steps(), r.stoppedEarlyAt());
    }

    /**
     * The end of a search: the served entry of the front becomes the model, and the whole front (formula,
     * complexity, validation error, held-out error per extrapolation set, steps trained) goes into its metrics.
     */
    private void completeSearch(JobStore.Lease lease, JobSpec spec, Task task, Prepared prepared, TrainingConfig config,
                                SearchResult r) {
        FrontEntry served = r.servedEntry();
        ObjectNode m = json.createObjectNode();
        m.put("steps", r.steps());
        if (r.stoppedEarly()) {
            m.put("stoppedEarlyAt", r.stoppedEarlyAt());
        }
        m.put("population", config.population());
        m.put("memberSteps", r.memberSteps());
        m.put("rounds", r.rounds());
        int succeeded = r.history().isEmpty() ? 0 : r.history().get(r.history().size() - 1).progress().membersSucceeded();
        m.put("membersSucceeded", succeeded);
        m.put("architecture", r.architecture());
        number(m, "validationMse", served.validationMse());
        number(m, "snappedValidationMse", r.snap().snappedValidationMse());
        number(m, "sparsityError", Sparsity.error(r.network()));
        ArrayNode front = m.putArray("front");
        List<String> names = task.variables();
        for (int i = 0; i < r.front().size(); i++) {
            FrontEntry e = r.front().get(i);
            ObjectNode f = front.addObject().put("architecture", e.architecture());
            if (e.formula() != null) {
                f.put("formula", "y = " + e.formula().render(names, false));
                f.put("complexity", e.complexity());
            }
            f.put("exact", e.reproducesTargets());
            number(f, "validationMse", e.validationMse());
            ArrayNode x = f.putArray("extrapolationMse");
            e.extrapolationMse().forEach(v -> {
                if (Double.isFinite(v)) {
                    x.add(v);
                } else {
                    x.addNull();
                }
            });
            f.put("steps", e.steps());
            f.put("served", i == r.served());
        }
        double[] extrapolationMse = served.extrapolationMse().stream().mapToDouble(Double::doubleValue).toArray();
        describe(m, spec, prepared.data(), r.snap(), extrapolationMse);
        register(lease, spec, task, r.network(), r.snap(), m, succeeded, r.steps(), r.stoppedEarlyAt());
    }

    /**
     * The metrics every model has beside its run's own: the dataset's split and what the formula is known to hold
     * for (a dataset task), the architecture's rule and reason, and per extrapolation set the selected network's
     * (or served formula's) MSE against the threshold and, when the formula is kept, its own errors there.
     */
    private void describe(ObjectNode m, JobSpec spec, TrainingData data, Snapper.Snap snap, double[] extrapolationMse) {
        TaskDefinition.DataSource source = spec.task().data();
        if (source != null) {
            m.put("trainingRows", ((DatasetData) data).trainingRows());
            m.put("validationRows", data.validation().rows());
            m.put("note", source.extrapolationDataset() == null
                    ? "learned from dataset " + source.dataset() + " with no held-out dataset: the formula is only known "
                    + "to reproduce that dataset's rows, not to hold beyond them"
                    : "learned from dataset " + source.dataset() + "; scored on held-out dataset "
                    + source.extrapolationDataset() + ", which it never trained, selected or stopped on");
        }
        m.put("architectureRule", spec.model().rule());
        m.put("architectureReason", spec.model().reason());
        ArrayNode ranges = m.putArray("extrapolation");
        for (int i = 0; i < data.extrapolation().size(); i++) {
            TrainingData.EvalSet set = data.extrapolation().get(i);
            double mse = extrapolationMse[i];
            ObjectNode range = ranges.addObject();
            if (i < spec.extrapolation().size()) {
                range.set("range", json.valueToTree(spec.extrapolation().get(i)));
            } else {
                range.put("dataset", spec.task().data().extrapolationDataset());
            }
            number(range, "mse", mse);
            number(range, "threshold", set.threshold());
            range.put("success", SuccessCriterion.succeeded(mse, set.threshold()));
            if (snap.matchesNetwork()) {
                double[] predicted = new double[set.rows()];
                double[] row = new double[data.inputs()];
                for (int k = 0; k < set.rows(); k++) {
                    System.arraycopy(set.x(), k * data.inputs(), row, 0, data.inputs());
                    predicted[k] = snap.formula().evaluate(row);
                }
                ErrorMetrics e = ErrorMetrics.of(predicted, set.y());
                number(range, "formulaMse", e.mse());
                number(range, "formulaMaxRelativeError", e.maxRelativeError());
                range.put("formulaSuccess", SuccessCriterion.succeeded(e.mse(), set.threshold()));
            }
        }
    }

    /** Stores the model and ends the job SUCCEEDED with its "completed" event, in one transaction. */
    private void register(JobStore.Lease lease, JobSpec spec, Task task, Network network, Snapper.Snap snap,
                          ObjectNode m, int membersSucceeded, long steps, long stoppedEarlyAt) {
        register(lease, () -> models.register(spec.name(), lease.jobId(), spec.task(), task, network, snap, m),
                membersSucceeded, steps, stoppedEarlyAt);
    }

    /** Stores the model {@code store} makes and ends the job SUCCEEDED with its "completed" event, in one transaction. */
    private void register(JobStore.Lease lease, java.util.function.Supplier<ModelDocument> store, int membersSucceeded,
                          long steps, long stoppedEarlyAt) {
        long id = lease.jobId();
        // the model and the final event in one transaction: a worker that lost the job leaves no model behind
        guarded(lease, () -> {
            ModelDocument model = store.get();
            ObjectNode event = json.createObjectNode().put("state", JobState.SUCCEEDED.name()).put("modelId", model.id());
            event.put("formula", model.formula().text());
            event.put("exact", model.formula().exact());
            event.put("membersSucceeded", membersSucceeded);
            event.put("steps", steps);
            if (stoppedEarlyAt >= 0) {
                event.put("stoppedEarlyAt", stoppedEarlyAt);
            }
            return finish(id, JobState.SUCCEEDED, null, model.id(), "completed", event);
        });
        metrics.finished(JobState.SUCCEEDED);
    }

    private void cancelled(JobStore.Lease lease, long step) {
        ObjectNode event = json.createObjectNode().put("state", JobState.CANCELLED.name()).put("step", step);
        if (store.underLease(lease, () -> finish(lease.jobId(), JobState.CANCELLED, null, null, "cancelled", event))) {
            metrics.finished(JobState.CANCELLED);
        }
    }

    /** Ends an unfinished job with its final event and drops its checkpoint; false if it had ended. */
    private boolean finish(long id, JobState to, String reason, Long modelId, String type, ObjectNode event) {
        if (!store.finish(id, List.of(JobState.QUEUED, JobState.RUNNING), to, reason, modelId, type, write(event))) {
            return false;
        }
        store.deleteCheckpoint(id);
        return true;
    }

    /** Makes {@code writes} under the job's lease; throws {@link Superseded} if another execution has taken the job. */
    private void guarded(JobStore.Lease lease, BooleanSupplier writes) {
        if (!store.underLease(lease, writes)) {
            throw new Superseded(lease.jobId());
        }
    }

    /** The start of a "state" event of a running job: {"state": "RUNNING", "replica": …}. */
    private ObjectNode running(String replica) {
        ObjectNode n = json.createObjectNode().put("state", JobState.RUNNING.name());
        if (replica != null) {
            n.put("replica", replica);
        }
        return n;
    }

    /** A progress report as the "progress" event carries it. */
    private ObjectNode progress(Progress p, TrainingData data, TrainingConfig config) {
        return progress(p, data.extrapolation().stream().map(TrainingData.EvalSet::name).toList(),
                data.extrapolation().stream().map(TrainingData.EvalSet::threshold).toList(), config);
    }

    /** A progress report, with each extrapolation (or test-length) set's name and success threshold. */
    private ObjectNode progress(Progress p, List<String> names, List<Double> thresholds, TrainingConfig config) {
        ObjectNode n = json.createObjectNode();
        n.put("step", p.step());
        number(n, "loss", p.loss());
        number(n, "validationMse", p.validationMse());
        ArrayNode extrapolation = n.putArray("extrapolation");
        for (int i = 0; i < p.extrapolationMse().size(); i++) {
            double mse = p.extrapolationMse().get(i);
            double threshold = thresholds.get(i);
            ObjectNode range = extrapolation.addObject().put("range", names.get(i));
            number(range, "mse", mse);
            number(range, "threshold", threshold);
            range.put("success", SuccessCriterion.succeeded(mse, threshold));
        }
        n.put("membersSucceeded", p.membersSucceeded());
        n.put("population", config.population());
        n.put("bestMember", p.bestMember());
        number(n, "memberStepsPerSecond", p.memberStepsPerSecond());
        n.put("reinitialisations", p.reinitialisations());
        n.put("time", Instant.now().toString());
        return n;
    }

    /**
     * A number-words network's mean absolute error on each split, in float64 ({@link NumberWordsTask#mae}):
     * {"mae": {"training": …, "validation": …, "test": …}}. The test figure is reported only: the member was
     * selected on validation MSE.
     */
    private static void meanAbsoluteErrors(ObjectNode node, SequenceNetwork network, NumberWordsTask words) {
        ObjectNode mae = node.putObject("mae");
        number(mae, "training", NumberWordsTask.mae(network, words.trainSet()));
        number(mae, "validation", NumberWordsTask.mae(network, words.validation()));
        number(mae, "test", NumberWordsTask.mae(network, words.extrapolation().get(0)));
    }

    /**
     * Puts a figure as a JSON number, or as null when it has no finite value (a diverged member's
     * loss, an MSE that overflowed, a formula's MSE where there is no formula): JSON has no NaN or
     * Infinity, and the strings "NaN" and "Infinity" are not numbers.
     */
    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    /** Reads the job's cancel flag at most every nalu.jobs.cancel-check-interval; true at once when the service stops. */
    private final class CancelCheck implements BooleanSupplier {
        private final long id;
        private long next;
        private boolean cancelled;

        CancelCheck(long id) {
            this.id = id;
        }

        @Override
        public boolean getAsBoolean() {
            if (engine.stopping()) {
                return true;
            }
            long now = System.nanoTime();
            if (now >= next) {
                cancelled = store.cancelRequested(id);
                next = now + properties.cancelCheckInterval().toNanos();
            }
            return cancelled;
        }
    }

    private JobSpec read(String text) {
        try {
            return json.readValue(text, JobSpec.class);
        } catch (JsonProcessingException e) {
            throw new Unrunnable("the job's stored spec cannot be read: it is damaged, or was written by an "
                    + "incompatible version of the service", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String truncate(String s) {
        return s.length() <= 4000 ? s : s.substring(0, 3997) + "…";
    }
}
