package dev.nalu.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.nalu.ApiTestSupport;
import dev.nalu.TestKeys;

/** Refusals are problem details and write nothing (docs/api.md, "Errors"), also those outside the controllers. */
class ProblemAnswersTest extends ApiTestSupport {

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
