package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.nalu.ApiTestSupport;

/**
 * Jobs whose stored state is damaged: an unreadable checkpoint (e.g. written by another trainer
 * version) means training again from step 0; an unreadable spec fails the job with its reason.
 */
class JobRecoveryTest extends ApiTestSupport {
    @Autowired
    JobStore store;
    @Autowired
    JobSpecs specs;
    @Autowired
    JobEngine engine;

    @Test
    void anUnreadableCheckpointIsDroppedAndTheJobTrainsFromTheStart() throws Exception {
        JobSpec spec = specs.validate(json.readValue(SUM_JOB, JobRequest.class));
        long id = store.insert("recovery", json.writeValueAsString(spec), "NAU(2→1)",
                json.writeValueAsString(Map.of("state", "QUEUED")), null, () -> { });
        store.saveCheckpoint(id, 1500, new byte[] {0, 0, 0, 99});

        engine.schedule(id);

        var job = awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
        assertThat(getJson("/api/v1/models/" + job.get("modelId").asLong()).at("/formula/text").asText())
                .isEqualTo("y = a + b");
        List<SseEvent> events = events(id, null, Duration.ofSeconds(30));
        assertThat(events.stream().filter(e -> e.event().equals("state")).map(SseEvent::data))
                .anyMatch(d -> d.contains("could not be read"));
        assertThat(events.stream().filter(e -> e.event().equals("progress"))).hasSize(4);
        assertThat(store.checkpoint(id)).isEmpty();
    }

    @Test
    void aJobThatCannotRunFailsWithItsReasonAsTheFinalEvent() throws Exception {
        long id = store.insert("broken", "{\"name\": \"broken\"", "NAU(2→1)",
                json.writeValueAsString(Map.of("state", "QUEUED")), null, () -> { });

        engine.schedule(id);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        var job = getJson("/api/v1/jobs/" + id);
        while (!job.get("state").asText().equals("FAILED")) {
            assertThat(System.nanoTime()).as("job never failed: %s", job).isLessThan(deadline);
            sleep(100);
            job = getJson("/api/v1/jobs/" + id);
        }
        assertThat(job.get("failureReason").asText()).contains("spec");
        List<SseEvent> events = events(id, null, Duration.ofSeconds(30));
        SseEvent last = events.get(events.size() - 1);
        assertThat(last.event()).isEqualTo("failed");
        assertThat(json.readTree(last.data()).get("reason").asText()).isEqualTo(job.get("failureReason").asText());
    }
}
