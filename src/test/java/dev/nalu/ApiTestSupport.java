package dev.nalu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The service started on a random port with its own fresh database (an H2 file database in a temporary
 * directory; PostgreSQL for the {@link PostgresTest} subclasses), shared by the API test classes (one Spring
 * context per database), and helpers that talk real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // immediate shutdown: an event stream a test left open must not hold the JVM exit for 30 s
        properties = {"nalu.jobs.workers=2", "nalu.jobs.checkpoint-every=500", "nalu.jobs.heartbeat-interval=1s",
                "server.shutdown=immediate"})
@ContextConfiguration(initializers = TestDatabases.Initializer.class)
public abstract class ApiTestSupport {
    @Autowired
    protected TestRestTemplate http;
    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected ObjectMapper json;
    @LocalServerPort
    protected int port;

    /**
     * a + b on [1, 2] with one NAU layer: learns y = a + b in a couple of seconds. Early stop is off,
     * so it trains its whole budget and reports progress four times.
     */
    protected static final String SUM_JOB = """
            {"name": "sum", "task": {"expression": "a + b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [[1, 2]]}},
                      "extrapolation": [[2, 6], [10, 100]]},
             "model": {"layers": [{"unit": "NAU", "out": 1}]},
             "training": {"steps": 2000, "population": 4, "seed": 7, "evaluateEvery": 500, "evaluationRows": 1000,
                          "earlyStop": false}}""";

    /**
     * Every request of {@link #http} carries the admin key unless it sets its own Authorization header
     * ({@link #as(String)} for another key, an empty value for none).
     */
    @BeforeEach
    void authenticateAsAdmin() {
        var interceptors = http.getRestTemplate().getInterceptors();
        if (interceptors.stream().noneMatch(i -> i instanceof AdminKey)) {
            interceptors.add(new AdminKey());
        }
    }

    private static final class AdminKey implements ClientHttpRequestInterceptor {
        @Override
        public ClientHttpResponse intercept(org.springframework.http.HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
                throws IOException {
            String given = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
            if (given == null) {
                request.getHeaders().set(HttpHeaders.AUTHORIZATION, TestKeys.bearer(TestKeys.ADMIN));
            } else if (given.isEmpty()) {
                request.getHeaders().remove(HttpHeaders.AUTHORIZATION);
            }
            return execution.execute(request, body);
        }
    }

    /** Headers that send {@code key} instead of the admin key ("" sends none). */
    protected static Map<String, String> as(String key) {
        return Map.of(HttpHeaders.AUTHORIZATION, key.isEmpty() ? "" : TestKeys.bearer(key));
    }

    /** Makes an API key with {@code role} ("read", "train", "admin") and returns its secret. */
    protected String newKey(String role) {
        return newKey(role, "");
    }

    /** Makes an API key with {@code role} and extra JSON fields (e.g. {@code "\"maxActiveJobs\": 1"}). */
    protected String newKey(String role, String extraFields) {
        ResponseEntity<String> r = post("/api/v1/keys", "{\"name\": \"test-" + role + "\", \"role\": \"" + role + "\""
                + (extraFields.isEmpty() ? "" : ", " + extraFields) + "}");
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(201);
        return read(r).get("key").asText();
    }

    protected ResponseEntity<String> send(HttpMethod method, String path, String body, Map<String, String> headers) {
        HttpHeaders h = new HttpHeaders();
        h.setContentType(MediaType.APPLICATION_JSON);
        headers.forEach(h::set);
        return http.exchange(path, method, new HttpEntity<>(body, h), String.class);
    }

    protected ResponseEntity<String> post(String path, String body) {
        return send(HttpMethod.POST, path, body, Map.of());
    }

