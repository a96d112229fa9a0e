package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;

/**
 * GET /api/v1/jobs/{id}/history: the same events as the event stream, progress reports as rows of numbers (their
 * figures exactly as stored), and the stream continues from its lastEventId with no gap and no duplicate.
 */
class JobHistoryApiTest extends ApiTestSupport {

    /** Reads a stored event's data. */
    private JsonNode tree(String data) {
        try {
            return json.readTree(data);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Asserts that history row {@code row} holds progress report {@code report} (event {@code id}). */
    private static void assertRow(JsonNode columns, JsonNode row, String id, JsonNode report) {
        List<String> names = new ArrayList<>();
        columns.forEach(c -> names.add(c.asText()));
        assertThat(row.get(names.indexOf("id")).asText()).isEqualTo(id);
        for (String figure : List.of("step", "loss", "validationMse", "membersSucceeded", "population", "bestMember")) {
            assertThat(row.get(names.indexOf(figure))).as(figure).isEqualTo(report.get(figure));
        }
        JsonNode time = row.get(names.indexOf("time"));
        if (report.hasNonNull("time")) {
            assertThat(time.asLong()).isEqualTo(Instant.parse(report.get("time").asText()).toEpochMilli());
        } else {
            assertThat(time.isNull()).isTrue();
        }
        JsonNode ranges = report.get("extrapolation");
        assertThat(row.size()).isEqualTo(names.size() + 2 * ranges.size());
        for (int k = 0; k < ranges.size(); k++) {
            assertThat(row.get(names.size() + 2 * k)).isEqualTo(ranges.get(k).get("mse"));
            assertThat(row.get(names.size() + 2 * k + 1)).isEqualTo(ranges.get(k).get("threshold"));
        }
    }

    @Test
    void aFinishedJobsHistoryHoldsTheStreamsEvents() {
        long id = submit(SUM_JOB.replace("\"seed\": 7", "\"seed\": 21"));
        awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
        List<SseEvent> stream = events(id, null, Duration.ofSeconds(30));
        JsonNode history = getJson("/api/v1/jobs/" + id + "/history");

        assertThat(history.get("jobId").asLong()).isEqualTo(id);
        assertThat(history.get("lastEventId").asText()).isEqualTo(stream.get(stream.size() - 1).id());
        List<SseEvent> progress = stream.stream().filter(e -> e.event().equals("progress")).toList();
        List<SseEvent> others = stream.stream().filter(e -> !e.event().equals("progress")).toList();
        assertThat(history.get("progress")).hasSize(progress.size()).isNotEmpty();
        for (int i = 0; i < progress.size(); i++) {
            assertRow(history.get("columns"), history.get("progress").get(i), progress.get(i).id(), tree(progress.get(i).data()));
        }
        JsonNode first = tree(progress.get(0).data()).get("extrapolation");
        assertThat(history.get("ranges")).hasSize(first.size());
        for (int k = 0; k < first.size(); k++) {
            assertThat(history.get("ranges").get(k).asText()).isEqualTo(first.get(k).get("range").asText());
        }
        assertThat(history.get("events")).hasSize(others.size());
        for (int i = 0; i < others.size(); i++) {
            JsonNode e = history.get("events").get(i);
            assertThat(e.get("id").asText()).isEqualTo(others.get(i).id());
            assertThat(e.get("event").asText()).isEqualTo(others.get(i).event());
            assertThat(e.get("data")).isEqualTo(tree(others.get(i).data()));
        }
        assertThat(others.get(others.size() - 1).event()).isEqualTo("completed");
    }

    /**
     * A history longer than one read of the database (2,500 reports, read 1,000 at a time), with figures that have
     * no finite value (null) and a report without a time; then the event stream from its lastEventId delivers exactly
     * what was written after it. (The seeded job is CANCELLED, not RUNNING, so the job reconciler never trains it.)
     */
    @Test
    void aLongHistoryIsWholeAndTheStreamGoesOnFromItsLastEvent() throws Exception {
        long template = submit(SUM_JOB.replace("\"seed\": 7", "\"seed\": 22"));
        awaitState(template, "SUCCEEDED", Duration.ofSeconds(60));
        jdbc.sql("""
                INSERT INTO jobs (name, state, spec, architecture, created_at, started_at, cancel_requested, progress_step, owner, attempts)
                SELECT 'seeded', 'CANCELLED', spec, architecture, created_at, started_at, FALSE, 0, owner, attempts
                FROM jobs WHERE id = ?""").param(template).update();
        long id = jdbc.sql("SELECT MAX(id) FROM jobs").query(Long.class).single();
        int n = 2500;
        jdbc.sql("INSERT INTO job_events (job_id, type, data, created_at) VALUES (?, 'state', '{\"state\":\"RUNNING\"}', CURRENT_TIMESTAMP)")
                .param(id).update();
        jdbc.sql("""
                INSERT INTO job_events (job_id, type, data, created_at)
                SELECT ?, 'progress', '{"step":' || (10 * X) || ',"loss":' || CASE WHEN MOD(X, 7) = 0 THEN 'null' ELSE CAST(1.0E0 / (3 * X) AS VARCHAR) END
                       || ',"validationMse":' || (2.0E0 / X) || ',"extrapolation":[{"range":"[2, 6]","mse":' || (50.0E0 / X)
                       || ',"threshold":1.2E-7,"success":false}],"membersSucceeded":' || MOD(X, 5)
                       || ',"population":4,"bestMember":1,"memberStepsPerSecond":1000.0,"reinitialisations":0'
                       || CASE WHEN X = 1 THEN '' ELSE ',"time":"2026-11-29T14:11:20.' || LPAD(CAST(MOD(X, 1000) AS VARCHAR), 3, '0') || 'Z"' END
                       || '}', CURRENT_TIMESTAMP
                FROM SYSTEM_RANGE(1, ?)""").params(id, n).update();

        JsonNode history = getJson("/api/v1/jobs/" + id + "/history");
        List<JobStore.Event> stored = jdbc.sql("SELECT * FROM job_events WHERE job_id = ? AND type = 'progress' ORDER BY id")
                .param(id).query((rs, i) -> new JobStore.Event(rs.getLong("id"), id, rs.getString("type"), rs.getString("data"), null)).list();
        assertThat(history.get("progress")).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertRow(history.get("columns"), history.get("progress").get(i), Long.toString(stored.get(i).id()), tree(stored.get(i).data()));
        }
        assertThat(history.at("/progress/6/3").isNull()).as("a loss stored as null").isTrue();
        assertThat(history.at("/progress/0/2").isNull()).as("a report without a time").isTrue();
        assertThat(history.get("events")).hasSize(1);
        assertThat(history.get("lastEventId").asLong()).isEqualTo(stored.get(n - 1).id());

        jdbc.sql("""
                INSERT INTO job_events (job_id, type, data, created_at)
                VALUES (?, 'progress', '{"step":99999,"loss":1,"validationMse":1,"extrapolation":[],"membersSucceeded":0,"population":4,"bestMember":0,"memberStepsPerSecond":1,"reinitialisations":0}', CURRENT_TIMESTAMP),
                       (?, 'cancelled', '{"state":"CANCELLED","step":99999}', CURRENT_TIMESTAMP)""").params(id, id).update();
        List<SseEvent> after = events(id, history.get("lastEventId").asText(), Duration.ofSeconds(30));
        assertThat(after).extracting(SseEvent::event).containsExactly("progress", "cancelled");
        assertThat(Long.parseLong(after.get(0).id())).isGreaterThan(history.get("lastEventId").asLong());
    }

    @Test
    void aJobWithoutEventsHasAnEmptyHistoryAndAnUnknownJobIs404() {
        long template = submit(SUM_JOB.replace("\"seed\": 7", "\"seed\": 23"));
        awaitState(template, "SUCCEEDED", Duration.ofSeconds(60));
        jdbc.sql("""
                INSERT INTO jobs (name, state, spec, architecture, created_at, cancel_requested, progress_step, owner, attempts)
                SELECT 'empty', 'CANCELLED', spec, architecture, created_at, FALSE, 0, owner, attempts FROM jobs WHERE id = ?""")
                .param(template).update();
        long id = jdbc.sql("SELECT MAX(id) FROM jobs").query(Long.class).single();
        JsonNode empty = getJson("/api/v1/jobs/" + id + "/history");
        assertThat(empty.get("progress")).isEmpty();
        assertThat(empty.get("events")).isEmpty();
        assertThat(empty.get("ranges")).isEmpty();
        assertThat(empty.get("lastEventId").isNull()).isTrue();

        ResponseEntity<String> missing = http.getForEntity("/api/v1/jobs/987654321/history", String.class);
        assertThat(missing.getStatusCode().value()).isEqualTo(404);
        assertThat(missing.getHeaders().getContentType().toString()).startsWith("application/problem+json");
    }
}
