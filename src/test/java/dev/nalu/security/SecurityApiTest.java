package dev.nalu.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;

/**
 * Who may call what, through real HTTP: a role × operation matrix over every operation of the OpenAPI
 * document, key creation and revocation, ownership, and the quotas.
 */
class SecurityApiTest extends ApiTestSupport {

    /** The smallest role each documented operation needs. A new operation fails the matrix until it is listed here. */
    static final Map<String, Role> NEEDS = new LinkedHashMap<>();

    static {
        NEEDS.put("GET /api/v1/jobs", Role.READ);
        NEEDS.put("POST /api/v1/jobs", Role.TRAIN);
        NEEDS.put("GET /api/v1/jobs/{id}", Role.READ);
        NEEDS.put("DELETE /api/v1/jobs/{id}", Role.TRAIN);
        NEEDS.put("POST /api/v1/jobs/{id}/cancel", Role.TRAIN);
        NEEDS.put("GET /api/v1/jobs/{id}/events", Role.READ);
        NEEDS.put("GET /api/v1/jobs/{id}/metrics", Role.READ);
        NEEDS.put("GET /api/v1/jobs/{id}/history", Role.READ);
        NEEDS.put("GET /api/v1/models", Role.READ);
        NEEDS.put("POST /api/v1/models", Role.ADMIN);
        NEEDS.put("GET /api/v1/models/{id}", Role.READ);
        NEEDS.put("PATCH /api/v1/models/{id}", Role.ADMIN);
        NEEDS.put("DELETE /api/v1/models/{id}", Role.TRAIN);
        NEEDS.put("GET /api/v1/models/{id}/export", Role.READ);
        NEEDS.put("GET /api/v1/models/{id}/formula", Role.READ);
        NEEDS.put("POST /api/v1/models/{id}/predict", Role.READ);
        NEEDS.put("POST /api/v1/models/{id}/evaluate", Role.READ);
        NEEDS.put("POST /api/v1/expressions/evaluate", Role.READ);
        NEEDS.put("GET /api/v1/presets", Role.READ);
        NEEDS.put("GET /api/v1/presets/{name}", Role.READ);
        NEEDS.put("GET /api/v1/keys", Role.ADMIN);
        NEEDS.put("POST /api/v1/keys", Role.ADMIN);
        NEEDS.put("GET /api/v1/keys/{id}", Role.ADMIN);
        NEEDS.put("DELETE /api/v1/keys/{id}", Role.ADMIN);
        NEEDS.put("POST /api/v1/datasets", Role.TRAIN);
        NEEDS.put("GET /api/v1/datasets", Role.READ);
        NEEDS.put("GET /api/v1/datasets/{id}", Role.READ);
        NEEDS.put("GET /api/v1/datasets/{id}/csv", Role.READ);
        NEEDS.put("DELETE /api/v1/datasets/{id}", Role.TRAIN);
        NEEDS.put("GET /v2", Role.READ);
        NEEDS.put("GET /v2/health/live", Role.READ);
        NEEDS.put("GET /v2/health/ready", Role.READ);
        NEEDS.put("GET /v2/models/{name}", Role.READ);
        NEEDS.put("GET /v2/models/{name}/ready", Role.READ);
        NEEDS.put("POST /v2/models/{name}/infer", Role.READ);
        NEEDS.put("GET /v2/models/{name}/versions/{version}", Role.READ);
        NEEDS.put("GET /v2/models/{name}/versions/{version}/ready", Role.READ);
        NEEDS.put("POST /v2/models/{name}/versions/{version}/infer", Role.READ);
    }

