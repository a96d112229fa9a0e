package dev.nalu.job;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The jobs, their events, checkpoints and idempotency keys, in plain SQL.
 *
 * <p>Every event is appended in a transaction that first updates its job's row. The row lock
 * makes the events of one job commit in the order of their ids, so a stream that has delivered
 * event n can never later find a smaller id appear (no gap on resume).
 */
@Repository
public class JobStore {
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public JobStore(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /**
     * A row of the jobs table.
     *
     * @param attempts training attempts used: starts and resumptions, less graceful hand-overs
     */
    public record Job(long id, String name, JobState state, String spec, String architecture, Instant createdAt,
                      Instant startedAt, Instant finishedAt, boolean cancelRequested, String failureReason,
                      String progress, long progressStep, Long modelId, int attempts, String owner) {
    }

    /** A row of the job_events table. */
    public record Event(long id, long jobId, String type, String data, Instant createdAt) {
    }

    /**
     * A worker's claim on a job: db-scheduler's execution of it at the version the worker picked. A
     * replica that is taken for dead (its heartbeat stale) but still runs loses its claim when another
     * replica revives the execution, which raises the version.
     */
    public record Lease(long jobId, long version) {
    }

    /**
     * Runs {@code writes} in one transaction if {@code lease} still holds, locking the execution's row
     * so that no other replica can take the job until it commits. Returns false, and writes nothing,
     * if the lease is lost or {@code writes} returns false.
     */
    public boolean underLease(Lease lease, BooleanSupplier writes) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            Optional<Long> version = jdbc.sql("SELECT version FROM scheduled_tasks WHERE task_name = ? AND task_instance = ? "
                            + "AND picked = TRUE FOR UPDATE")
                    .params(JobEngine.TRAINING_TASK, Long.toString(lease.jobId())).query(Long.class).optional();
            if (version.isEmpty() || version.get() != lease.version() || !writes.getAsBoolean()) {
                status.setRollbackOnly();
                return false;
            }
            return true;
        }));
    }

    /** Time as stored: UTC, microseconds (what PostgreSQL keeps). */
    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Inserts a QUEUED job of {@code owner} and its first "state" event; returns the job id. {@code admit}
     * runs first in the same transaction and may refuse by throwing (the owner's quota of active jobs).
     */
    public long insert(String name, String spec, String architecture, String stateEvent, String owner, Runnable admit) {
        return insert(name, spec, architecture, stateEvent, owner, admit, List.of());
    }

    /**
     * As {@link #insert(String, String, String, String, String, Runnable)}, for a job that trains on
     * {@code datasets}: each is recorded in job_datasets in the same transaction, whose foreign key refuses the
     * job if a dataset was deleted meanwhile ({@link DataIntegrityViolationException}) and refuses a dataset's
     * deletion while the job has not ended.
     */
    public long insert(String name, String spec, String architecture, String stateEvent, String owner, Runnable admit,
                       List<Long> datasets) {
        return tx.execute(status -> {
            admit.run();
            KeyHolder keys = new GeneratedKeyHolder();
            jdbc.sql("""
                    INSERT INTO jobs (name, state, spec, architecture, created_at, cancel_requested, progress_step, owner)
                    VALUES (?, 'QUEUED', ?, ?, ?, FALSE, 0, ?)""")
                    .params(name, spec, architecture, now(), owner)
                    .update(keys, "id");
            long id = keys.getKey().longValue();
            for (long dataset : new java.util.TreeSet<>(datasets)) {
                jdbc.sql("INSERT INTO job_datasets (job_id, dataset_id) VALUES (?, ?)").params(id, dataset).update();
            }
            insertEvent(id, "state", stateEvent);
            return id;
        });
    }

    /** Who made the job ("key:12", "jwt:alice"); empty if it has no owner or does not exist. */
    public Optional<String> owner(long id) {
        return jdbc.sql("SELECT owner FROM jobs WHERE id = ?").param(id).query((rs, i) -> Optional.ofNullable(rs.getString(1)))
                .optional().flatMap(o -> o);
    }

    /** Jobs of {@code owner} that are queued or running. */
    public long active(String owner) {
        return jdbc.sql("SELECT COUNT(*) FROM jobs WHERE owner = ? AND state IN ('QUEUED', 'RUNNING')").param(owner)
                .query(Long.class).single();
    }

    /** Locks the API key's row until the transaction ends, so that one key's submissions are admitted one at a time. */
    public void lockKey(long keyId) {
        jdbc.sql("SELECT id FROM api_keys WHERE id = ? FOR UPDATE").param(keyId).query(Long.class).optional();
    }

    public Optional<Job> find(long id) {
        return jdbc.sql("SELECT * FROM jobs WHERE id = ?").param(id).query(JobStore::job).optional();
    }

    /** Jobs in {@code state} (any when null) whose name contains {@code name} (any case; any name when null). */
    public List<Job> list(JobState state, String name, int page, int size) {
        return filtered("SELECT * FROM jobs", state, name, " ORDER BY id DESC LIMIT :limit OFFSET :offset")
                .param("limit", size).param("offset", (long) page * size).query(JobStore::job).list();
    }

    public long count(JobState state, String name) {
        return filtered("SELECT COUNT(*) FROM jobs", state, name, "").query(Long.class).single();
    }

    public long count(JobState state) {
        return count(state, null);
    }

    private JdbcClient.StatementSpec filtered(String select, JobState state, String name, String tail) {
        List<String> where = new ArrayList<>();
        if (state != null) {
            where.add("state = :state");
        }
        if (name != null) {
            where.add("LOWER(name) LIKE :name ESCAPE '\\'");
        }
        var spec = jdbc.sql(select + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + tail);
        if (state != null) {
            spec = spec.param("state", state.name());
        }
        if (name != null) {
            String escaped = name.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_");
            spec = spec.param("name", "%" + escaped + "%");
        }
        return spec;
    }

    /** 1 for the next queued job to start, 2 for the one after, …; 0 when the job is not queued. */
    public long queuePosition(long id) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM jobs q
                WHERE q.state = 'QUEUED' AND q.id <= ? AND EXISTS (SELECT 1 FROM jobs j WHERE j.id = ? AND j.state = 'QUEUED')""")
                .params(id, id).query(Long.class).single();
    }

    /** QUEUED → RUNNING, its first attempt, with a "state" event; false if the job was not queued. */
    public boolean start(long id, String stateEvent) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            int n = jdbc.sql("UPDATE jobs SET state = 'RUNNING', started_at = ?, attempts = attempts + 1 "
                            + "WHERE id = ? AND state = 'QUEUED'")
                    .params(now(), id).update();
            if (n == 1) {
                insertEvent(id, "state", stateEvent);
            }
            return n == 1;
        }));
    }

    /** Appends an event to a job that is not finished (false if it is). */
    public boolean append(long id, String type, String data) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            int n = jdbc.sql("UPDATE jobs SET progress_step = progress_step WHERE id = ? AND state IN ('QUEUED', 'RUNNING')")
                    .param(id).update();
            if (n == 1) {
                insertEvent(id, type, data);
            }
            return n == 1;
        }));
    }

    /** A running job's next attempt begins (counted), with a "state" event; false if it is not running. */
    public boolean resume(long id, String stateEvent) {
        return attempt(id, "attempts + 1", stateEvent);
    }

    /**
     * A running job is handed back by a stopping replica (its checkpoint saved): the attempt is given
     * back, since nothing failed, with a "state" event; false if it is not running.
     */
    public boolean release(long id, String stateEvent) {
        return attempt(id, "CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END", stateEvent);
    }

    private boolean attempt(long id, String attempts, String stateEvent) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            int n = jdbc.sql("UPDATE jobs SET attempts = " + attempts + " WHERE id = ? AND state = 'RUNNING'")
                    .param(id).update();
            if (n == 1) {
                insertEvent(id, "state", stateEvent);
            }
            return n == 1;
        }));
    }

    /** Records a progress report: the job's latest progress and a "progress" event. */
    public boolean progress(long id, long step, String data) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            int n = jdbc.sql("UPDATE jobs SET progress = ?, progress_step = ? WHERE id = ? AND state = 'RUNNING'")
                    .params(data, step, id).update();
            if (n == 1) {
                insertEvent(id, "progress", data);
            }
            return n == 1;
        }));
    }

    /**
     * Moves an unfinished job (one of {@code from}) to a terminal state and appends its final event;
     * false if the job was not in one of those states.
     */
    public boolean finish(long id, List<JobState> from, JobState to, String reason, Long modelId,
                          String eventType, String eventData) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            String states = String.join(", ", from.stream().map(s -> "'" + s.name() + "'").toList());
            int n = jdbc.sql("UPDATE jobs SET state = ?, finished_at = ?, failure_reason = ?, model_id = ? "
                            + "WHERE id = ? AND state IN (" + states + ")")
                    .params(to.name(), now(), reason, modelId, id).update();
            if (n == 1) {
                insertEvent(id, eventType, eventData);
                // an ended job reads no dataset any more: they may be deleted
                jdbc.sql("DELETE FROM job_datasets WHERE job_id = ?").param(id).update();
            }
            return n == 1;
        }));
    }

    /** Marks a queued or running job for cancellation; false if it has finished. */
    public boolean requestCancel(long id) {
        return jdbc.sql("UPDATE jobs SET cancel_requested = TRUE WHERE id = ? AND state IN ('QUEUED', 'RUNNING')")
                .param(id).update() == 1;
    }

    public boolean cancelRequested(long id) {
        return jdbc.sql("SELECT cancel_requested FROM jobs WHERE id = ?").param(id).query(Boolean.class)
                .optional().orElse(true);
    }

    /** Deletes a finished job with its events and checkpoint; false if it is not finished (or not there). */
    public boolean deleteFinished(long id) {
        return jdbc.sql("DELETE FROM jobs WHERE id = ? AND state IN ('SUCCEEDED', 'FAILED', 'CANCELLED')")
                .param(id).update() == 1;
    }

    /** Ids of jobs that still have to run (queued or interrupted). */
    public List<Long> unfinished() {
        return jdbc.sql("SELECT id FROM jobs WHERE state IN ('QUEUED', 'RUNNING') ORDER BY id").query(Long.class).list();
    }

    // ---------------------------------------------------------------- events

    private void insertEvent(long jobId, String type, String data) {
        jdbc.sql("INSERT INTO job_events (job_id, type, data, created_at) VALUES (?, ?, ?, ?)")
                .params(jobId, type, data, now()).update();
    }

    /**
     * Events of a job after {@code afterId}, in id order, at most {@code limit}. Ordered by (job_id, id), the
     * index's order, which is id order here: H2 reads such a query's rows straight from the index and stops at the
     * limit, where with ORDER BY id alone it reads and sorts every event of the job after afterId (replaying
     * 100,000 events 500 at a time took 10 s for that).
     */
    public List<Event> events(long jobId, long afterId, int limit) {
        return jdbc.sql("SELECT * FROM job_events WHERE job_id = ? AND id > ? ORDER BY job_id, id LIMIT ?")
                .params(jobId, afterId, limit).query(JobStore::event).list();
    }

    /**
     * Events of a job with ids in ({@code afterId}, {@code upTo}], in id order (the index's, as above), at most
     * {@code limit}: those of {@code type}, or with {@code ofType} false all the others; without their createdAt.
     */
    public List<Event> events(long jobId, String type, boolean ofType, long afterId, long upTo, int limit) {
        // the columns needed only (createdAt is left null): a history reads 100,000 rows in a few hundred ms
        return jdbc.sql("SELECT id, type, data FROM job_events WHERE job_id = ? AND type " + (ofType ? "=" : "<>")
                        + " ? AND id > ? AND id <= ? ORDER BY job_id, id LIMIT ?")
                .params(jobId, type, afterId, upTo, limit)
                .query((rs, row) -> new Event(rs.getLong(1), jobId, rs.getString(2), rs.getString(3), null)).list();
    }

    /** The id of the job's last event (0 when it has none): every event up to it is committed once it is read. */
    public long lastEventId(long jobId) {
        return jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM job_events WHERE job_id = ?").param(jobId)
                .query(Long.class).single();
    }

    public List<Event> events(long jobId, String type) {
        return jdbc.sql("SELECT * FROM job_events WHERE job_id = ? AND type = ? ORDER BY id")
                .params(jobId, type).query(JobStore::event).list();
    }

    /** How many events of this type the job has. */
    public long countEvents(long jobId, String type) {
        return jdbc.sql("SELECT COUNT(*) FROM job_events WHERE job_id = ? AND type = ?")
                .params(jobId, type).query(Long.class).single();
    }

    /**
     * {@code points} (at least 2) of the job's first {@code total} events of this type, in id order, evenly
     * spaced: the ones at positions ⌊k·(total − 1) / (points − 1)⌋ for k = 0 … points − 1, the first and the
     * last among them; all of them when there are no more than {@code points}. Never reads more rows than it
     * returns into memory: the database numbers the rows and keeps position i when some k·(total − 1) falls
     * in [i·(points − 1), (i + 1)·(points − 1)), that is when ⌈i·q / m⌉·m &lt; (i + 1)·q with m = total − 1
     * and q = points − 1.
     */
    public List<Event> sampledEvents(long jobId, String type, long total, int points) {
        if (total <= points) {
            return jdbc.sql("SELECT * FROM job_events WHERE job_id = ? AND type = ? ORDER BY id LIMIT ?")
                    .params(jobId, type, total).query(JobStore::event).list();
        }
        return jdbc.sql("""
                SELECT id, job_id, type, data, created_at FROM (
                    SELECT e.*, ROW_NUMBER() OVER (ORDER BY e.id) - 1 AS rn
                    FROM job_events e WHERE e.job_id = :job AND e.type = :type) numbered
                WHERE rn < :total AND (rn * :q + :m - 1) / :m * :m < (rn + 1) * :q
                ORDER BY id""")
                .param("job", jobId).param("type", type).param("total", total)
                .param("m", total - 1).param("q", (long) points - 1)
                .query(JobStore::event).list();
    }

    // ---------------------------------------------------------------- checkpoints

    /** Saves the job's latest checkpoint (replacing the one before); true, for {@link #underLease}. */
    public boolean saveCheckpoint(long jobId, long step, byte[] state) {
        tx.executeWithoutResult(status -> {
            int n = jdbc.sql("UPDATE checkpoints SET step = ?, state = ?, created_at = ? WHERE job_id = ?")
                    .params(step, state, now(), jobId).update();
            if (n == 0) {
                jdbc.sql("INSERT INTO checkpoints (job_id, step, state, created_at) VALUES (?, ?, ?, ?)")
                        .params(jobId, step, state, now()).update();
            }
        });
        return true;
    }

    /** The latest checkpoint's step and bytes. */
    public record Checkpoint(long step, byte[] state) {
    }

    /** The latest checkpoint's step, without its bytes. */
    public Optional<Long> checkpointStep(long jobId) {
        return jdbc.sql("SELECT step FROM checkpoints WHERE job_id = ?").param(jobId).query(Long.class).optional();
    }

    public Optional<Checkpoint> checkpoint(long jobId) {
        return jdbc.sql("SELECT step, state FROM checkpoints WHERE job_id = ?").param(jobId)
                .query((rs, i) -> new Checkpoint(rs.getLong("step"), rs.getBytes("state"))).optional();
    }

    public void deleteCheckpoint(long jobId) {
        jdbc.sql("DELETE FROM checkpoints WHERE job_id = ?").param(jobId).update();
    }

    // ---------------------------------------------------------------- idempotency

    /** The request hash and job of an Idempotency-Key. */
    public record IdempotentSubmission(String requestHash, long jobId) {
    }

    public Optional<IdempotentSubmission> idempotencyKey(String key) {
        return jdbc.sql("SELECT request_hash, job_id FROM idempotency_keys WHERE idempotency_key = ?").param(key)
                .query((rs, i) -> new IdempotentSubmission(rs.getString(1), rs.getLong(2))).optional();
    }

    /** Deletes the Idempotency-Keys stored before the cutoff; returns how many. Their jobs stay. */
    public int forgetIdempotencyKeysBefore(OffsetDateTime cutoff) {
        return jdbc.sql("DELETE FROM idempotency_keys WHERE created_at < ?").param(cutoff).update();
    }

    /** Inserts a job and its key in one transaction; throws DuplicateKeyException if the key was taken meanwhile. */
    public long insertWithKey(String key, String hash, String name, String spec, String architecture, String stateEvent,
                              String owner, Runnable admit, List<Long> datasets) {
        return tx.execute(status -> {
            long id = insert(name, spec, architecture, stateEvent, owner, admit, datasets);
            jdbc.sql("INSERT INTO idempotency_keys (idempotency_key, request_hash, job_id, created_at) VALUES (?, ?, ?, ?)")
                    .params(key, hash, id, now()).update();
            return id;
        });
    }

    // ---------------------------------------------------------------- mapping

    private static Job job(ResultSet rs, int row) throws SQLException {
        long model = rs.getLong("model_id");
        Long modelId = rs.wasNull() ? null : model;
        return new Job(rs.getLong("id"), rs.getString("name"), JobState.valueOf(rs.getString("state")),
                rs.getString("spec"), rs.getString("architecture"), instant(rs, "created_at"),
                instant(rs, "started_at"), instant(rs, "finished_at"), rs.getBoolean("cancel_requested"),
                rs.getString("failure_reason"), rs.getString("progress"), rs.getLong("progress_step"), modelId,
                rs.getInt("attempts"), rs.getString("owner"));
    }

    private static Event event(ResultSet rs, int row) throws SQLException {
        return new Event(rs.getLong("id"), rs.getLong("job_id"), rs.getString("type"), rs.getString("data"),
                instant(rs, "created_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
