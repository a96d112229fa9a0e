package dev.nalu.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;

/**
 * The dashboard's sign-in through real HTTP: an API key for a session cookie (HttpOnly, SameSite=Strict), the
 * API answering that cookie with the key's role, a CSRF token required for its state-changing calls (never for
 * Bearer calls), sign-out and revocation ending the session, and the pages' security headers.
 */
class SessionApiTest extends ApiTestSupport {
    private static final Pattern META = Pattern.compile("name=\"_csrf\" content=\"([^\"]+)\"");
    private final HttpClient client = HttpClient.newHttpClient();

    /** A browser's cookie jar and the CSRF token of the last page it read. */
    private final class Browser {
        final Map<String, String> cookies = new LinkedHashMap<>();
        String csrf;

        HttpResponse<String> send(String method, String path, String contentType, String body, Map<String, String> headers) {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                r.header("Content-Type", contentType);
            }
            if (!cookies.isEmpty()) {
                r.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
            }
            headers.forEach(r::header);
            try {
                HttpResponse<String> response = client.send(r.build(), HttpResponse.BodyHandlers.ofString());
                for (String c : response.headers().allValues("Set-Cookie")) {
                    String pair = c.substring(0, c.indexOf(';'));
                    String name = pair.substring(0, pair.indexOf('='));
                    String value = pair.substring(pair.indexOf('=') + 1);
                    if (value.isEmpty()) {
                        cookies.remove(name);
                    } else {
                        cookies.put(name, value);
                    }
                }
                Matcher m = META.matcher(response.body());
                if (m.find()) {
                    csrf = m.group(1);
                }
                return response;
            } catch (IOException e) {
                throw new AssertionError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        HttpResponse<String> get(String path) {
            return send("GET", path, null, null, Map.of());
        }

        HttpResponse<String> signIn(String key) {
            get("/sign-in");
            return send("POST", "/sign-in", "application/x-www-form-urlencoded",
                    "key=" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8),
                    Map.of());
        }

        /** A JSON call of the dashboard's scripts: the session cookie and, unless told otherwise, the page's CSRF token. */
        HttpResponse<String> api(String method, String path, String json, boolean withCsrf) {
            return send(method, path, json == null ? null : "application/json", json,
                    withCsrf ? Map.of("X-CSRF-TOKEN", csrf) : Map.of());
        }
    }

    private Browser signedIn(String key) {
        Browser b = new Browser();
        HttpResponse<String> r = b.signIn(key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/jobs"));
        assertThat(b.get("/jobs").statusCode()).isEqualTo(200);
        return b;
    }

    @Test
    void aKeyIsExchangedForAnHttpOnlyStrictSessionThatTheApiAccepts() {
        Browser b = new Browser();
        HttpResponse<String> r = b.signIn(TEST_ADMIN);
        assertThat(r.statusCode()).isEqualTo(302);
        String session = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("NALU_SESSION=")).findFirst().orElseThrow();
        assertThat(session).contains("HttpOnly").contains("SameSite=Strict").doesNotContain("Secure");

        HttpResponse<String> jobs = b.api("GET", "/api/v1/jobs", null, false);
        assertThat(jobs.statusCode()).as(jobs.body()).isEqualTo(200);
        assertThat(read(jobs.body()).has("items")).isTrue();
    }

    @Test
    void aWrongKeyOrNoCsrfTokenMakesNoSession() {
        long sessions = count("spring_session");
        Browser wrong = new Browser();
        HttpResponse<String> r = wrong.signIn("nalu_not-a-key-0000000000000000000000000000000");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("This key is unknown or revoked.");
        assertThat(wrong.cookies).doesNotContainKey("NALU_SESSION");

        Browser forged = new Browser();
        r = forged.send("POST", "/sign-in", "application/x-www-form-urlencoded", "key=" + TEST_ADMIN, Map.of());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(read(r.body()).get("detail").asText()).contains("CSRF");
        assertThat(forged.cookies).doesNotContainKey("NALU_SESSION");
        assertThat(count("spring_session")).as("no session row").isEqualTo(sessions);
    }

