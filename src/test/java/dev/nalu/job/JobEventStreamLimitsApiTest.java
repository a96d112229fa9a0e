package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;


import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;

/**
 * At most nalu.jobs.max-streams event streams per replica (here 3) and nalu.jobs.max-streams-per-key per
 * caller (here 2): one more is a 503 or a 429 problem with Retry-After, and a stream that ends frees its slot.
 * The caller is the request's API key.
 */
@TestPropertySource(properties = {"nalu.jobs.max-streams=3", "nalu.jobs.max-streams-per-key=2"})
class JobEventStreamLimitsApiTest extends ApiTestSupport {
    private static final String LONG_JOB = """
            {"name": "watched", "task": {"expression": "a * b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [1, 2]}}},
             "model": {"layers": [{"unit": "NMU", "out": 1}]},
             "training": {"steps": 1000000, "population": 2, "evaluateEvery": 1000, "evaluationRows": 200,
                          "earlyStop": false}}""";

    /** Callers by name: each its own read key; null is the admin key the tests send by default. */
    private final Map<String, String> keys = new HashMap<>();

    @Test
    void beyondItsCallersLimitAStreamIs429AndBeyondTheReplicasLimit503BothWithRetryAfter() throws Exception {
        long id = submit(LONG_JOB);
        List<HttpResponse<InputStream>> held = new ArrayList<>();
        try {
            held.add(open(id, null, 200));
            held.add(open(id, null, 200));
            HttpResponse<InputStream> thirdOfTheAdmin = open(id, null, 429);
            held.add(open(id, "b", 200));
            HttpResponse<InputStream> replicaFull = open(id, "c", 503);

            JsonNode perCaller = problem(thirdOfTheAdmin);
            assertThat(perCaller.get("scope").asText()).isEqualTo("caller");
            assertThat(perCaller.get("limit").asInt()).isEqualTo(2);
            JsonNode perReplica = problem(replicaFull);
            assertThat(perReplica.get("scope").asText()).isEqualTo("replica");
            assertThat(perReplica.get("limit").asInt()).isEqualTo(3);

            // a client hangs up: its slot is free once its stream's next write fails (a heartbeat at most)
            held.remove(0).body().close();
            HttpResponse<InputStream> next;
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            do {
                sleep(200);
                next = openEvents(id, as(key("c")));
                assertThat(next.statusCode()).isIn(200, 503);
                if (next.statusCode() == 503) {
                    next.body().close();
                }
            } while (next.statusCode() != 200 && System.nanoTime() < deadline);
            assertThat(next.statusCode()).as("a freed slot takes a new stream").isEqualTo(200);
            held.add(next);
            assertThat(firstEvent(next)).as("the new stream streams").startsWith("id:");
        } finally {
            for (HttpResponse<InputStream> r : held) {
                r.body().close();
            }
            post("/api/v1/jobs/" + id + "/cancel", null);
            awaitState(id, "CANCELLED", Duration.ofSeconds(30));
        }
    }

    private HttpResponse<InputStream> open(long id, String caller, int status) {
        HttpResponse<InputStream> r = openEvents(id, caller == null ? Map.of() : as(key(caller)));
        assertThat(r.statusCode()).as("stream %d for %s", status, caller).isEqualTo(status);
        return r;
    }

    private String key(String caller) {
        return keys.computeIfAbsent(caller, c -> newKey("read"));
    }

    /** The refusal's problem, after checking its type and Retry-After (nalu.jobs.heartbeat-interval, 1 s in tests). */
    private JsonNode problem(HttpResponse<InputStream> r) throws IOException {
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        try (InputStream body = r.body()) {
            JsonNode problem = json.readTree(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            assertThat(problem.get("type").asText()).isEqualTo("/problems/too-many-streams");
            assertThat(problem.get("status").asInt()).isEqualTo(r.statusCode());
            assertThat(problem.get("detail").asText()).isNotBlank();
            return problem;
        }
    }

    private static String firstEvent(HttpResponse<InputStream> r) throws IOException {
        StringBuilder line = new StringBuilder();
        InputStream in = r.body();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString();
    }
}
