package dev.nalu.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;

/**
 * Evaluate, predict and import against their budgets through HTTP. The evaluate and predict budgets
 * are set small here (64 MB, 1 MB): derived from the heap they grow with the machine, and the largest
 * request the per-field limits allow (100,000 samples × 1,000 inputs, 796 MB) is over the default only
 * on a heap below 6.2 GB.
 */
@TestPropertySource(properties = {"nalu.limits.max-evaluate-bytes=64MB", "nalu.limits.max-predict-bytes=1MB"})
class ModelBudgetTest extends ApiTestSupport {
    private long wide;

    /** y = x0 + … + x999 as one NAU(1000→1): 1,000 inputs, the most a model may have. */
    static String wideModel(int inputSize, int weights) {
        String values = IntStream.range(0, weights).mapToObj(i -> "1.0").collect(Collectors.joining(", ", "[", "]"));
        return """
                {"format": "nalu-model/1", "name": "wide-sum",
                 "task": {"kind": "arithmetic", "op": "add", "inputSize": %d, "subsetRatio": 0.25, "overlapRatio": 0.5,
                          "subsetSeed": 1, "train": [[1.0, 2.0]]},
                 "architecture": {"inputs": %d, "layers": [{"unit": "NAU", "out": 1}], "description": "NAU(%d→1)"},
                 "weights": [{"unit": "NAU", "in": %d, "out": 1, "tensors": [{"name": "W", "shape": [%d, 1], "values": %s}]}],
                 "formula": {"exact": false}}""".formatted(inputSize, inputSize, inputSize, inputSize, inputSize, values);
    }

    @BeforeEach
    void importWideModel() {
        ResponseEntity<String> r = post("/api/v1/models", wideModel(1000, 1000));
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(201);
        wide = read(r).get("id").asLong();
    }

    @Test
    void aHugeEvaluationIs422AndAnOrdinaryOneIsAnswered() {
        ResponseEntity<String> r = post("/api/v1/models/" + wide + "/evaluate",
                "{\"ranges\": [[1, 2], [2, 6]], \"samples\": 100000}");

        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(422);
        JsonNode p = read(r);
        assertThat(p.get("type").asText()).isEqualTo("/problems/over-budget");
        assertThat(p.get("budget").asText()).isEqualTo("nalu.limits.max-evaluate-bytes");
        // per range: 100,000 × 1,000 inputs, targets and predictions, and a 4,096-row threshold chunk, float64
        assertThat(p.get("needed").asLong()).isEqualTo(8L * (100_000 * 1002 + 4096 * 1000));
        assertThat(p.get("limit").asLong()).isEqualTo(64L << 20);
        assertThat(p.get("detail").asText()).isEqualTo("evaluating 100,000 samples of the model's 1,000 inputs needs "
                + "795.7 MB per range; this replica's budget per request is 64.0 MB (nalu.limits.max-evaluate-bytes). "
                + "Fewer samples need less");

        ResponseEntity<String> ok = post("/api/v1/models/" + wide + "/evaluate", "{\"ranges\": [[1, 2]], \"samples\": 2000}");
        assertThat(ok.getStatusCode().value()).as(ok.getBody()).isEqualTo(200);
    }

    @Test
    void aPredictionOverItsBudgetIs422() {
        String row = IntStream.range(0, 1000).mapToObj(i -> "1").collect(Collectors.joining(", ", "[", "]"));
        String ten = IntStream.range(0, 10).mapToObj(i -> row).collect(Collectors.joining(", ", "{\"inputs\": [", "]}"));
        String twenty = IntStream.range(0, 20).mapToObj(i -> row).collect(Collectors.joining(", ", "{\"inputs\": [", "]}"));

        ResponseEntity<String> ok = post("/api/v1/models/" + wide + "/predict", ten);
        assertThat(ok.getStatusCode().value()).as(ok.getBody()).isEqualTo(200);
        assertThat(read(ok).get("outputs").get(0).asDouble()).isEqualTo(1000.0);

        ResponseEntity<String> r = post("/api/v1/models/" + wide + "/predict", twenty);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(422);
        assertThat(read(r).get("budget").asText()).isEqualTo("nalu.limits.max-predict-bytes");
        assertThat(read(r).get("needed").asLong()).isEqualTo(20L * (72 * 1000 + 208));
    }

    @Test
    void anImportDeclaringTwoBillionInputsIsRefusedBeforeAnythingIsBuilt() {
        long models = count("models");
        // an arithmetic task names every input ("x0" …): two billion names would exhaust any heap. The limits
        // (nalu.limits.max-input-size) refuse it first; the import budget (Budgets.checkImport, BudgetsTest) stands
        // behind them for limits raised by an operator
        ResponseEntity<String> r = post("/api/v1/models", wideModel(2_000_000_000, 2));

        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(400);
        JsonNode p = read(r);
        assertThat(p.get("field").asText()).isEqualTo("task.inputSize");
        assertThat(p.get("limit").asLong()).isEqualTo(1000);
        assertThat(count("models")).isEqualTo(models);
    }
}
