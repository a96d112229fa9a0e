package dev.nalu.job;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.nalu.api.ApiException;
import dev.nalu.api.Problems;
import dev.nalu.cost.Budgets;
import dev.nalu.model.TaskDefinition;
import dev.nalu.security.Caller;
import dev.nalu.security.Callers;

/** Submits, reads, cancels and deletes jobs; the training itself is {@link JobRunner}'s. */
@Service
public class JobService {
    private static final int MAX_KEY_LENGTH = 255;
    /** Retry-After of a refusal for too many active jobs: a hint, since no one knows when a job ends. */
    static final int ACTIVE_JOBS_RETRY_SECONDS = 30;

    private final JobStore store;
    private final JobSpecs specs;
    private final JobEngine engine;
    private final JobMetrics metrics;
    private final ObjectMapper json;
    private final Budgets budgets;

    public JobService(JobStore store, JobSpecs specs, JobEngine engine, JobMetrics metrics, ObjectMapper json,
                      Budgets budgets) {
        this.store = store;
        this.specs = specs;
        this.engine = engine;
        this.metrics = metrics;
        this.json = json;
        this.budgets = budgets;
    }

    /** A submission's job, and whether it is the replay of an earlier one with the same Idempotency-Key. */
    public record Submitted(JobView job, boolean replayed) {
    }

    public Submitted submit(JobRequest request, String idempotencyKey) {
        JobSpec spec = specs.validate(request);
        spec.checkBudget(budgets);
        Caller caller = Callers.current();
        checkMemberSteps(caller, spec);
        String owner = caller == null ? null : caller.id();
        Runnable admit = () -> admit(caller);
        String specJson = write(spec);
        String architecture = spec.model().describe();
        String queued = write(Map.of("state", JobState.QUEUED));
        List<Long> datasets = datasets(spec);
        long id;
        if (idempotencyKey == null) {
            id = inserting(() -> store.insert(spec.name(), specJson, architecture, queued, owner, admit, datasets));
        } else {
            if (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY_LENGTH
                    || !idempotencyKey.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
                throw ApiException.invalid("Idempotency-Key", "the Idempotency-Key header must be 1 to "
                        + MAX_KEY_LENGTH + " visible ASCII characters");
            }
            String hash = hash(request);
            // scoped to the caller: one key's Idempotency-Key never replays another's job
            String scoped = (owner == null ? "" : owner) + " " + idempotencyKey;
            var existing = store.idempotencyKey(scoped);
            if (existing.isPresent()) {
                return replay(existing.get(), hash);
            }
            try {
                id = inserting(() -> store.insertWithKey(scoped, hash, spec.name(), specJson, architecture, queued, owner,
                        admit, datasets));
            } catch (DuplicateKeyException e) {
                return replay(store.idempotencyKey(scoped).orElseThrow(), hash);
            }
        }
        metrics.submitted();
        engine.schedule(id);
        return new Submitted(get(id), false);
    }

    /** The datasets a dataset task reads: its own and its held-out one. */
    private static List<Long> datasets(JobSpec spec) {
        TaskDefinition.DataSource data = spec.task().data();
        if (data == null) {
            return List.of();
        }
        return data.extrapolationDataset() == null ? List.of(data.dataset())
                : List.of(data.dataset(), data.extrapolationDataset());
    }

    /**
     * Runs an insert of a job; a dataset it names that was deleted after the job was checked (the foreign key of
     * job_datasets refuses it) is a 400 naming task.dataset, and nothing is stored.
     */
    private static long inserting(java.util.function.LongSupplier insert) {
        try {
            return insert.getAsLong();
        } catch (DuplicateKeyException e) {
            throw e;
        } catch (DataIntegrityViolationException e) {
            throw ApiException.invalid("task.dataset", "a dataset of the task was deleted while the job was submitted");
        }
    }

