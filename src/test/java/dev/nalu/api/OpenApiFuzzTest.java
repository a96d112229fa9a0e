package dev.nalu.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.NumberUtils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.nalu.ApiTestSupport;
import dev.nalu.TestKeys;

/**
 * Fuzzes every operation of the service's own OpenAPI document ({@link OpenApiFuzzer}) over real HTTP, and
 * holds the service to what docs/api.md promises: no 5xx, every 4xx an RFC 9457 problem (under /v2 the Open
 * Inference Protocol's {"error": "…"}), nothing written
 * when a request is refused, and a service that is still ready at the end. The seed and the figures are printed
 * (docs/performance.md, "Fuzzing the API"); {@code -Dfuzz.seed=} and {@code -Dfuzz.requests=} change them.
 *
 * <p>Its own service and database (the properties below make a separate Spring context, closed afterwards): the
 * fuzzer relabels and deletes models and keys, which must not leak into the other API tests.
 *
 * <p>Tagged "fuzz" and left out of the default suite: about two minutes on two busy cores. Run it with
 * {@code ./mvnw -B -q test -Dgroups=fuzz -Dsurefire.excludedGroups=benchmark}.
 */
@Tag("fuzz")
// A job starts at the next poll (2 s) instead of at once, so a job the fuzzer submits is still queued when it is
// cancelled a few milliseconds later and never trains; the fixture job starts at that poll.
@TestPropertySource(properties = {"db-scheduler.immediate-execution-enabled=false", "nalu.jobs.cancel-check-interval=10ms"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class OpenApiFuzzTest extends ApiTestSupport {
    static final long SEED = Long.getLong("fuzz.seed", 20_261_129L);
    static final int REQUESTS = Integer.getInteger("fuzz.requests", 10_000);
    /** Failures printed in full; the rest are counted. */
    private static final int SHOWN = 20;
    /** Compared around every mutating request that is refused: the tables of docs/api.md's "nothing is written". */
    private static final String SNAPSHOT = """
            SELECT (SELECT COUNT(*) FROM jobs), (SELECT COUNT(*) FROM job_events), (SELECT COUNT(*) FROM models),
                   (SELECT COUNT(*) FROM model_tags), (SELECT COUNT(*) FROM model_aliases), (SELECT COUNT(*) FROM api_keys),
                   (SELECT COUNT(*) FROM idempotency_keys),
                   (SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NOT NULL),
                   (SELECT COUNT(*) FROM jobs WHERE cancel_requested)""";
    private static final List<String> SNAPSHOT_NAMES = List.of("jobs", "job_events", "models", "model_tags",
            "model_aliases", "api_keys", "idempotency_keys", "revoked api_keys", "jobs cancel_requested");
    private static final String JOBS = "POST /api/v1/jobs";
    private static final String REVOKE_KEY = "DELETE /api/v1/keys/{id}";

    @LocalManagementPort
    int managementPort;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** What the run saw: answers per operation and status class, mutations by kind, time, and the defects found. */
    private static final class Figures {
        final Map<String, long[]> byOperation = new TreeMap<>(); // [0..5]: answers per status class, [6]: nanoseconds
        final Map<String, Integer> byMutation = new TreeMap<>();
        final List<String> serverErrors = new ArrayList<>();
        final List<String> notProblems = new ArrayList<>();
        final List<String> undocumented = new ArrayList<>();
        final List<String> sideEffects = new ArrayList<>();
        long sent;
        long refusalsChecked;
        long revocationsSkipped;
        long jobsCancelled;
        long snapshotNanos;
        long cancelNanos;
        long slowestNanos;
        String slowest = "";
    }

    private JsonNode docs;

    @Test
    void everyOperationAnswersMutatedRequestsWithoutA5xxAndRefusalsWriteNothing() throws Exception {
        System.out.printf(Locale.ROOT, "fuzz: seed %d, %d requests (-Dfuzz.seed=%d -Dfuzz.requests=%d to repeat)%n",
                SEED, REQUESTS, SEED, REQUESTS);
        long adminKey = jdbc.sql("SELECT id FROM api_keys WHERE prefix = ?").param(TestKeys.ADMIN.substring(0, 12))
                .query(Long.class).single();
        fixtures();

        docs = json.readTree(http.getForObject("/v3/api-docs", String.class));
        OpenApiFuzzer fuzzer = new OpenApiFuzzer(docs, "/", new Random(SEED));
        assertThat(fuzzer.danglingRefs()).as("$refs of /v3/api-docs that point at nothing").isEmpty();
        assertThat(fuzzer.operations()).as("operations under /api/v1 and /v2").hasSizeGreaterThanOrEqualTo(29);
        // jobs the fuzzer submits stay short (and are cancelled at once below): a valid body never asks for a long run
        fuzzer.shape(JOBS, OpenApiFuzzTest::shortTraining);

        // every operation once as the document shapes it (lists first, so ids are known), then random ones
        List<OpenApiFuzzer.Operation> firstPass = fuzzer.operations().stream()
                .sorted((a, b) -> Integer.compare(a.path().length(), b.path().length())).toList();
        Figures f = new Figures();
        long start = System.nanoTime();
        while (f.sent < REQUESTS) {
            OpenApiFuzzer.Request r = f.sent < firstPass.size() ? fuzzer.request(firstPass.get((int) f.sent), true)
                    : fuzzer.next();
            if (r.operation().key().equals(REVOKE_KEY) && addresses(r.ids().get("id"), adminKey)) {
                f.revocationsSkipped++; // revoking the test's own key would turn the rest of the run into 401s
                continue;
            }
            f.sent++;
            fuzz(r, fuzzer, adminKey, f);
        }
        long elapsed = System.nanoTime() - start;

        print(f, elapsed);
        assertThat(f.serverErrors).as("5xx answers (%d), the first %d:%n%s", f.serverErrors.size(), SHOWN,
                String.join("\n\n", f.serverErrors.subList(0, Math.min(SHOWN, f.serverErrors.size())))).isEmpty();
        assertThat(f.notProblems).as("4xx answers that are not RFC 9457 problems (%d), the first %d:%n%s",
                f.notProblems.size(), SHOWN,
                String.join("\n\n", f.notProblems.subList(0, Math.min(SHOWN, f.notProblems.size())))).isEmpty();
        assertThat(f.undocumented).as("answers /v3/api-docs does not describe: a status the operation does not list, "
                        + "or a problem member the Problem schema lacks (%d), the first %d:%n%s", f.undocumented.size(), SHOWN,
                String.join("\n\n", f.undocumented.subList(0, Math.min(SHOWN, f.undocumented.size())))).isEmpty();
        assertThat(f.sideEffects).as("refused requests that changed the database (%d), the first %d:%n%s",
                f.sideEffects.size(), SHOWN,
                String.join("\n\n", f.sideEffects.subList(0, Math.min(SHOWN, f.sideEffects.size())))).isEmpty();
        assertThat(f.byOperation.keySet()).as("operations fuzzed")
                .containsAll(fuzzer.operations().stream().map(OpenApiFuzzer.Operation::key).toList());
        assertThat(adminKeyLive(adminKey)).as("the admin key is still live").isTrue();
        HttpResponse<String> ready = client.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + managementPort + "/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(json.readTree(ready.body()).path("status").asText()).isEqualTo("UP");
    }

    /** Sends one request and checks its answer: no 5xx, a 4xx is a problem and wrote nothing, a 2xx teaches the fuzzer. */
    private void fuzz(OpenApiFuzzer.Request r, OpenApiFuzzer fuzzer, long adminKey, Figures f) throws Exception {
        OpenApiFuzzer.Operation op = r.operation();
        for (String m : r.mutation().split(", ")) {
            f.byMutation.merge(kind(m), 1, Integer::sum);
        }
        long s0 = System.nanoTime();
        List<Long> before = op.mutating() ? snapshot() : null;
        long t0 = System.nanoTime();
        f.snapshotNanos += t0 - s0;
        HttpResponse<byte[]> response;
        try {
            response = send(r);
        } catch (IOException e) {
            f.serverErrors.add("no answer (" + e + ") to\n" + r.describe());
            return;
        }
        long nanos = System.nanoTime() - t0;
        long[] tally = f.byOperation.computeIfAbsent(op.key(), k -> new long[7]);
        int status = response.statusCode();
        tally[Math.min(status / 100, 5)]++;
        tally[6] += nanos;
        if (nanos > f.slowestNanos) {
            f.slowestNanos = nanos;
            f.slowest = r.describe();
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        String undocumented = undocumented(op, status, response, body);
        if (undocumented != null) {
            f.undocumented.add(status + " " + undocumented + ": " + OpenApiFuzzer.abbreviate(body, 300) + "\nfor " + r.describe());
        }

        if (status >= 500) {
            f.serverErrors.add(status + " " + OpenApiFuzzer.abbreviate(body, 300) + "\nfor " + r.describe());
        } else if (status >= 400) {
            String defect = op.path().startsWith("/v2") ? inferenceErrorDefect(response, body)
                    : problemDefect(response, body);
            if (defect != null) {
                f.notProblems.add(status + " " + defect + ": " + OpenApiFuzzer.abbreviate(body, 300) + "\nfor " + r.describe());
            }
            if (before != null) {
                f.refusalsChecked++;
                long a0 = System.nanoTime();
                List<Long> after = snapshot();
                f.snapshotNanos += System.nanoTime() - a0;
                if (!after.equals(before)) {
                    f.sideEffects.add(status + " changed " + changes(before, after) + "\nfor " + r.describe());
                }
            }
        } else if (status < 300) {
            JsonNode answer = jsonBody(response, body);
            fuzzer.learn(r, response.headers().firstValue("Location").orElse(null), answer);
            if (answer != null && op.path().startsWith("/api/v1/models")) {
                // the Open Inference Protocol addresses models by name: the names /api/v1 shows, so that /v2 reaches them
                Iterable<JsonNode> models = answer.has("items") ? answer.get("items") : List.of(answer);
                for (JsonNode m : models) {
                    if (m.path("name").isTextual()) {
                        fuzzer.remember("/v2/models", m.get("name").asText());
                    }
                }
            }
            if (op.key().equals(JOBS) && answer != null && answer.has("id")) {
                long c0 = System.nanoTime();
                cancelAndWait(answer.get("id").asLong());
                f.cancelNanos += System.nanoTime() - c0;
                f.jobsCancelled++;
            }
            if (op.key().equals(REVOKE_KEY)) {
                assertThat(adminKeyLive(adminKey)).as("the admin key after %s", r.describe()).isTrue();
            }
        }
    }

    /**
     * Things for the fuzzer's requests to find: a job that trained to the end (events, metrics, its model)
     * and two hand-made exact models tagged as operators for /expressions/evaluate.
     */
    private void fixtures() {
        long job = submit("""
                {"name": "fuzz-fixture", "task": {"expression": "a * b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [1, 2]}}},
                 "training": {"steps": 200, "population": 4, "evaluateEvery": 100, "evaluationRows": 500, "earlyStop": false}}""");
        awaitState(job, "SUCCEEDED", Duration.ofMinutes(2));
        for (String[] m : List.of(new String[] {"fuzz-mul", "a * b", "NMU", "[1.0, 1.0]",
                        "{\"text\": \"y = a × b\", \"exact\": true, \"tree\": {\"product\": {\"exponents\": [1.0, 1.0], "
                                + "\"factors\": [{\"input\": 0}, {\"input\": 1}], \"absolute\": false}}}", "op:mul"},
                new String[] {"fuzz-sub", "a - b", "NAU", "[1.0, -1.0]",
                        "{\"text\": \"y = a − b\", \"exact\": true, \"tree\": {\"sum\": {\"coefficients\": [1, -1], "
                                + "\"terms\": [{\"input\": 0}, {\"input\": 1}]}}}", "op:sub"})) {
            String doc = """
                    {"format": "nalu-model/1", "name": "%s",
                     "task": {"kind": "expression", "expression": "%s", "variables": {"a": [[1.0, 2.0]], "b": [[1.0, 2.0]]}},
                     "architecture": {"inputs": 2, "layers": [{"unit": "%s", "out": 1}], "description": "%s(2→1)"},
                     "weights": [{"unit": "%s", "in": 2, "out": 1, "tensors": [{"name": "W", "shape": [2, 1], "values": %s}]}],
                     "formula": %s, "tags": ["%s"]}""".formatted(m[0], m[1], m[2], m[2], m[2], m[3], m[4], m[5]);
            assertThat(post("/api/v1/models", doc).getStatusCode().value()).isEqualTo(201);
        }
    }

    /** training.steps ≤ 200 and population ≤ 4 in a job body, set where missing (a preset's defaults are long). */
    private static JsonNode shortTraining(JsonNode body) {
        if (body instanceof ObjectNode job) {
            JsonNode t = job.get("training");
            ObjectNode training = t instanceof ObjectNode o ? o : job.putObject("training");
            long steps = training.path("steps").asLong(200);
            training.put("steps", steps >= 1 && steps <= 200 ? steps : 200);
            long population = training.path("population").asLong(4);
            training.put("population", population >= 1 && population <= 4 ? population : 4);
        }
        return body;
    }

    private HttpResponse<byte[]> send(OpenApiFuzzer.Request r) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + r.target()))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                .method(r.operation().method(), r.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        r.headers().forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * What of the answer the document does not describe (a status the operation does not list; a problem member the
     * Problem schema has not), or null: a generated client must be able to read every answer it can get.
     */
    private String undocumented(OpenApiFuzzer.Operation op, int status, HttpResponse<byte[]> response, String body) {
        JsonNode responses = docs.path("paths").path(op.path()).path(op.method().toLowerCase(Locale.ROOT)).path("responses");
        if (!responses.has(Integer.toString(status))) {
            return "is not a documented status of " + op.key();
        }
        JsonNode problem = status >= 400 ? jsonBody(response, body) : null;
        if (problem != null && problem.isObject()) {
            // under /v2 the Open Inference Protocol's error object, elsewhere a problem
            JsonNode members = docs.at("/components/schemas/" + (op.path().startsWith("/v2") ? "InferenceError" : "Problem")
                    + "/properties");
            for (var names = problem.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!members.has(name)) {
                    return "has the member '" + name + "', which its error schema lacks";
                }
            }
        }
        return null;
    }

    /** Why the answer is not an RFC 9457 problem with type, title and its own status, or null if it is one. */
    private String problemDefect(HttpResponse<byte[]> response, String body) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        try {
            if (!MediaType.parseMediaType(type).isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)) {
                return "Content-Type is '" + type + "'";
            }
        } catch (InvalidMediaTypeException e) {
            return "Content-Type is '" + type + "'";
        }
        JsonNode p = jsonBody(response, body);
        if (p == null || !p.path("type").isTextual() || !p.path("title").isTextual()
                || p.path("status").asInt() != response.statusCode()) {
            return "no type, title and status";
        }
        return null;
    }

    /** Why the answer is not the Open Inference Protocol's {"error": "…"} as application/json, or null if it is. */
    private String inferenceErrorDefect(HttpResponse<byte[]> response, String body) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/json")) {
            return "Content-Type is '" + type + "'";
        }
        JsonNode e = jsonBody(response, body);
        return e != null && e.size() == 1 && e.path("error").isTextual() ? null : "not {\"error\": \"…\"}";
    }

    private JsonNode jsonBody(HttpResponse<byte[]> response, String body) {
        if (body.isEmpty() || !response.headers().firstValue("Content-Type").orElse("").contains("json")) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** "wrong type at training.steps" and "wrong type as body" are "wrong type"; "path:id" is "path parameter". */
    static String kind(String mutation) {
        if (mutation.startsWith("missing ")) {
            return "missing field";
        }
        if (mutation.matches("(path|query|header):.*")) {
            return mutation.substring(0, mutation.indexOf(':')) + " parameter";
        }
        return mutation.replaceAll(" (at|as) .*", "");
    }

    private List<Long> snapshot() {
        return jdbc.sql(SNAPSHOT).query((rs, n) -> {
            List<Long> counts = new ArrayList<>();
            for (int i = 1; i <= SNAPSHOT_NAMES.size(); i++) {
                counts.add(rs.getLong(i));
            }
            return counts;
        }).single();
    }

    private static String changes(List<Long> before, List<Long> after) {
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).equals(after.get(i))) {
                changed.add(SNAPSHOT_NAMES.get(i) + " " + before.get(i) + " → " + after.get(i));
            }
        }
        return String.join(", ", changed);
    }

    /**
     * Whether a path id reaches key {@code id} the way Spring reads a long from the path: percent-decoded,
     * trimmed, in decimal, hex or with a sign, in any script's digits.
     */
    static boolean addresses(String pathId, long id) {
        try {
            String decoded = URLDecoder.decode(pathId.replace("+", "%2B"), StandardCharsets.UTF_8);
            return NumberUtils.parseNumber(decoded.strip(), Long.class) == id;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private boolean adminKeyLive(long id) {
        return jdbc.sql("SELECT COUNT(*) FROM api_keys WHERE id = ? AND revoked_at IS NULL").param(id)
                .query(Long.class).single() == 1;
    }

    /** Cancels a job the fuzzer made and waits until it has stopped, so no training runs behind the next request. */
    private void cancelAndWait(long id) throws IOException, InterruptedException {
        client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/jobs/" + id + "/cancel"))
                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(
                jdbc.sql("SELECT state FROM jobs WHERE id = ?").param(id).query(String.class).single())) {
            assertThat(System.nanoTime()).as("job %d still runs a minute after its cancel", id).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static void print(Figures f, long elapsed) {
        long[] total = new long[7];
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-36s %6s %6s %6s %5s %7s%n", "operation", "sent", "2xx", "4xx", "5xx", "ms/req"));
        f.byOperation.forEach((op, t) -> {
            long sent = 0;
            for (int c = 0; c < 6; c++) {
                total[c] += t[c];
                sent += t[c];
            }
            b.append(String.format(Locale.ROOT, "%-36s %6d %6d %6d %5d %7.1f%n", op, sent, t[2], t[4], t[5],
                    t[6] / 1e6 / Math.max(1, sent)));
        });
        b.append(String.format(Locale.ROOT, "%-36s %6d %6d %6d %5d%n", "all", f.sent, total[2], total[4], total[5]));
        b.append(String.format(Locale.ROOT, "other answers: 1xx %d, 3xx %d, none %d%n", total[1], total[3],
                f.sent - total[1] - total[2] - total[3] - total[4] - total[5]));
        b.append("mutations (a request carries up to three): ");
        f.byMutation.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue())
                .forEach(e -> b.append(e.getKey()).append(' ').append(e.getValue()).append(", "));
        b.setLength(b.length() - 2);
        b.append(String.format(Locale.ROOT, "%nseed %d: %d requests in %.1f s (%.0f/s); %d refusals of mutating requests "
                        + "checked for writes; %d jobs made and cancelled; %d revocations of the admin key skipped%n",
                SEED, f.sent, elapsed / 1e9, f.sent / (elapsed / 1e9), f.refusalsChecked, f.jobsCancelled,
                f.revocationsSkipped));
        b.append(String.format(Locale.ROOT, "time: %.1f s in snapshots, %.1f s cancelling jobs; slowest request %.0f ms:%n%s%n",
                f.snapshotNanos / 1e9, f.cancelNanos / 1e9, f.slowestNanos / 1e6, f.slowest));
        System.out.print(b);
    }
}
