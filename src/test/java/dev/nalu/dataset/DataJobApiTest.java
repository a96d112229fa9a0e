package dev.nalu.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;

/**
 * Jobs that learn a dataset's target column, through real HTTP: the split, the held-out dataset scored and reported,
 * the model predicting by column name and evaluated on a dataset, the content hash recorded, the refusals naming
 * their field, and a dataset that cannot be deleted while a job uses it.
 */
class DataJobApiTest extends ApiTestSupport {

    /** Rows of F = a + b − c with a, b, c from [lo, hi] (seeded), and a column d that F does not read. */
    static String rows(int n, double lo, double hi, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder("a,b,c,d,F\n");
        for (int i = 0; i < n; i++) {
            double a = rng.nextDouble(lo, hi);
            double b = rng.nextDouble(lo, hi);
            double c = rng.nextDouble(lo, hi);
            double d = rng.nextDouble(lo, hi);
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s%n", a, b, c, d, a + b - c));
        }
        return csv.toString();
    }

    long upload(String name, String csv) {
        ResponseEntity<String> r = send(HttpMethod.POST, "/api/v1/datasets?name=" + name, csv, DatasetApiTest.CSV);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(201);
        return read(r).get("id").asLong();
    }

    @Test
    void aJobLearnsTheFormulaBehindUploadedRowsAndIsScoredOnTheHeldOutOnes() {
        long train = upload("sums", rows(400, 1, 2, 1));
        long heldOut = upload("sums-far", rows(300, 2, 6, 2));
        String hash = getJson("/api/v1/datasets/" + train).get("contentHash").asText();

        long id = submit("""
                {"task": {"dataset": "%d", "target": "F", "inputs": ["a", "b", "c", "d"], "validationFraction": 0.25,
                          "extrapolation": {"dataset": "%d"}},
                 "model": {"layers": [{"unit": "NAU", "out": 1}]},
                 "training": {"steps": 3000, "population": 4, "seed": 3, "evaluateEvery": 500}}"""
                .formatted(train, heldOut));
        JsonNode job = awaitState(id, "SUCCEEDED", Duration.ofSeconds(90));
        JsonNode task = getJson("/api/v1/jobs/" + id).at("/spec/task");
        assertThat(task.get("kind").asText()).isEqualTo("dataset");
        assertThat(task.at("/data/contentHash").asText()).isEqualTo(hash);
        assertThat(task.at("/data/extrapolationDataset").asLong()).isEqualTo(heldOut);
        assertThat(job.get("name").asText()).isEqualTo("F from dataset " + train + " \"sums\"");

        JsonNode model = getJson("/api/v1/models/" + job.get("modelId").asLong());
        assertThat(model.get("variables")).hasToString("[\"a\",\"b\",\"c\",\"d\"]");
        assertThat(model.at("/formula/text").asText()).isEqualTo("y = a + b − c");
        assertThat(model.at("/formula/exact").asBoolean()).isTrue();
        assertThat(model.at("/metrics/trainingRows").asInt()).isEqualTo(300);
        assertThat(model.at("/metrics/validationRows").asInt()).isEqualTo(100);
        assertThat(model.at("/metrics/note").asText()).contains("held-out dataset " + heldOut);
        JsonNode far = model.at("/metrics/extrapolation/0");
        assertThat(far.get("dataset").asLong()).isEqualTo(heldOut);
        assertThat(far.get("formulaMaxRelativeError").asDouble()).isLessThan(1e-12);

        long modelId = model.get("id").asLong();
        JsonNode predicted = read(post("/api/v1/models/" + modelId + "/predict",
                "{\"inputs\": [{\"a\": 1000, \"b\": 24, \"c\": 0.5, \"d\": 7}]}"));
        assertThat(predicted.at("/outputs/0").asDouble()).isEqualTo(1023.5);

        JsonNode evaluated = read(post("/api/v1/models/" + modelId + "/evaluate", "{\"dataset\": \"" + heldOut + "\"}"));
        assertThat(evaluated.at("/results/0/dataset").asLong()).isEqualTo(heldOut);
        assertThat(evaluated.at("/results/0/samples").asInt()).isEqualTo(300);
        assertThat(evaluated.at("/results/0/maxRelativeError").asDouble()).isLessThan(1e-12);
        assertThat(evaluated.at("/results/0/threshold").isNull()).isTrue();

        ResponseEntity<String> onRanges = post("/api/v1/models/" + modelId + "/evaluate", "{\"ranges\": [2, 6]}");
        assertThat(onRanges.getStatusCode().value()).isEqualTo(400);
        assertThat(read(onRanges).get("detail").asText()).contains("learned from a dataset");
    }

    @Test
    void withoutAHeldOutDatasetTheModelSaysItIsOnlyKnownToReproduceTheRows() {
        long train = upload("plain", rows(200, 1, 2, 5));
        long id = submit("""
                {"task": {"dataset": %d, "target": "F"},
                 "model": {"layers": [{"unit": "NAU", "out": 1}]},
                 "training": {"steps": 1000, "population": 2, "seed": 1, "evaluateEvery": 500}}""".formatted(train));
        JsonNode job = awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
        JsonNode model = getJson("/api/v1/models/" + job.get("modelId").asLong());
        assertThat(model.at("/task/data/inputs")).hasToString("[\"a\",\"b\",\"c\",\"d\"]");
        assertThat(model.at("/metrics/validationRows").asInt()).isEqualTo(40);
        assertThat(model.at("/metrics/note").asText()).contains("only known to reproduce");
        assertThat(model.at("/metrics/extrapolation")).isEmpty();
    }

