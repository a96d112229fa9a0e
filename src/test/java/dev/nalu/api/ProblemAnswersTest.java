package dev.nalu.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;
import dev.nalu.TestKeys;

/**
 * Refusals that never reach a controller are problem details too (docs/api.md, "Errors"). Each case was found by
 * {@link OpenApiFuzzTest}: Spring Boot's JSON error page, Tomcat's HTML page, or no body at all.
 */
class ProblemAnswersTest extends ApiTestSupport {

    @ParameterizedTest(name = "{0} with Accept: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # an Accept header that does not parse: Spring wrote an error without a body
            /api/v1/models/987654321       | garbage          | 406 | /problems/bad-request
            /api/v1/no-such-path           | garbage          | 404 | /problems/not-found
            # Spring Security's firewall: Spring Boot's error page, {"timestamp", "status", "error", "path"}
            /api/v1/jobs/%2e%2e            | application/json | 400 | /problems/bad-request
            /api/v1/jobs/..//cancel        | application/json | 400 | /problems/bad-request
            # Tomcat, before the service: its HTML error page
            /api/v1/jobs/%00               | application/json | 400 | /problems/bad-request
            /api/v1/models/..%2F           | application/json | 400 | /problems/bad-request
            # /error itself is no resource
            /error                         | application/json | 404 | /problems/not-found
            """)
    void refusalsOutsideTheControllersAreProblemDetails(String path, String accept, int status, String type) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + path))
                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).as(r.body()).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(r.body());
        assertThat(problem.path("type").asText()).isEqualTo(type);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).isNotBlank();
    }

    /**
     * A form body whose parameter name Spring Security's firewall refuses, sent to a JSON endpoint: the firewall
     * refuses it only when the body is read as a form, in the controller, where it was a 500.
     */
    @Test
    void aFormBodyTheFirewallRefusesIsA400AndWritesNothing() throws Exception {
        long before = count("api_keys");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/keys"))
                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN)).header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("na%00me=x&role=read")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json.readTree(r.body()).path("type").asText()).isEqualTo("/problems/bad-request");
        assertThat(count("api_keys")).isEqualTo(before);
    }

    /**
     * A client that cannot read JSON is refused before the request does anything. Found by OpenApiFuzzTest: the
     * key or the job was made, and only then could its answer not be written (406), so the client never learnt
     * the key's secret or the job's id.
     */
    @ParameterizedTest(name = "POST {0} with Accept: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /api/v1/jobs | jobs     | text/html
            /api/v1/jobs | jobs     | image/png
            /api/v1/keys | api_keys | text/html
            /api/v1/keys | api_keys | text/event-stream
            """)
    void anAnswerTheClientCannotAcceptIs406BeforeAnythingIsWritten(String path, String table, String accept) throws Exception {
        String body = path.endsWith("jobs") ? SUM_JOB : "{\"name\": \"unreadable\", \"role\": \"read\"}";
        long before = count(table);

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + path))
                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN)).header("Accept", accept)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(406);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(r.body()).path("type").asText()).isEqualTo("/problems/bad-request");
        assertThat(count(table)).isEqualTo(before);
    }
}