    private List<String> documentedOperations() {
        List<String> ops = new ArrayList<>();
        JsonNode paths = getJson("/v3/api-docs").get("paths");
        for (Iterator<Map.Entry<String, JsonNode>> p = paths.fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> path = p.next();
            path.getValue().fieldNames().forEachRemaining(method -> ops.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey()));
        }
        return ops;
    }

    @Test
    void everyDocumentedOperationIsInTheMatrix() {
        assertThat(new TreeSet<>(documentedOperations())).isEqualTo(new TreeSet<>(NEEDS.keySet()));
    }

    /**
     * Every operation with no key, a revoked key, and each role: 401 (with WWW-Authenticate: Bearer and a
     * problem) without a live key, 403 (a problem naming the role needed) below the operation's role, and
     * neither at or above it. Ids that do not exist keep the allowed calls from changing anything.
     */
    @Test
    void roleByOperationMatrix() {
        Map<Role, String> keys = new LinkedHashMap<>();
        for (Role role : Role.values()) {
            keys.put(role, newKey(role.json()));
        }
        String revoked = newKey("admin");
        revoke(revoked);

        for (String op : documentedOperations()) {
            Role needed = NEEDS.get(op);
            HttpMethod method = HttpMethod.valueOf(op.substring(0, op.indexOf(' ')));
            String path = op.substring(op.indexOf(' ') + 1).replace("{id}", "999999").replace("{name}", "no-such-preset")
                    .replace("{version}", "1");
            String body = method == HttpMethod.GET || method == HttpMethod.DELETE ? null : "{}";

            for (String key : new String[] {"", revoked, "nalu_not-a-key-at-all-0000000000000000000000000"}) {
                ResponseEntity<String> r = send(method, path, body, as(key));
                assertThat(r.getStatusCode().value()).as("%s with key '%s': %s", op, key, r.getBody()).isEqualTo(401);
                assertThat(r.getHeaders().getFirst("WWW-Authenticate")).as(op).startsWith("Bearer");
                JsonNode refusal = read(r);
                if (path.startsWith("/v2")) { // the Open Inference Protocol's {"error": "…"}, not a problem
                    assertThat(refusal.size()).as("%s: %s", op, r.getBody()).isEqualTo(1);
                    assertThat(refusal.path("error").asText()).as(op).containsAnyOf("needs an API key", "was refused");
                } else {
                    assertThat(refusal.get("type").asText()).isEqualTo("/problems/unauthorized");
                }
            }
            for (Map.Entry<Role, String> key : keys.entrySet()) {
                ResponseEntity<String> r = send(method, path, body, as(key.getValue()));
                int status = r.getStatusCode().value();
                if (key.getKey().includes(needed)) {
                    assertThat(status).as("%s as %s: %s", op, key.getKey(), r.getBody()).isNotIn(401, 403, 429).isLessThan(500);
                } else {
                    assertThat(status).as("%s as %s: %s", op, key.getKey(), r.getBody()).isEqualTo(403);
                    JsonNode problem = read(r);
                    assertThat(problem.get("type").asText()).isEqualTo("/problems/forbidden");
                    assertThat(problem.get("role").asText()).as(op).isEqualTo(needed.json());
                }
            }
        }
    }

    private void revoke(String secret) {
        for (JsonNode k : getJson("/api/v1/keys?size=100").get("items")) {
            if (secret.startsWith(k.get("prefix").asText()) && (k.path("revokedAt").isNull() || k.path("revokedAt").isMissingNode())) {
                ResponseEntity<String> r = send(HttpMethod.DELETE, "/api/v1/keys/" + k.get("id").asLong(), null, Map.of());
                assertThat(r.getStatusCode().value()).isEqualTo(204);
            }
        }
    }

    @Test
    void aKeyIsShownOnceStoredAsAHashAndRefusedAtOnceWhenRevoked() {
        ResponseEntity<String> created = post("/api/v1/keys", "{\"name\": \"ci\", \"role\": \"read\"}");
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        assertThat(created.getHeaders().getLocation()).isNotNull();
        JsonNode body = read(created);
        String secret = body.get("key").asText();
        long id = body.get("id").asLong();
        assertThat(secret).startsWith("nalu_").hasSize(48).startsWith(body.get("prefix").asText());
        assertThat(body.get("role").asText()).isEqualTo("read");

        String listed = send(HttpMethod.GET, "/api/v1/keys?size=100", null, Map.of()).getBody();
        assertThat(listed).contains("\"name\":\"ci\"").doesNotContain(secret);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM api_keys WHERE hash = ?").param(ApiKeys.hash(secret)).query(Long.class).single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM api_keys WHERE hash = ? OR prefix = ?").params(secret, secret)
                .query(Long.class).single()).as("the secret itself is nowhere").isZero();

        assertThat(send(HttpMethod.GET, "/api/v1/presets", null, as(secret)).getStatusCode().value()).isEqualTo(200);
        assertThat(send(HttpMethod.DELETE, "/api/v1/keys/" + id, null, Map.of()).getStatusCode().value()).isEqualTo(204);
        assertThat(send(HttpMethod.GET, "/api/v1/presets", null, as(secret)).getStatusCode().value()).isEqualTo(401);
        assertThat(send(HttpMethod.DELETE, "/api/v1/keys/" + id, null, Map.of()).getStatusCode().value())
                .as("revoking twice is fine").isEqualTo(204);
        assertThat(getJson("/api/v1/keys/" + id).get("revokedAt").isNull()).isFalse();
    }

    @Test
    void aBadKeyRequestIsA400NamingTheField() {
        ResponseEntity<String> r = post("/api/v1/keys", "{\"name\": \"x\", \"role\": \"root\"}");
        assertThat(r.getStatusCode().value()).isEqualTo(400);
        assertThat(read(r).get("field").asText()).isEqualTo("role");
        r = post("/api/v1/keys", "{\"name\": \"\", \"role\": \"read\"}");
        assertThat(r.getStatusCode().value()).isEqualTo(400);
        assertThat(read(r).get("field").asText()).isEqualTo("name");
    }

    @Test
    void aTrainKeyChangesOnlyItsOwnJobsAndModels() {
        String alice = newKey("train");
        String bob = newKey("train");
        ResponseEntity<String> submitted = send(HttpMethod.POST, "/api/v1/jobs", SUM_JOB, as(alice));
        assertThat(submitted.getStatusCode().value()).as(submitted.getBody()).isEqualTo(202);
        long job = read(submitted).get("id").asLong();
        JsonNode done = awaitState(job, "SUCCEEDED", Duration.ofSeconds(90));
        assertThat(done.get("owner").asText()).startsWith("key:");
        long model = done.get("modelId").asLong();

        assertThat(send(HttpMethod.POST, "/api/v1/jobs/" + job + "/cancel", null, as(bob)).getStatusCode().value()).isEqualTo(403);
        assertThat(send(HttpMethod.DELETE, "/api/v1/models/" + model, null, as(bob)).getStatusCode().value()).isEqualTo(403);
        assertThat(send(HttpMethod.DELETE, "/api/v1/jobs/" + job, null, as(bob)).getStatusCode().value()).isEqualTo(403);
        assertThat(send(HttpMethod.GET, "/api/v1/models/" + model, null, as(bob)).getStatusCode().value())
                .as("everyone may read").isEqualTo(200);

        assertThat(send(HttpMethod.DELETE, "/api/v1/models/" + model, null, as(alice)).getStatusCode().value()).isEqualTo(204);
        assertThat(send(HttpMethod.DELETE, "/api/v1/jobs/" + job, null, as(alice)).getStatusCode().value()).isEqualTo(204);
    }

    @Test
    void anIdempotencyKeyIsTheCallersOwn() {
        String alice = newKey("train");
        String bob = newKey("train");
        Map<String, String> a = new LinkedHashMap<>(as(alice));
        a.put("Idempotency-Key", "same-key");
        Map<String, String> b = new LinkedHashMap<>(as(bob));
        b.put("Idempotency-Key", "same-key");
        String body = "{\"task\": {\"expression\": \"a + b\", \"variables\": {\"a\": {\"train\": [1, 2]}, \"b\": {\"train\": [1, 2]}}},"
                + " \"training\": {\"steps\": 100, \"population\": 2, \"evaluationRows\": 100}}";
        ResponseEntity<String> first = send(HttpMethod.POST, "/api/v1/jobs", body, a);
        ResponseEntity<String> other = send(HttpMethod.POST, "/api/v1/jobs", body, b);
        assertThat(other.getHeaders().getFirst("Idempotent-Replayed")).isNull();
        assertThat(read(other).get("id").asLong()).isNotEqualTo(read(first).get("id").asLong());
    }

    @Test
    void overTheActiveJobQuotaA429WithRetryAfterAndNothingWritten() {
        String key = newKey("train", "\"maxActiveJobs\": 1");
        String slow = SUM_JOB.replace("\"steps\": 2000", "\"steps\": 200000").replace("\"evaluateEvery\": 500", "\"evaluateEvery\": 50000");
        ResponseEntity<String> first = send(HttpMethod.POST, "/api/v1/jobs", slow, as(key));
        assertThat(first.getStatusCode().value()).as(first.getBody()).isEqualTo(202);
        long jobs = count("jobs");

        ResponseEntity<String> second = send(HttpMethod.POST, "/api/v1/jobs", SUM_JOB, as(key));
        assertThat(second.getStatusCode().value()).as(second.getBody()).isEqualTo(429);
        assertThat(second.getHeaders().getFirst("Retry-After")).isNotBlank();
        assertThat(read(second).get("type").asText()).isEqualTo("/problems/quota-exceeded");
        assertThat(read(second).get("quota").asText()).isEqualTo("activeJobs");
        assertThat(count("jobs")).isEqualTo(jobs);

        long id = read(first).get("id").asLong();
        send(HttpMethod.POST, "/api/v1/jobs/" + id + "/cancel", null, as(key));
        awaitState(id, "CANCELLED", Duration.ofSeconds(60));
        assertThat(send(HttpMethod.POST, "/api/v1/jobs", SUM_JOB, as(key)).getStatusCode().value()).isEqualTo(202);
    }

    @Test
    void overTheMemberStepQuotaA422NamingIt() {
        String key = newKey("train", "\"maxMemberSteps\": 1000");
        ResponseEntity<String> r = send(HttpMethod.POST, "/api/v1/jobs", SUM_JOB, as(key));
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(422);
        JsonNode p = read(r);
        assertThat(p.get("quota").asText()).isEqualTo("memberStepsPerJob");
        assertThat(p.get("limit").asLong()).isEqualTo(1000);
        assertThat(p.get("detail").asText()).contains("8,000 member-steps");
    }

    @Test
    void overTheRequestRateA429WithRetryAfterAndRateLimitHeaders() {
        String key = newKey("read", "\"requestsPerSecond\": 1");
        List<ResponseEntity<String>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(send(HttpMethod.GET, "/api/v1/presets", null, as(key)));
        }
        assertThat(answers.get(0).getStatusCode().value()).isEqualTo(200);
        assertThat(answers.get(0).getHeaders().getFirst("RateLimit-Limit")).isEqualTo("1");
        ResponseEntity<String> refused = answers.get(3);
        assertThat(refused.getStatusCode().value()).isEqualTo(429);
        assertThat(Integer.parseInt(refused.getHeaders().getFirst("Retry-After"))).isBetween(1, 2);
        assertThat(refused.getHeaders().getFirst("RateLimit-Remaining")).isEqualTo("0");
        assertThat(read(refused).get("quota").asText()).isEqualTo("requestsPerSecond");
        sleep(1100);
        assertThat(send(HttpMethod.GET, "/api/v1/presets", null, as(key)).getStatusCode().value()).isEqualTo(200);
    }
}
