package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;

/**
 * What bounds a job's events: training.evaluateEvery has a floor (at most nalu.limits.max-progress-reports
 * reports, at most every nalu.limits.min-evaluate-every steps), and GET /jobs/{id}/metrics answers at most
 * that many points, evenly spaced with the first and the last, however long the history in the database.
 */
class JobEventLimitsApiTest extends ApiTestSupport {
    private static final String AB = """
            {"task": {"expression": "a + b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [1, 2]}}},
             "model": {"layers": [{"unit": "NAU", "out": 1}]},
             "training": {"steps": %d, "population": 2, "evaluateEvery": %d, "evaluationRows": 100, "earlyStop": false}}""";

    @Autowired
    private JdbcTemplate jdbcTemplate;

    @Test
    void anEvaluateEveryBelowItsFloorIs400NamingTheFieldAndTheLimit() {
        long jobs = count("jobs");

        JsonNode tooManyReports = refused(AB.formatted(1_000_000, 200));
        JsonNode tooOften = refused(AB.formatted(500, 1));

        assertThat(tooManyReports.get("limit").asLong()).as("1,000,000 steps / 1000 reports").isEqualTo(1000);
        assertThat(tooManyReports.get("detail").asText()).contains("1000 times");
        assertThat(tooOften.get("limit").asLong()).as("at most every 10 steps").isEqualTo(10);
        assertThat(count("jobs")).as("nothing written").isEqualTo(jobs);
    }

    @Test
    void aJobAtTheFloorTrainsAndReportsOnceEveryFloorSteps() {
        long id = submit(AB.formatted(100, 10));
        awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));

        JsonNode metrics = getJson("/api/v1/jobs/" + id + "/metrics");

        assertThat(metrics.get("total").asLong()).isEqualTo(10);
        assertThat(steps(metrics)).isEqualTo(LongStream.rangeClosed(1, 10).map(i -> 10 * i).boxed().toList());
    }

    @Test
    void aLongHistoryIsAnsweredAsEvenlySpacedPointsWithTheFirstAndTheLast() {
        long id = submit(SUM_JOB.replace("\"seed\": 7", "\"seed\": 21"));
        awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
        // a history longer than a job may write today (one stored before the floor existed): 3000 reports
        int stored = (int) getJson("/api/v1/jobs/" + id + "/metrics").get("total").asLong();
        addProgress(id, stored, 3000);

        JsonNode all = getJson("/api/v1/jobs/" + id + "/metrics");
        JsonNode seven = getJson("/api/v1/jobs/" + id + "/metrics?points=7");
        JsonNode two = getJson("/api/v1/jobs/" + id + "/metrics?points=2");

        assertThat(all.get("total").asLong()).isEqualTo(3000);
        List<Long> steps = steps(all);
        assertThat(steps).as("nalu.limits.max-progress-reports points by default").hasSize(1000);
        assertThat(steps.get(0)).isEqualTo(500);
        assertThat(steps.get(999)).isEqualTo(500 * 3000);
        for (int i = 1; i < steps.size(); i++) {
            assertThat((steps.get(i) - steps.get(i - 1)) / 500).as("evenly spaced: 2999 / 999 apart").isBetween(3L, 4L);
        }
        // positions ⌊k · 2999 / 6⌋ of 3000, one report every 500 steps
        assertThat(steps(seven)).containsExactly(500L, 250_000L, 500_000L, 750_000L, 1_000_000L, 1_250_000L, 1_500_000L);
        assertThat(steps(two)).containsExactly(500L, 1_500_000L);
    }

    @Test
    void aShortHistoryIsAnsweredWhole() {
        long id = submit(SUM_JOB.replace("\"seed\": 7", "\"seed\": 22"));
        awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));

        JsonNode whole = getJson("/api/v1/jobs/" + id + "/metrics");
        JsonNode three = getJson("/api/v1/jobs/" + id + "/metrics?points=3");

        assertThat(whole.get("jobId").asLong()).isEqualTo(id);
        assertThat(whole.get("total").asLong()).isEqualTo(4);
        assertThat(steps(whole)).containsExactly(500L, 1000L, 1500L, 2000L);
        assertThat(steps(three)).containsExactly(500L, 1000L, 2000L);
    }

    @Test
    void pointsOutsideTwoToTheLimitAre400() {
        long id = submit(SUM_JOB.replace("\"seed\": 7", "\"seed\": 23"));

        ResponseEntity<String> one = http.getForEntity("/api/v1/jobs/" + id + "/metrics?points=1", String.class);
        ResponseEntity<String> many = http.getForEntity("/api/v1/jobs/" + id + "/metrics?points=1001", String.class);
        ResponseEntity<String> missing = http.getForEntity("/api/v1/jobs/999999/metrics", String.class);

        assertThat(one.getStatusCode().value()).isEqualTo(400);
        assertThat(read(one).get("type").asText()).isEqualTo("/problems/invalid-field");
        assertThat(read(one).get("field").asText()).isEqualTo("points");
        assertThat(many.getStatusCode().value()).isEqualTo(400);
        assertThat(read(many).get("type").asText()).isEqualTo("/problems/limit-exceeded");
        assertThat(read(many).get("limit").asInt()).isEqualTo(1000);
        assertThat(missing.getStatusCode().value()).isEqualTo(404);
        awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
    }

    private JsonNode refused(String body) {
        ResponseEntity<String> r = post("/api/v1/jobs", body);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(400);
        JsonNode problem = read(r);
        assertThat(problem.get("type").asText()).isEqualTo("/problems/limit-exceeded");
        assertThat(problem.get("field").asText()).isEqualTo("training.evaluateEvery");
        return problem;
    }

    /** Appends progress reports {@code from + 1} … {@code to} (one every 500 steps) straight into the database. */
    private void addProgress(long id, int from, int to) {
        List<Object[]> rows = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (int i = from + 1; i <= to; i++) {
            rows.add(new Object[] {id, "{\"step\": " + 500L * i + "}", now});
        }
        jdbcTemplate.batchUpdate("INSERT INTO job_events (job_id, type, data, created_at) VALUES (?, 'progress', ?, ?)", rows);
    }

    private static List<Long> steps(JsonNode metrics) {
        List<Long> steps = new ArrayList<>();
        metrics.get("progress").forEach(p -> steps.add(p.get("step").asLong()));
        return steps;
    }
}
