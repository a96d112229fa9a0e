package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;

/**
 * JSON never carries NaN or Infinity where a number belongs, not even as the strings "NaN" and
 * "Infinity": a diverging job reports null for what has no finite value, predict refuses a row whose
 * result is not finite (400 naming the row), evaluate answers null with a reason, and an expression
 * whose value is not finite is a 400.
 */
class FiniteNumbersApiTest extends ApiTestSupport {
    private static final Pattern NON_FINITE = Pattern.compile("NaN|Infinity");

    /** An MLP trained by plain SGD at the largest learning rate allowed: its members blow up at once, again and again. */
    private static final String DIVERGING = """
            {"name": "diverging", "task": {"expression": "a * b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [1, 2]}},
                                           "extrapolation": [[2, 6], [1e6, 1e7]]},
             "model": {"layers": [{"unit": "DENSE", "out": 8, "activation": "relu"}, {"unit": "DENSE", "out": 1}]},
             "training": {"steps": 200, "population": 4, "seed": 3, "learningRate": 10, "optimizer": "sgd",
                          "evaluateEvery": 100, "evaluationRows": 200}}""";

    /** y = 1e300 · (a + b): finite weights whose outputs overflow, or whose errors do, on ordinary inputs. */
    private static final String HUGE_DENSE = """
            {"format": "nalu-model/1", "name": "huge-dense",
             "task": {"kind": "expression", "expression": "a + b", "variables": {"a": [[1.0, 2.0]], "b": [[1.0, 2.0]]}},
             "architecture": {"inputs": 2, "layers": [{"unit": "DENSE", "out": 1, "activation": "none"}], "description": "DENSE(2→1)"},
             "weights": [{"unit": "DENSE", "in": 2, "out": 1, "tensors": [
                 {"name": "W", "shape": [2, 1], "values": [1e300, 1e300]}, {"name": "b", "shape": [1], "values": [0.0]}]}],
             "formula": {"exact": false}}""";

    @Test
    void aDivergingJobReportsNullWhereItHasNoFiniteNumber() {
        long id = submit(DIVERGING);
        JsonNode job = awaitState(id, "SUCCEEDED", Duration.ofSeconds(120));
        long model = job.get("modelId").asLong();

        List<String> bodies = new ArrayList<>();
        events(id, null, Duration.ofSeconds(30)).forEach(e -> bodies.add(e.data()));
        for (String path : List.of("/api/v1/jobs/" + id, "/api/v1/jobs/" + id + "/metrics", "/api/v1/jobs?size=100",
                "/api/v1/models/" + model, "/api/v1/models/" + model + "/export")) {
            bodies.add(http.getForEntity(path, String.class).getBody());
        }
        bodies.add(post("/api/v1/models/" + model + "/evaluate", "{\"ranges\": [[1, 2], [1e11, 1e12]], \"samples\": 100}")
                .getBody());

        assertThat(bodies).allSatisfy(body -> assertThat(body).doesNotContainPattern(NON_FINITE));
        JsonNode metrics = getJson("/api/v1/jobs/" + id + "/metrics");
        assertThat(metrics.get("progress")).as("the job diverged: some figure had no finite value")
                .anyMatch(p -> p.get("loss").isNull() || p.get("validationMse").isNull()
                        || p.findValues("mse").stream().anyMatch(JsonNode::isNull));
    }

    @Test
    void predictRefusesARowWhoseResultIsNotFinite() {
        long id = importModel(HUGE_DENSE);

        ResponseEntity<String> r = post("/api/v1/models/" + id + "/predict", "{\"inputs\": [[1, 2], [1e10, 1e10], [3, 4]]}");

        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(400);
        assertThat(read(r).get("type").asText()).isEqualTo("/problems/invalid-field");
        assertThat(read(r).get("field").asText()).isEqualTo("inputs[1]");
        assertThat(r.getBody()).doesNotContainPattern(NON_FINITE);
        ResponseEntity<String> fine = post("/api/v1/models/" + id + "/predict", "{\"inputs\": [[1, 2]]}");
        assertThat(fine.getStatusCode().value()).isEqualTo(200);
        assertThat(read(fine).at("/outputs/0").asDouble()).isEqualTo(3e300);
    }

    @Test
    void evaluateAnswersNullWithAReasonWhereErrorsAreNotFinite() {
        long id = importModel(HUGE_DENSE);

        ResponseEntity<String> r = post("/api/v1/models/" + id + "/evaluate",
                "{\"ranges\": [[1, 2], [1e10, 1e11]], \"samples\": 50}");

        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(200);
        assertThat(r.getBody()).doesNotContainPattern(NON_FINITE);
        JsonNode errorsOverflow = read(r).at("/results/0");
        assertThat(errorsOverflow.get("mse").isNull()).isTrue();
        assertThat(errorsOverflow.get("meanRelativeError").asDouble()).isPositive();
        assertThat(errorsOverflow.get("success").asBoolean()).isFalse();
        assertThat(errorsOverflow.get("reason").asText()).contains("float64");
        JsonNode outputsOverflow = read(r).at("/results/1");
        assertThat(outputsOverflow.get("mse").isNull()).isTrue();
        assertThat(outputsOverflow.get("maxRelativeError").isNull()).isTrue();
        assertThat(outputsOverflow.get("reason").asText()).contains("50 of the 50 samples");
    }

    @Test
    void anExpressionWhoseValueIsNotFiniteIsRefused() {
        ResponseEntity<String> exact = post("/api/v1/expressions/evaluate", "{\"expression\": \"1e200 * 1e200\"}");
        assertThat(exact.getStatusCode().value()).as(exact.getBody()).isEqualTo(400);
        assertThat(read(exact).get("field").asText()).isEqualTo("expression");
        assertThat(exact.getBody()).doesNotContainPattern(NON_FINITE);

        long id = importModel(HUGE_DENSE.replace("huge-dense", "huge-add"));
        send(HttpMethod.PATCH, "/api/v1/models/" + id, "{\"aliases\": [\"op:add\"]}", Map.of());
        ResponseEntity<String> learned = post("/api/v1/expressions/evaluate", "{\"expression\": \"1e10 + 1e10\"}");
        assertThat(learned.getStatusCode().value()).as(learned.getBody()).isEqualTo(400);
        assertThat(read(learned).get("field").asText()).isEqualTo("expression");
        assertThat(read(learned).get("operator").asText()).isEqualTo("add");
        assertThat(learned.getBody()).doesNotContainPattern(NON_FINITE);

        ResponseEntity<String> errors = post("/api/v1/expressions/evaluate", "{\"expression\": \"1 + 2\"}");
        assertThat(errors.getStatusCode().value()).as(errors.getBody()).isEqualTo(200);
        assertThat(read(errors).get("value").asDouble()).isEqualTo(3e300);
        assertThat(read(errors).get("relativeError").asDouble()).isPositive();
        assertThat(errors.getBody()).doesNotContainPattern(NON_FINITE);
    }

    private long importModel(String doc) {
        ResponseEntity<String> r = post("/api/v1/models", doc);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(201);
        return read(r).get("id").asLong();
    }
}
