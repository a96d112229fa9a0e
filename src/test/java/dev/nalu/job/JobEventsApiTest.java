package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;

/** Server-Sent Events: resume with Last-Event-ID, replay of a finished job, cancel and delete rules. */
class JobEventsApiTest extends ApiTestSupport {

    /** A job that trains long enough to be watched and cancelled (a*b, NMU, 10^6 steps, no early stop). */
    private static final String LONG_JOB = """
            {"name": "long", "task": {"expression": "a * b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [1, 2]}}},
             "model": {"layers": [{"unit": "NMU", "out": 1}]},
             "training": {"steps": 1000000, "population": 2, "evaluateEvery": 1000, "evaluationRows": 200,
                          "earlyStop": false}}""";

    @Test
    void reconnectingWithLastEventIdResumesWithNoGapAndNoDuplicate() {
        long id = submit(SUM_JOB.replace("\"seed\": 7", "\"seed\": 8"));

        List<SseEvent> received = new ArrayList<>(events(id, null, Duration.ofSeconds(60), 2));
        while (!received.get(received.size() - 1).event().equals("completed")) {
            String last = received.get(received.size() - 1).id();
            received.addAll(events(id, last, Duration.ofSeconds(60), 2));
        }
        List<SseEvent> replay = events(id, null, Duration.ofSeconds(30));

        assertThat(received).containsExactlyElementsOf(replay);
        assertThat(replay.stream().map(e -> Long.parseLong(e.id())).toList()).isSorted().doesNotHaveDuplicates();
        assertThat(replay.stream().map(SseEvent::event).toList())
                .containsExactly("state", "state", "progress", "progress", "progress", "progress", "completed");
    }

    @Test
    void aFinishedJobReplaysFromAnyPointAndCloses() {
        long id = submit(SUM_JOB.replace("\"seed\": 7", "\"seed\": 9"));
        awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
        List<SseEvent> all = events(id, null, Duration.ofSeconds(30));

        List<SseEvent> tail = events(id, all.get(3).id(), Duration.ofSeconds(30));
        List<SseEvent> none = events(id, all.get(all.size() - 1).id(), Duration.ofSeconds(30));

        assertThat(tail).containsExactlyElementsOf(all.subList(4, all.size()));
        assertThat(none).isEmpty();
        JsonNode completed = readTree(all.get(all.size() - 1).data());
        assertThat(completed.get("modelId").asLong()).isEqualTo(getJson("/api/v1/jobs/" + id).get("modelId").asLong());
        assertThat(completed.get("formula").asText()).isEqualTo("y = a + b");
    }

    /** With Accept: application/json the same events come as pages: id, event and data, continued after `next`. */
    @Test
    void theEventsReadAsJsonPagesAreTheStreamsEvents() {
        long id = submit(SUM_JOB.replace("\"seed\": 7", "\"seed\": 10"));
        awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
        List<SseEvent> stream = events(id, null, Duration.ofSeconds(30));

        List<SseEvent> paged = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            ResponseEntity<String> page = send(HttpMethod.GET, "/api/v1/jobs/" + id + "/events?limit=3",
                    null, after == null ? Map.of("Accept", "application/json") : Map.of("Accept", "application/json",
                            "Last-Event-ID", after));
            assertThat(page.getStatusCode().value()).isEqualTo(200);
            JsonNode body = read(page);
            body.get("items").forEach(e -> paged.add(new SseEvent(e.get("id").asText(), e.get("event").asText(),
                    e.get("data").toString())));
            after = body.get("next").isNull() ? null : body.get("next").asText();
            pages++;
        } while (after != null);

