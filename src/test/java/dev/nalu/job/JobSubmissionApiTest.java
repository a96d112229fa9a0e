package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;
import dev.nalu.TestKeys;

/** Submission: defaults, idempotency, and every kind of bad input answered by a 4xx problem with nothing written. */
class JobSubmissionApiTest extends ApiTestSupport {

    @Autowired
    private JobEngine engine;
    @Autowired
    private JobStore store;

    private static final String VARS = "\"variables\": {\"a\": {\"train\": [1, 2]}, \"b\": {\"train\": [1, 2]}}";

    private static String job(String task, String rest) {
        return "{\"task\": {" + task + "}" + rest + "}";
    }

    static Stream<Arguments> badJobs() {
        String ab = "\"expression\": \"a * b\", " + VARS;
        return Stream.of(
                Arguments.of("malformed JSON", "{\"task\": {\"expression\": ", 400, "/problems/malformed-request", null),
                Arguments.of("not an object", "[1, 2]", 400, "/problems/malformed-request", null),
                Arguments.of("empty body", "", 400, "/problems/malformed-request", null),
                Arguments.of("string for an integer", job(ab, ", \"training\": {\"steps\": \"many\"}"), 400,
                        "/problems/malformed-request", "training.steps"),
                Arguments.of("fraction for an integer", job(ab, ", \"training\": {\"steps\": 1.5}"), 400,
                        "/problems/malformed-request", "training.steps"),
                Arguments.of("unknown field", job(ab, ", \"training\": {\"stpes\": 10}"), 400,
                        "/problems/malformed-request", "training.stpes"),
                Arguments.of("NaN literal", job("\"expression\": \"a\", \"variables\": {\"a\": {\"train\": [NaN, 2]}}", ""),
                        400, "/problems/malformed-request", null),
                Arguments.of("infinite bound", job("\"expression\": \"a\", \"variables\": {\"a\": {\"train\": [1, 1e400]}}", ""),
                        400, "/problems/invalid-field", "task.variables.a.train[1]"),
                Arguments.of("empty range", job("\"expression\": \"a\", \"variables\": {\"a\": {\"train\": [1, 1]}}", ""),
                        400, "/problems/invalid-field", "task.variables.a.train"),
                Arguments.of("inverted range", job("\"expression\": \"a\", \"variables\": {\"a\": {\"train\": [[2, 1]]}}", ""),
                        400, "/problems/invalid-field", "task.variables.a.train[0]"),
                Arguments.of("range beyond the magnitude limit",
                        job("\"expression\": \"a\", \"variables\": {\"a\": {\"train\": [1, 1e13]}}", ""),
                        400, "/problems/limit-exceeded", "task.variables.a.train[1]"),
                Arguments.of("missing expression", job(VARS, ""), 400, "/problems/invalid-field", "task.expression"),
                Arguments.of("missing task", "{\"name\": \"x\"}", 400, "/problems/invalid-field", "task"),
                Arguments.of("unknown variable", job("\"expression\": \"a * c\", " + VARS, ""), 400,
                        "/problems/invalid-field", "task.expression"),
                Arguments.of("unsupported function", job("\"expression\": \"sin(a)\", " + VARS, ""), 400,
                        "/problems/invalid-field", "task.expression"),
                Arguments.of("expression too long", job("\"expression\": \"" + "a+".repeat(150) + "a\", " + VARS, ""), 400,
                        "/problems/limit-exceeded", "task.expression"),
                Arguments.of("divisor range contains 0",
                        job("\"expression\": \"a / b\", \"variables\": {\"a\": {\"train\": [1, 2]}, \"b\": {\"train\": [-1, 1]}}", ""),
                        400, "/problems/invalid-field", "task.variables"),
                Arguments.of("extrapolation range makes the divisor 0",
                        job("\"expression\": \"a / b\", " + VARS + ", \"extrapolation\": [[2, 6], [-1, 1]]", ""),
                        400, "/problems/invalid-field", "task.extrapolation[1]"),
                Arguments.of("a power that overflows on the training ranges",
                        job("\"expression\": \"a ^ 400\", \"variables\": {\"a\": {\"train\": [2, 6]}}", ""),
                        400, "/problems/invalid-field", "task.variables"),
                Arguments.of("a power that overflows on an extrapolation range",
                        job("\"expression\": \"a ^ 400\", \"variables\": {\"a\": {\"train\": [1, 2]}}, \"extrapolation\": [[1.5, 2], [2, 6]]", ""),
                        400, "/problems/invalid-field", "task.extrapolation[1]"),
                Arguments.of("float32 targets beyond what float32 can square and sum",
                        job("\"expression\": \"a * b\", \"variables\": {\"a\": {\"train\": [1e11, 1e12]}, \"b\": {\"train\": [1e11, 1e12]}}", ""),
                        400, "/problems/invalid-field", "task.variables"),
                Arguments.of("float32 targets beyond it on an extrapolation range",
                        job("\"expression\": \"a * b\", " + VARS + ", \"extrapolation\": [[1e8, 1e9]]", ""),
                        400, "/problems/invalid-field", "task.extrapolation[0]"),
                Arguments.of("an arithmetic division by tiny sums",
                        job("\"kind\": \"arithmetic\", \"op\": \"div\", \"train\": [1e-300, 1]", ", \"training\": {\"precision\": \"float64\"}"),
                        400, "/problems/invalid-field", "task.train"),
                Arguments.of("unknown unit", job(ab, ", \"model\": {\"layers\": [{\"unit\": \"QUANTUM\", \"out\": 1}]}"),
                        400, "/problems/invalid-field", "model.layers[0].unit"),
                Arguments.of("last layer wider than 1", job(ab, ", \"model\": {\"layers\": [{\"unit\": \"NMU\", \"out\": 2}]}"),
                        400, "/problems/invalid-field", "model.layers[0].out"),
                Arguments.of("unknown model word", job(ab, ", \"model\": \"magic\""), 400, "/problems/invalid-field", "model"),
                Arguments.of("population over the limit", job(ab, ", \"training\": {\"population\": 1000}"), 400,
                        "/problems/limit-exceeded", "training.population"),
                Arguments.of("zero steps", job(ab, ", \"training\": {\"steps\": 0}"), 400, "/problems/invalid-field",
                        "training.steps"),
                Arguments.of("steps over the limit", job(ab, ", \"training\": {\"steps\": 5000000}"), 400,
                        "/problems/limit-exceeded", "training.steps"),
                Arguments.of("batch over the limit", job(ab, ", \"training\": {\"batchSize\": 100000}"), 400,
                        "/problems/limit-exceeded", "training.batchSize"),
                Arguments.of("negative learning rate", job(ab, ", \"training\": {\"learningRate\": -1}"), 400,
                        "/problems/invalid-field", "training.learningRate"),
                Arguments.of("unknown optimizer", job(ab, ", \"training\": {\"optimizer\": \"lbfgs\"}"), 400,
                        "/problems/invalid-field", "training.optimizer"),
                Arguments.of("arithmetic without op", job("\"kind\": \"arithmetic\"", ""), 400, "/problems/invalid-field",
                        "task.op"),
                Arguments.of("arithmetic input size over the limit", job("\"kind\": \"arithmetic\", \"op\": \"mul\", \"inputSize\": 5000", ""),
                        400, "/problems/limit-exceeded", "task.inputSize"),
                Arguments.of("unknown task kind", job("\"kind\": \"poetry\"", ""), 400, "/problems/invalid-field", "task.kind"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badJobs")
    void badInputIsAProblemDetailAndWritesNothing(String what, String body, int status, String type, String field) {
        long jobs = count("jobs");
        long events = count("job_events");
        long keys = count("idempotency_keys");

        ResponseEntity<String> r = send(HttpMethod.POST, "/api/v1/jobs", body, Map.of("Idempotency-Key", "bad-" + what.hashCode()));

        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(status);
        assertThat(r.getHeaders().getContentType()).isNotNull()
                .matches(t -> t.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON), "application/problem+json");
        JsonNode problem = read(r);
        assertThat(problem.get("type").asText()).isEqualTo(type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
        if (field != null) {
            assertThat(problem.get("field").asText()).as(problem.toString()).isEqualTo(field);
        }
        if (type.equals("/problems/limit-exceeded")) {
            assertThat(problem.has("limit")).as(problem.toString()).isTrue();
        }
        assertThat(count("jobs")).isEqualTo(jobs);
        assertThat(count("job_events")).isEqualTo(events);
        assertThat(count("idempotency_keys")).isEqualTo(keys);
    }

    /** Found by OpenApiFuzzTest: Spring refuses a wildcard Content-Type with an IllegalArgumentException, which was a 500. */
    @ParameterizedTest
    @ValueSource(strings = {"*/*", "application/*"})
    void aWildcardContentTypeIs415AndWritesNothing(String contentType) throws Exception {
        long jobs = count("jobs");

        // java.net.http: Spring's own clients refuse to send a wildcard Content-Type
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/jobs"))
                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(SUM_JOB)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(415);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JsonNode problem = json.readTree(r.body());
        assertThat(problem.get("type").asText()).isEqualTo("/problems/bad-request");
        assertThat(problem.get("field").asText()).isEqualTo("Content-Type");
        assertThat(count("jobs")).isEqualTo(jobs);
    }

    @Test
    void aBodyOverTheSizeLimitIs413() {
        long jobs = count("jobs");
        String huge = job("\"expression\": \"a\", \"variables\": {\"a\": {\"train\": [1, 2]}}",
                ", \"name\": \"" + "x".repeat(1_100_000) + "\"");

        ResponseEntity<String> r = post("/api/v1/jobs", huge);

        assertThat(r.getStatusCode().value()).isEqualTo(413);
        assertThat(read(r).get("type").asText()).isEqualTo("/problems/request-too-large");
        assertThat(read(r).get("limit").asLong()).isEqualTo(1024 * 1024);
        assertThat(count("jobs")).isEqualTo(jobs);
    }

    /** The same a × b on 1e12-scale ranges that float32 cannot square is accepted in float64. */
    @Test
    void largeTargetsAreAcceptedInFloat64() {
        long id = submit(job("\"expression\": \"a * b\", \"variables\": {\"a\": {\"train\": [1e11, 1e12]}, \"b\": {\"train\": [1e11, 1e12]}}",
                ", \"training\": {\"precision\": \"float64\", \"steps\": 10, \"population\": 1}"));
        assertThat(getJson("/api/v1/jobs/" + id).at("/spec/training/precision").asText()).isEqualTo("float64");
    }

    @Test
    void theSameKeyAndBodyReplayTheJobAndADifferentBodyIsAConflict() {
        String key = "replay-" + System.nanoTime();
        String body = job("\"expression\": \"a - b\", " + VARS, ", \"training\": {\"steps\": 200, \"population\": 2, "
                + "\"evaluationRows\": 200}");
        String reformatted = "{ \"training\": {\"population\": 2, \"evaluationRows\": 200, \"steps\": 200},\n"
                + "  \"task\": {" + VARS + ", \"expression\": \"a - b\"} }";

        ResponseEntity<String> first = send(HttpMethod.POST, "/api/v1/jobs", body, Map.of("Idempotency-Key", key));
        long jobs = count("jobs");
        ResponseEntity<String> replay = send(HttpMethod.POST, "/api/v1/jobs", reformatted, Map.of("Idempotency-Key", key));
        ResponseEntity<String> conflict = send(HttpMethod.POST, "/api/v1/jobs", body.replace("a - b", "a + b"),
                Map.of("Idempotency-Key", key));

        assertThat(first.getStatusCode().value()).isEqualTo(202);
        assertThat(replay.getStatusCode().value()).isEqualTo(202);
        assertThat(replay.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.getHeaders().getLocation()).isEqualTo(first.getHeaders().getLocation());
        assertThat(read(replay).get("id").asLong()).isEqualTo(read(first).get("id").asLong());
        assertThat(conflict.getStatusCode().value()).isEqualTo(409);
        assertThat(read(conflict).get("type").asText()).isEqualTo("/problems/idempotency-key-reused");
        assertThat(count("jobs")).isEqualTo(jobs);
        awaitState(read(first).get("id").asLong(), "SUCCEEDED", java.time.Duration.ofSeconds(60));
    }

    /**
     * A key is remembered for nalu.jobs.idempotency-key-retention (24 h): the reconciler forgets one
     * stored 25 hours ago, after which the same key and body make a new job; a fresh key stays and
     * still replays. The first job itself is kept.
     */
    @Test
    void anExpiredKeyIsForgottenAndMakesANewJob() {
        String old = "expired-" + System.nanoTime();
        String fresh = "fresh-" + System.nanoTime();
        String body = job("\"expression\": \"a + b\", " + VARS, ", \"training\": {\"steps\": 100, \"population\": 2, "
                + "\"evaluationRows\": 100}");
        long first = read(send(HttpMethod.POST, "/api/v1/jobs", body, Map.of("Idempotency-Key", old))).get("id").asLong();
        long kept = read(send(HttpMethod.POST, "/api/v1/jobs", body, Map.of("Idempotency-Key", fresh))).get("id").asLong();
        // stored scoped to the caller: "<owner> <key>"
        jdbc.sql("UPDATE idempotency_keys SET created_at = ? WHERE idempotency_key LIKE ?")
                .params(JobStore.now().minusHours(25), "% " + old).update();

        assertThat(engine.expireIdempotencyKeys(store)).isEqualTo(1);

        ResponseEntity<String> again = send(HttpMethod.POST, "/api/v1/jobs", body, Map.of("Idempotency-Key", old));
        ResponseEntity<String> replay = send(HttpMethod.POST, "/api/v1/jobs", body, Map.of("Idempotency-Key", fresh));
        assertThat(again.getStatusCode().value()).isEqualTo(202);
        assertThat(again.getHeaders().getFirst("Idempotent-Replayed")).isNull();
        assertThat(read(again).get("id").asLong()).isNotIn(first, kept);
        assertThat(replay.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(read(replay).get("id").asLong()).isEqualTo(kept);
        assertThat(getJson("/api/v1/jobs/" + first).get("id").asLong()).isEqualTo(first);
        for (long id : new long[] {first, kept, read(again).get("id").asLong()}) {
            awaitState(id, "SUCCEEDED", java.time.Duration.ofSeconds(60));
        }
    }

    @Test
    void defaultsAreFilledInAndShown() {
        long id = submit("{\"task\": {\"expression\": \"a * b\", " + VARS + "}, \"training\": {\"steps\": 100, "
                + "\"population\": 2, \"evaluationRows\": 100}}");
        JsonNode job = getJson("/api/v1/jobs/" + id);

        assertThat(job.get("name").asText()).isEqualTo("a * b");
        assertThat(job.at("/spec/extrapolation").toString()).isEqualTo("[[[2.0,6.0]]]");
        assertThat(job.at("/spec/model/requested").asText()).isEqualTo("auto");
        assertThat(job.at("/spec/model/rule").asText()).isNotBlank();
        assertThat(job.at("/spec/training/batchSize").asInt()).isEqualTo(64);
        assertThat(job.at("/spec/training/optimizer").asText()).isEqualTo("adam");
        assertThat(job.at("/spec/training/seed").asLong()).isZero();
        awaitState(id, "SUCCEEDED", java.time.Duration.ofSeconds(60));
    }

    /** ?name= keeps the jobs whose name contains it, in any case; % and _ are matched as themselves. */
    @Test
    void jobsAreFilteredByName() {
        String job = """
                {"name": "%s", "task": {"expression": "a + b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [1, 2]}}},
                 "training": {"steps": 100, "population": 2}}""";
        long plain = submit(job.formatted("Name-Filter one"));
        long percent = submit(job.formatted("name-filter 100% two"));
        submit(job.formatted("name_filterX"));

        JsonNode both = getJson("/api/v1/jobs?name=NAME-FILTER");
        assertThat(both.get("total").asLong()).isEqualTo(2);
        assertThat(both.get("items").findValuesAsText("id")).containsExactly(Long.toString(percent), Long.toString(plain));
        JsonNode withPercent = read(http.getForEntity(URI.create("http://localhost:" + port + "/api/v1/jobs?name=100%25"),
                String.class));
        assertThat(withPercent.get("items").findValuesAsText("id")).containsExactly(Long.toString(percent));
        assertThat(getJson("/api/v1/jobs?name=e_f").get("total").asLong()).isEqualTo(1);
        assertThat(getJson("/api/v1/jobs?name=name-filter&state=CANCELLED").get("total").asLong()).isZero();
        ResponseEntity<String> tooLong = http.getForEntity("/api/v1/jobs?name=" + "x".repeat(201), String.class);
        assertThat(tooLong.getStatusCode().value()).isEqualTo(400);
        assertThat(read(tooLong).get("field").asText()).isEqualTo("name");
    }

    @Test
    void unknownJobsAre404AndBadQueriesAre400() {
        ResponseEntity<String> missing = http.getForEntity("/api/v1/jobs/999999", String.class);
        assertThat(missing.getStatusCode().value()).isEqualTo(404);
        assertThat(read(missing).get("type").asText()).isEqualTo("/problems/not-found");

        ResponseEntity<String> notANumber = http.getForEntity("/api/v1/jobs/abc", String.class);
        assertThat(notANumber.getStatusCode().value()).isEqualTo(400);
        assertThat(read(notANumber).get("type").asText()).isEqualTo("/problems/bad-request");

        ResponseEntity<String> badState = http.getForEntity("/api/v1/jobs?state=DONE", String.class);
        assertThat(badState.getStatusCode().value()).isEqualTo(400);
        assertThat(read(badState).get("field").asText()).isEqualTo("state");

        ResponseEntity<String> bigPage = http.getForEntity("/api/v1/jobs?size=1000", String.class);
        assertThat(bigPage.getStatusCode().value()).isEqualTo(400);
        assertThat(read(bigPage).get("limit").asInt()).isEqualTo(100);
    }
}