    @Test
    void aDataJobSearchesByDefaultAndStoresItsCandidates() {
        long train = upload("default", rows(200, 1, 2, 6));
        long id = submit("""
                {"task": {"dataset": "%d", "target": "F"}, "training": {"steps": 200, "evaluateEvery": 100}}"""
                .formatted(train));
        JsonNode model = getJson("/api/v1/jobs/" + id).at("/spec/model");
        assertThat(model.get("requested").asText()).isEqualTo("search");
        assertThat(model.get("candidates").size()).isGreaterThan(1);
        assertThat(model.at("/candidates/0/name").asText()).isEqualTo("NAU(4+1→1)");
        assertThat(getJson("/api/v1/jobs/" + id).at("/spec/training/population").asInt()).isEqualTo(64);
        awaitState(id, "SUCCEEDED", Duration.ofSeconds(90));
    }

    @Test
    void aDatasetCannotBeDeletedWhileAJobUsesItAndCanOnceItEnded() {
        long train = upload("busy", rows(100, 1, 2, 9));
        long id = submit("""
                {"task": {"dataset": "%d", "target": "F"},
                 "model": {"layers": [{"unit": "NAU", "out": 1}]},
                 "training": {"steps": 1000000, "population": 1, "evaluateEvery": 1000, "earlyStop": false}}"""
                .formatted(train));
        ResponseEntity<String> refused = send(HttpMethod.DELETE, "/api/v1/datasets/" + train, null, Map.of());
        assertThat(refused.getStatusCode().value()).isEqualTo(409);
        JsonNode problem = read(refused);
        assertThat(problem.get("type").asText()).isEqualTo("/problems/dataset-in-use");
        assertThat(problem.get("detail").asText()).contains("job " + id);
        assertThat(getJson("/api/v1/datasets/" + train).get("rows").asLong()).isEqualTo(100);

        assertThat(post("/api/v1/jobs/" + id + "/cancel", "").getStatusCode().is2xxSuccessful()).isTrue();
        awaitState(id, "CANCELLED", Duration.ofSeconds(60));
        assertThat(send(HttpMethod.DELETE, "/api/v1/datasets/" + train, null, Map.of()).getStatusCode().value())
                .isEqualTo(204);
    }

    @Test
    void refusalsNameTheirField() {
        long train = upload("fields", rows(20, 1, 2, 4));
        long one = upload("one-row", "a,F\n1,2\n");
        assertField("{\"dataset\": \"12345678\", \"target\": \"F\"}", "task.dataset", "no dataset 12345678");
        assertField("{\"dataset\": \"x1\", \"target\": \"F\"}", "task.dataset", "must be a dataset's id");
        assertField("{\"dataset\": %d}".formatted(train), "task.target", "one of the dataset's columns");
        assertField("{\"dataset\": %d, \"target\": \"G\"}".formatted(train), "task.target", "no column \"G\"");
        assertField("{\"dataset\": %d, \"target\": \"F\", \"inputs\": [\"a\", \"F\"]}".formatted(train),
                "task.inputs[1]", "is the target column");
        assertField("{\"dataset\": %d, \"target\": \"F\", \"inputs\": [\"a\", \"a\"]}".formatted(train),
                "task.inputs[1]", "twice");
        assertField("{\"dataset\": %d, \"target\": \"F\", \"validationFraction\": 1}".formatted(train),
                "task.validationFraction", "(0, 1)");
        assertField("{\"dataset\": %d, \"target\": \"F\", \"expression\": \"a\"}".formatted(train),
                "task.expression", "does not belong");
        assertField("{\"dataset\": %d, \"target\": \"F\", \"extrapolation\": [[2, 6]]}".formatted(train),
                "task.extrapolation", "held-out dataset");
        assertField("{\"dataset\": %d, \"target\": \"F\", \"extrapolation\": {\"dataset\": \"%d\"}}".formatted(train, one),
                "task.extrapolation.dataset", "no column \"b\"");
        assertField("{\"dataset\": %d, \"target\": \"F\", \"extrapolationDataset\": \"%d\"}".formatted(train, one),
                "task.extrapolationDataset", "no column \"b\"");
        assertField(("{\"dataset\": %d, \"target\": \"F\", \"extrapolationDataset\": \"%d\", "
                + "\"extrapolation\": {\"dataset\": \"%d\"}}").formatted(train, train, train),
                "task.extrapolationDataset", "not both");
        assertField("{\"dataset\": %d, \"target\": \"F\"}".formatted(one), "task.dataset", "at least 2");
        assertField("{\"expression\": \"a\", \"variables\": {\"a\": {\"train\": [1, 2]}}, \"extrapolation\": {\"dataset\": \"%d\"}}"
                .formatted(train), "task.extrapolation", "tests a dataset task");
        assertField("{\"expression\": \"a\", \"variables\": {\"a\": {\"train\": [1, 2]}}, \"target\": \"F\"}",
                "task.target", "does not belong");
    }

    private void assertField(String task, String field, String detail) {
        ResponseEntity<String> r = assertJobRefused("{\"task\": " + task + "}", field);
        assertThat(read(r).get("detail").asText()).contains(detail);
    }
}