    /** The caller's quota of member-steps per job (steps × population): 422, since waiting does not help. */
    private static void checkMemberSteps(Caller caller, JobSpec spec) {
        long limit = caller == null ? 0 : caller.quota().memberStepsPerJob();
        double memberSteps = (double) spec.training().steps() * spec.training().population();
        if (limit > 0 && memberSteps > limit) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, Problems.QUOTA_EXCEEDED, "Quota exceeded",
                    String.format(Locale.ROOT, "the job trains %,.0f member-steps (steps %d × population %d); this key "
                                    + "may train at most %,d per job", memberSteps, spec.training().steps(),
                            spec.training().population(), limit),
                    Map.of("field", "training.steps", "quota", "memberStepsPerJob", "limit", limit));
        }
    }

    /**
     * The caller's quota of active (queued or running) jobs, checked in the inserting transaction with the
     * key's row locked, so that concurrent submissions of one key on any replicas cannot overshoot it.
     */
    private void admit(Caller caller) {
        if (caller == null || caller.quota().activeJobs() <= 0) {
            return;
        }
        if (caller.keyId() != null) {
            store.lockKey(caller.keyId());
        }
        long active = store.active(caller.id());
        if (active >= caller.quota().activeJobs()) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, Problems.QUOTA_EXCEEDED, "Quota exceeded",
                    "this key has " + active + " jobs queued or running, its quota is " + caller.quota().activeJobs()
                            + "; submit again when one finishes (or cancel one)",
                    Map.of("quota", "activeJobs", "limit", caller.quota().activeJobs()))
                    .withHeader("Retry-After", Integer.toString(ACTIVE_JOBS_RETRY_SECONDS));
        }
    }

    private Submitted replay(JobStore.IdempotentSubmission earlier, String hash) {
        if (!earlier.requestHash().equals(hash)) {
            throw ApiException.conflict(Problems.IDEMPOTENCY_CONFLICT, "this Idempotency-Key was used for job "
                    + earlier.jobId() + " with a different body; use a new key for a different job");
        }
        return new Submitted(get(earlier.jobId()), true);
    }

    /** SHA-256 of the request as canonical JSON (object keys sorted), so formatting and key order do not matter. */
    private String hash(JobRequest request) {
        try {
            byte[] canonical = json.writeValueAsBytes(canonical(json.valueToTree(request)));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            ObjectNode out = json.createObjectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = json.createArrayNode();
            node.forEach(n -> out.add(canonical(n)));
            return out;
        }
        if (node.isNumber()) {
            return json.getNodeFactory().numberNode(node.doubleValue());
        }
        return node;
    }

    public JobView get(long id) {
        return view(store.find(id).orElseThrow(() -> ApiException.notFound("job", id)));
    }

    @io.swagger.v3.oas.annotations.media.Schema(name = "JobPage", requiredProperties = {"items", "page", "size", "total"})
    public record Page(List<JobView> items, int page, int size, long total) {
    }

    public Page list(JobState state, String name, int page, int size) {
        List<JobView> items = new ArrayList<>();
        for (JobStore.Job job : store.list(state, name, page, size)) {
            items.add(view(job));
        }
        return new Page(items, page, size, store.count(state, name));
    }

    /** Cancels a queued job at once; asks a running one to stop at its next step. Finished jobs are left as they are. */
    public JobView cancel(long id) {
        JobStore.Job job = store.find(id).orElseThrow(() -> ApiException.notFound("job", id));
        checkOwner(id, "cancel");
        if (job.state() == JobState.QUEUED) {
            if (store.finish(id, List.of(JobState.QUEUED), JobState.CANCELLED, null, null, "cancelled",
                    write(Map.of("state", JobState.CANCELLED, "step", 0)))) {
                metrics.finished(JobState.CANCELLED);
                engine.unschedule(id);
                return get(id);
            }
        }
        store.requestCancel(id);
        return get(id);
    }

    public void delete(long id) {
        JobStore.Job job = store.find(id).orElseThrow(() -> ApiException.notFound("job", id));
        checkOwner(id, "delete");
        if (!job.state().terminal() || !store.deleteFinished(id)) {
            throw ApiException.conflict(Problems.JOB_STATE_CONFLICT, "job " + id + " is " + job.state()
                    + "; only a finished job (SUCCEEDED, FAILED or CANCELLED) can be deleted: cancel it first");
        }
    }

    /** Only the job's owner, or an admin, may change it. */
    private void checkOwner(long id, String action) {
        Callers.requireMayChange(store.owner(id).orElse(null), "job " + id, action);
    }

    /** One event of a job's history as JSON: its id, type and data (the SSE event's id, event and data). */
    public record Event(long id, String event, JsonNode data) {
    }

    /** The job's events after {@code afterId}, oldest first, at most {@code limit}. */
    public List<Event> events(long id, long afterId, int limit) {
        store.find(id).orElseThrow(() -> ApiException.notFound("job", id));
        return store.events(id, afterId, limit).stream().map(e -> new Event(e.id(), e.type(), read(e.data()))).toList();
    }

    /** How many progress reports a job has ({@code total}), and some of them, oldest first. */
    public record ProgressHistory(long total, List<JsonNode> reports) {
    }

    /** The job's progress reports, oldest first: all of them, or {@code points} evenly spaced when there are more. */
    public ProgressHistory progress(long id, int points) {
        store.find(id).orElseThrow(() -> ApiException.notFound("job", id));
        long total = store.countEvents(id, "progress");
        List<JsonNode> out = new ArrayList<>();
        for (JobStore.Event e : store.sampledEvents(id, "progress", total, points)) {
            out.add(read(e.data()));
        }
        return new ProgressHistory(total, out);
    }

    JobView view(JobStore.Job job) {
        Long position = job.state() == JobState.QUEUED ? store.queuePosition(job.id()) : null;
        return new JobView(job.id(), job.name(), job.state(), job.createdAt(), job.startedAt(), job.finishedAt(),
                job.failureReason(), position == null || position == 0 ? null : position, job.cancelRequested(),
                job.progress() == null ? null : read(job.progress()), job.modelId(), job.architecture(),
                storedSpec(job.spec()), job.owner());
    }

    /** The stored spec; its raw text if it is damaged, so the job can still be read (and shows why it failed). */
    private JsonNode storedSpec(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(text);
        }
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
