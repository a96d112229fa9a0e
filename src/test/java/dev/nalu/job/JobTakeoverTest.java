package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.kagkarlsson.scheduler.Scheduler;

import dev.nalu.ApiTestSupport;

/**
 * A job never trains on two replicas at once. A replica can be taken for dead while its worker
 * still trains (its heartbeat went stale: a long pause, or the database out of reach), and another
 * replica then revives the job's execution and resumes it from its checkpoint. The old worker must
 * stop at its next write: every progress report appears once, and the job makes one model, with the
 * weights of an uninterrupted run.
 */
class JobTakeoverTest extends ApiTestSupport {
    private static final long STEPS = 10_000;
    private static final long EVALUATE_EVERY = 500;
    private static final String JOB = """
            {"name": "takeover", "task": {"expression": "a * b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [1, 2]}}},
             "model": "auto",
             "training": {"steps": %d, "population": 16, "seed": 5, "evaluateEvery": %d, "evaluationRows": 500,
                          "earlyStop": false}}""".formatted(STEPS, EVALUATE_EVERY);

    @Autowired
    Scheduler scheduler;

    @Test
    void aWorkerWhoseJobWasRevivedElsewhereStopsWritingAndTheJobEndsAsIfUninterrupted() {
        long id = submit(JOB);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (checkpointStep(id) == 0 || progressStep(id) < 4 * EVALUATE_EVERY) {
            assertThat(System.nanoTime()).as("job %d never reached a checkpoint", id).isLessThan(deadline);
            sleep(10);
        }

        // what db-scheduler's ReviveDeadExecution does on another replica once this one's heartbeat is stale
        int revived = jdbc.sql("""
                        UPDATE scheduled_tasks SET picked = FALSE, picked_by = NULL, last_heartbeat = NULL,
                               execution_time = ?, version = version + 1
                        WHERE task_name = ? AND task_instance = ? AND picked = TRUE""")
                .params(OffsetDateTime.now(ZoneOffset.UTC), JobEngine.TRAINING_TASK, Long.toString(id)).update();
        assertThat(revived).as("job %d was still training", id).isEqualTo(1);
        scheduler.triggerCheckForDueExecutions(); // the second worker picks it up now, beside the first

        JsonNode job = awaitState(id, "SUCCEEDED", Duration.ofSeconds(120));
        List<Long> steps = jdbc.sql("SELECT data FROM job_events WHERE job_id = ? AND type = 'progress' ORDER BY id")
                .param(id).query(String.class).list().stream().map(d -> readJson(d).get("step").asLong()).toList();
        assertThat(steps).as("every report once: never two workers on one job")
                .isEqualTo(LongStream.rangeClosed(1, STEPS / EVALUATE_EVERY).map(i -> i * EVALUATE_EVERY).boxed().toList());
        List<Long> resumedFrom = jdbc.sql("SELECT data FROM job_events WHERE job_id = ? AND type = 'state' ORDER BY id")
                .param(id).query(String.class).list().stream().map(this::readJson)
                .filter(d -> d.has("resumedFromStep")).map(d -> d.get("resumedFromStep").asLong()).toList();
        assertThat(resumedFrom).as("the revived execution resumed from the checkpoint").hasSize(1)
                .allMatch(step -> step >= EVALUATE_EVERY);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM models WHERE source_job_id = ?").param(id).query(Long.class).single())
                .as("one model").isEqualTo(1);
        assertThat(jdbc.sql("SELECT attempts FROM jobs WHERE id = ?").param(id).query(Integer.class).single())
                .as("the takeover used an attempt").isEqualTo(2);

        long reference = submit(JOB);
        JsonNode uninterrupted = awaitState(reference, "SUCCEEDED", Duration.ofSeconds(120));
        assertThat(getJson("/api/v1/models/" + job.get("modelId").asLong() + "/export").get("weights"))
                .isEqualTo(getJson("/api/v1/models/" + uninterrupted.get("modelId").asLong() + "/export").get("weights"));
    }

    private long checkpointStep(long id) {
        return jdbc.sql("SELECT step FROM checkpoints WHERE job_id = ?").param(id).query(Long.class).optional().orElse(0L);
    }

    private long progressStep(long id) {
        return jdbc.sql("SELECT progress_step FROM jobs WHERE id = ?").param(id).query(Long.class).single();
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(text, e);
        }
    }
}
