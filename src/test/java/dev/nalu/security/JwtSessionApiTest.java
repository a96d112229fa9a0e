package dev.nalu.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.nalu.ApiTestSupport;

/**
 * Signing in to the dashboard with a JWT, when the service trusts an issuer (as in {@link JwtApiTest}): the sign-in
 * page asks for a key or a token, a valid token makes a session whose caller is the token's subject with its role,
 * and an expired, foreign or role-less token makes none (401 on the page). API keys still sign in.
 */
class JwtSessionApiTest extends ApiTestSupport {
    private static final Pattern META = Pattern.compile("name=\"_csrf\" content=\"([^\"]+)\"");

    @DynamicPropertySource
    static void trustTheIssuer(DynamicPropertyRegistry registry) {
        try {
            Path pem = Files.createTempFile("nalu-jwt", ".pem");
            Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(JwtApiTest.ISSUER.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> "file:" + pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A browser's cookies and the CSRF token of the last page it read; redirects are not followed. */
    private final class Browser {
        final HttpClient client = HttpClient.newHttpClient();
        final Map<String, String> cookies = new LinkedHashMap<>();
        String csrf;

        HttpResponse<String> send(String method, String path, String contentType, String body, String csrfHeader) {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                r.header("Content-Type", contentType);
            }
            if (csrfHeader != null) {
                r.header("X-CSRF-TOKEN", csrfHeader);
            }
            if (!cookies.isEmpty()) {
                r.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
            }
            try {
                HttpResponse<String> response = client.send(r.build(), HttpResponse.BodyHandlers.ofString());
                for (String c : response.headers().allValues("Set-Cookie")) {
                    String pair = c.substring(0, c.indexOf(';'));
                    String value = pair.substring(pair.indexOf('=') + 1);
                    if (value.isEmpty()) {
                        cookies.remove(pair.substring(0, pair.indexOf('=')));
                    } else {
                        cookies.put(pair.substring(0, pair.indexOf('=')), value);
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

        HttpResponse<String> signIn(String secret) {
            send("GET", "/sign-in", null, null, null);
            return send("POST", "/sign-in", "application/x-www-form-urlencoded", "key="
                    + URLEncoder.encode(secret, StandardCharsets.UTF_8) + "&_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8), null);
        }
    }

    @Test
    void aTokenSignsInWithItsSubjectAndRole() {
        Browser browser = new Browser();
        HttpResponse<String> page = browser.send("GET", "/sign-in", null, null, null);
        assertThat(page.body()).contains("API key or token (JWT)", "maxlength=\"8192\"", "nalu_role");

        HttpResponse<String> signedIn = browser.signIn(JwtApiTest.token(JwtApiTest.ISSUER, "alice", "train", Instant.now().plusSeconds(600)));
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElse("")).endsWith("/jobs");
        assertThat(browser.cookies).containsKey("NALU_SESSION");

        HttpResponse<String> jobs = browser.send("GET", "/jobs", null, null, null);
        assertThat(jobs.statusCode()).isEqualTo(200);
        assertThat(jobs.body()).contains("data-caller-id=\"jwt:alice\"", "data-role=\"train\"");
        HttpResponse<String> submitted = browser.send("POST", "/api/v1/jobs", "application/json", SUM_JOB, browser.csrf);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        long job = read(submitted.body()).get("id").asLong();
        assertThat(jdbc.sql("SELECT owner FROM jobs WHERE id = ?").param(job).query(String.class).single()).isEqualTo("jwt:alice");
        // the role is the token's: a train caller may not list keys
        assertThat(browser.send("GET", "/api/v1/keys", null, null, null).statusCode()).isEqualTo(403);

        browser.send("POST", "/sign-out", "application/x-www-form-urlencoded",
                "_csrf=" + URLEncoder.encode(browser.csrf, StandardCharsets.UTF_8), null);
        assertThat(browser.send("GET", "/api/v1/jobs", null, null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void anExpiredForeignOrRoleLessTokenMakesNoSession() {
        Instant later = Instant.now().plusSeconds(600);
        for (String token : new String[] {
                JwtApiTest.token(JwtApiTest.ISSUER, "alice", "train", Instant.now().minusSeconds(600)),
                JwtApiTest.token(JwtApiTest.STRANGER, "alice", "admin", later),
                JwtApiTest.token(JwtApiTest.ISSUER, "alice", null, later)}) {
            Browser browser = new Browser();
            HttpResponse<String> refused = browser.signIn(token);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("This token is not accepted");
            assertThat(browser.cookies).doesNotContainKey("NALU_SESSION");
            assertThat(browser.send("GET", "/api/v1/jobs", null, null, null).statusCode()).isEqualTo(401);
        }
        Browser withKey = new Browser();
        assertThat(withKey.signIn(newKey("read")).statusCode()).isEqualTo(302);
        assertThat(withKey.send("GET", "/api/v1/jobs", null, null, null).statusCode()).isEqualTo(200);
    }

    private com.fasterxml.jackson.databind.JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