        assertThat(pages).isEqualTo(stream.size() / 3 + 1);
        assertThat(paged).hasSameSizeAs(stream);
        for (int i = 0; i < stream.size(); i++) {
            assertThat(paged.get(i).id()).isEqualTo(stream.get(i).id());
            assertThat(paged.get(i).event()).isEqualTo(stream.get(i).event());
            assertThat(readTree(paged.get(i).data())).isEqualTo(readTree(stream.get(i).data()));
        }
        for (String accept : new String[] {"*/*", "text/event-stream"}) {
            ResponseEntity<String> asked = send(HttpMethod.GET, "/api/v1/jobs/" + id + "/events", null, Map.of("Accept", accept));
            assertThat(asked.getHeaders().getContentType().toString()).as(accept).startsWith("text/event-stream");
            assertThat(asked.getBody()).as(accept).contains("event:completed");
        }
        ResponseEntity<String> tooMany = send(HttpMethod.GET, "/api/v1/jobs/" + id + "/events?limit=101", null,
                Map.of("Accept", "application/json"));
        assertThat(tooMany.getStatusCode().value()).isEqualTo(400);
        assertThat(read(tooMany).get("field").asText()).isEqualTo("limit");
    }

    @Test
    void cancellingARunningJobStopsItAndCancellingAgainChangesNothing() {
        long id = submit(LONG_JOB);
        awaitProgress(id);

        ResponseEntity<String> deleteRunning = send(HttpMethod.DELETE, "/api/v1/jobs/" + id, null, java.util.Map.of());
        assertThat(deleteRunning.getStatusCode().value()).isEqualTo(409);
        assertThat(read(deleteRunning).get("type").asText()).isEqualTo("/problems/job-state-conflict");

        ResponseEntity<String> cancel = post("/api/v1/jobs/" + id + "/cancel", null);
        assertThat(cancel.getStatusCode().value()).isIn(200, 202);
        JsonNode job = awaitState(id, "CANCELLED", Duration.ofSeconds(30));
        assertThat(job.get("finishedAt").isTextual()).isTrue();
        assertThat(job.has("modelId")).isFalse();

        ResponseEntity<String> again = post("/api/v1/jobs/" + id + "/cancel", null);
        assertThat(again.getStatusCode().value()).isEqualTo(200);
        assertThat(read(again).get("state").asText()).isEqualTo("CANCELLED");
        List<SseEvent> events = events(id, null, Duration.ofSeconds(30));
        assertThat(events.get(events.size() - 1).event()).isEqualTo("cancelled");
        assertThat(events.stream().filter(e -> e.event().equals("cancelled"))).hasSize(1);

        ResponseEntity<String> delete = send(HttpMethod.DELETE, "/api/v1/jobs/" + id, null, java.util.Map.of());
        assertThat(delete.getStatusCode().value()).isEqualTo(204);
        assertThat(http.getForEntity("/api/v1/jobs/" + id, String.class).getStatusCode().value()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM job_events WHERE job_id = ?").param(id).query(Long.class).single()).isZero();
        assertThat(send(HttpMethod.DELETE, "/api/v1/jobs/" + id, null, java.util.Map.of()).getStatusCode().value())
                .isEqualTo(404);
    }

    @Test
    void aQueuedJobHasAQueuePositionAndIsCancelledAtOnce() throws Exception {
        // the tests run two workers (nalu.jobs.workers=2): two long jobs occupy them, the third waits
        int workers = 2;
        List<Long> running = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            running.add(submit(LONG_JOB));
        }
        for (long r : running) {
            awaitProgress(r);
        }
        long queued = submit(LONG_JOB);
        sleep(500);
        JsonNode waiting = getJson("/api/v1/jobs/" + queued);
        assertThat(waiting.get("state").asText()).isEqualTo("QUEUED");
        assertThat(waiting.get("queuePosition").asLong()).isEqualTo(1);
        assertThat(getJson("/api/v1/jobs?state=QUEUED").get("total").asLong()).isEqualTo(1);
        assertThat(firstCommentLine(queued)).as("an idle stream sends heartbeats").isEqualTo(":heartbeat");

        ResponseEntity<String> cancel = post("/api/v1/jobs/" + queued + "/cancel", null);
        assertThat(cancel.getStatusCode().value()).isEqualTo(200);
        assertThat(read(cancel).get("state").asText()).isEqualTo("CANCELLED");
        for (long r : running) {
            post("/api/v1/jobs/" + r + "/cancel", null);
        }
        for (long r : running) {
            awaitState(r, "CANCELLED", Duration.ofSeconds(30));
        }
        assertThat(getJson("/api/v1/jobs/" + queued).get("state").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void theEventsOfAnUnknownJobAre404() throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/api/v1/jobs/999999/events"))
                        .header("Accept", "text/event-stream")
                        .header("Authorization", dev.nalu.TestKeys.bearer(dev.nalu.TestKeys.ADMIN)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("/problems/not-found");

        ResponseEntity<String> badId = http.getForEntity("/api/v1/jobs/1/events?lastEventId=abc", String.class);
        assertThat(badId.getStatusCode().value()).isIn(400, 404);
    }

    /** Opens the job's stream and returns its first SSE comment line (the job sends no events meanwhile). */
    private String firstCommentLine(long id) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/api/v1/jobs/" + id + "/events"))
                        .header("Accept", "text/event-stream")
                        .header("Authorization", dev.nalu.TestKeys.bearer(dev.nalu.TestKeys.ADMIN)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines());
        try (var lines = response.body()) {
            return lines.filter(l -> l.startsWith(":")).findFirst().orElseThrow();
        }
    }

    private void awaitProgress(long id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!getJson("/api/v1/jobs/" + id).has("progress")) {
            assertThat(System.nanoTime()).as("job %d reported no progress", id).isLessThan(deadline);
            sleep(100);
        }
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