    protected JsonNode read(ResponseEntity<String> response) {
        try {
            return json.readTree(response.getBody());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
    }

    /** The response is a problem of {@code status} whose field starts with {@code fieldPrefix}. */
    protected void assertProblem(ResponseEntity<String> r, int status, String fieldPrefix) {
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(status);
        assertThat(read(r).get("field").asText()).as(r.getBody()).startsWith(fieldPrefix);
    }

    /** Submitting {@code body} is a 400 problem naming {@code field}, and no job is written. */
    protected ResponseEntity<String> assertJobRefused(String body, String field) {
        long jobs = count("jobs");
        ResponseEntity<String> r = post("/api/v1/jobs", body);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(400);
        assertThat(read(r).get("field").asText()).as(r.getBody()).isEqualTo(field);
        assertThat(count("jobs")).isEqualTo(jobs);
        return r;
    }

    /**
     * Imports an exported model document (a 201) and exports the copy: its task, architecture, weights and formula
     * are the original's bit for bit. Returns the copy's id.
     */
    protected long importsBitExact(JsonNode exported) {
        ResponseEntity<String> imported = post("/api/v1/models", exported.toString());
        assertThat(imported.getStatusCode().value()).as(imported.getBody()).isEqualTo(201);
        long copy = read(imported).get("id").asLong();
        JsonNode again = getJson("/api/v1/models/" + copy + "/export");
        for (String part : List.of("task", "architecture", "weights", "formula")) {
            assertThat(again.get(part)).as(part).isEqualTo(exported.get(part));
        }
        return copy;
    }

    protected JsonNode getJson(String path) {
        ResponseEntity<String> r = http.getForEntity(path, String.class);
        assertThat(r.getStatusCode().is2xxSuccessful()).as("GET %s: %s", path, r.getBody()).isTrue();
        return read(r);
    }

    protected long submit(String body) {
        ResponseEntity<String> r = post("/api/v1/jobs", body);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(202);
        return read(r).get("id").asLong();
    }

    /** Polls the job until it is in {@code state}; fails on any other final state. */
    protected JsonNode awaitState(long id, String state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job;
        do {
            job = getJson("/api/v1/jobs/" + id);
            String s = job.get("state").asText();
            if (s.equals(state)) {
                return job;
            }
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(s)) {
                throw new AssertionError("job " + id + " ended " + s + ", expected " + state + ": " + job);
            }
            sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("job " + id + " not " + state + " after " + timeout + ": " + job);
    }

    protected static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    protected long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    /** One server-sent event. */
    public record SseEvent(String id, String event, String data) {
    }

    /**
     * Parses a text/event-stream, handing each event to {@code each} until the stream ends or
     * {@code each} returns false. Comments (":heartbeat") are skipped.
     */
    public static void readEvents(java.io.InputStream body, Predicate<SseEvent> each) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String id = null;
        String event = null;
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if ((event != null || data.length() > 0) && !each.test(new SseEvent(id, event, data.toString()))) {
                    return;
                }
                id = null;
                event = null;
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = line.substring(3).strip();
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            }
        }
    }

    /** Reads the job's event stream until the server closes it (or the timeout). */
    protected List<SseEvent> events(long jobId, String lastEventId, Duration timeout) {
        return events(jobId, lastEventId, timeout, Integer.MAX_VALUE);
    }

    /** Reads the job's event stream until the server closes it, or until {@code max} events came (then hangs up). */
    protected List<SseEvent> events(long jobId, String lastEventId, Duration timeout, int max) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/api/v1/jobs/" + jobId + "/events"))
                    .header("Accept", "text/event-stream").header("Authorization", TestKeys.bearer(TestKeys.ADMIN))
                    .timeout(timeout);
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient()
                    .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            List<SseEvent> events = new ArrayList<>();
            try (java.io.InputStream body = response.body()) {
                readEvents(body, e -> {
                    events.add(e);
                    return events.size() < max;
                });
            }
            return events;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Opens the job's event stream with these extra headers and returns the response as it starts,
     * whatever its status, for a test that reads the events as they come (or holds the stream open).
     * Close its body to hang up. It sends the admin key unless {@code headers} carry an Authorization.
     */
    protected HttpResponse<java.io.InputStream> openEvents(long jobId, Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/api/v1/jobs/" + jobId + "/events"))
                    .header("Accept", "text/event-stream");
            if (!headers.containsKey(HttpHeaders.AUTHORIZATION)) {
                request.header(HttpHeaders.AUTHORIZATION, TestKeys.bearer(TestKeys.ADMIN));
            }
            headers.forEach(request::header);
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * A client that asks for the job's event stream over a raw socket with a receive buffer of about
     * {@code receiveBuffer} bytes and then reads only when the test does: a slow or stuck reader. It
     * speaks HTTP/1.0, so the body is the event stream itself (no chunks); read the response with
     * {@link #readEvents} after skipping the headers up to the first empty line.
     */
    protected java.net.Socket rawEvents(long jobId, int receiveBuffer) {
        try {
            java.net.Socket socket = new java.net.Socket();
            socket.setReceiveBufferSize(receiveBuffer);
            socket.connect(new java.net.InetSocketAddress("localhost", port));
            socket.getOutputStream().write(("GET /api/v1/jobs/" + jobId + "/events HTTP/1.0\r\n"
                    + "Host: localhost:" + port + "\r\nAccept: text/event-stream\r\nAuthorization: "
                    + TestKeys.bearer(TestKeys.ADMIN) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return socket;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