    @Test
    void aSessionsStateChangingCallNeedsTheCsrfTokenABearerCallNever() {
        Browser b = signedIn(TEST_ADMIN);
        long jobs = count("jobs");
        HttpResponse<String> r = b.api("POST", "/api/v1/jobs", SUM_JOB, false);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(read(r.body()).get("type").asText()).isEqualTo("/problems/forbidden");
        assertThat(count("jobs")).isEqualTo(jobs);

        r = b.api("POST", "/api/v1/jobs", SUM_JOB, true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        long id = read(r.body()).get("id").asLong();
        awaitState(id, "SUCCEEDED", java.time.Duration.ofSeconds(60));

        // the same cookie with a Bearer header: the header decides, and no token is asked for
        r = b.send("DELETE", "/api/v1/jobs/" + id, null, null, Map.of("Authorization", "Bearer " + TEST_ADMIN));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }

    @Test
    void aReadKeysSessionHasTheReadRole() {
        long id = submit(SUM_JOB);
        Browser b = signedIn(newKey("read"));
        assertThat(b.api("GET", "/api/v1/jobs/" + id, null, false).statusCode()).isEqualTo(200);
        HttpResponse<String> r = b.api("POST", "/api/v1/jobs/" + id + "/cancel", null, true);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(read(r.body()).get("role").asText()).isEqualTo("train");
        assertThat(b.get("/jobs").body()).doesNotContain("href=\"/jobs/new\"");
    }

    @Test
    void signingOutEndsTheSession() {
        long before = count("spring_session");
        Browser b = signedIn(TEST_ADMIN);
        assertThat(count("spring_session")).as("the session is a row, which any replica reads").isEqualTo(before + 1);
        String cookie = b.cookies.get("NALU_SESSION");
        HttpResponse<String> r = b.send("POST", "/sign-out", "application/x-www-form-urlencoded",
                "_csrf=" + URLEncoder.encode(b.csrf, StandardCharsets.UTF_8), Map.of());
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(count("spring_session")).isEqualTo(before);
        Browser replay = new Browser();
        replay.cookies.put("NALU_SESSION", cookie);
        assertThat(replay.api("GET", "/api/v1/jobs", null, false).statusCode()).isEqualTo(401);
        assertThat(replay.get("/jobs").headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/sign-in"));
    }

    @Test
    void aRevokedKeyEndsItsSessionsAtTheNextRequest() {
        JsonNode key = read(post("/api/v1/keys", "{\"name\": \"revoked-in-session\", \"role\": \"train\"}"));
        Browser b = signedIn(key.get("key").asText());
        assertThat(b.api("GET", "/api/v1/jobs", null, false).statusCode()).isEqualTo(200);
        assertThat(send(org.springframework.http.HttpMethod.DELETE, "/api/v1/keys/" + key.get("id").asLong(), null, Map.of())
                .getStatusCode().value()).isEqualTo(204);
        assertThat(b.api("GET", "/api/v1/jobs", null, false).statusCode()).isEqualTo(401);
        assertThat(b.get("/jobs").statusCode()).isEqualTo(302);
    }

    @Test
    void pagesNeedASessionAndMayNotBeFramedOrRunInlineScripts() {
        HttpResponse<String> r = new Browser().get("/jobs");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/sign-in"));
        r = new Browser().get("/sign-in");
        assertThat(r.statusCode()).isEqualTo(200);
        String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(r.body()).doesNotContain("<script>").contains("name=\"_csrf\"");
    }

    @Test
    void thePagesAreNotInTheApiDescription() {
        List<String> paths = new java.util.ArrayList<>();
        getJson("/v3/api-docs").get("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).isNotEmpty().noneMatch(p -> p.equals("/") || p.startsWith("/sign-") || p.startsWith("/jobs")
                || p.startsWith("/models"));
    }

    private static final String TEST_ADMIN = dev.nalu.TestKeys.ADMIN;

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
