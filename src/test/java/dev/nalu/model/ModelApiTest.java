package dev.nalu.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.nalu.ApiTestSupport;

/**
 * The model registry through HTTP: import of hand-made exact models, export → import bit-exact,
 * predictions from the formula or the weights, evaluation against the exact task, labels, and
 * expressions computed by the models labelled op:mul and op:sub.
 */
public class ModelApiTest extends ApiTestSupport {

    /** An exported model of y = a ∘ b: one layer of {@code unit} with weights W = {@code w}. */
    public static String document(String name, String expression, String unit, String w, String formulaJson) {
        return """
                {"format": "nalu-model/1", "name": "%s",
                 "task": {"kind": "expression", "expression": "%s", "variables": {"a": [[1.0, 2.0]], "b": [[1.0, 2.0]]}},
                 "variables": ["a", "b"],
                 "architecture": {"inputs": 2, "layers": [{"unit": "%s", "out": 1}], "description": "%s(2→1)"},
                 "weights": [{"unit": "%s", "in": 2, "out": 1, "tensors": [{"name": "W", "shape": [2, 1], "values": %s}]}],
                 "formula": %s,
                 "metrics": {"note": "made by hand"}}""".formatted(name, expression, unit, unit, unit, w, formulaJson);
    }

    public static final String PRODUCT_FORMULA = """
            {"text": "y = a × b", "exact": true,
             "tree": {"product": {"exponents": [1.0, 1.0], "factors": [{"input": 0}, {"input": 1}], "absolute": false}}}""";
    public static final String DIFFERENCE_FORMULA = """
            {"text": "y = a − b", "exact": true,
             "tree": {"sum": {"coefficients": [1, -1], "terms": [{"input": 0}, {"input": 1}]}}}""";

    private long importModel(String doc) {
        ResponseEntity<String> r = post("/api/v1/models", doc);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(201);
        assertThat(r.getHeaders().getLocation()).isNotNull();
        return read(r).get("id").asLong();
    }

    @Test
    void exportThenImportIsBitExactAndVersionsIncreasePerName() {
        // weights that are not round in decimal (and still compute a × b): the round trip must keep every bit
        String w = "[" + Math.nextUp(1.0) + ", " + Math.nextDown(1.0) + "]";
        long id = importModel(document("roundtrip", "a * b", "NMU", w, PRODUCT_FORMULA));
        JsonNode exported = getJson("/api/v1/models/" + id + "/export");

        long again = importModel(exported.toString());
        JsonNode reexported = getJson("/api/v1/models/" + again + "/export");

        assertThat(reexported.get("weights")).isEqualTo(exported.get("weights"));
        double[] values = json.convertValue(reexported.at("/weights/0/tensors/0/values"), double[].class);
        assertThat(Double.doubleToRawLongBits(values[0])).isEqualTo(Double.doubleToRawLongBits(Math.nextUp(1.0)));
        assertThat(Double.doubleToRawLongBits(values[1])).isEqualTo(Double.doubleToRawLongBits(Math.nextDown(1.0)));
        assertThat(reexported.get("formula")).isEqualTo(exported.get("formula"));
        assertThat(reexported.get("task")).isEqualTo(exported.get("task"));
        assertThat(reexported.get("metrics")).isEqualTo(exported.get("metrics"));
        assertThat(reexported.get("version").asInt()).isEqualTo(exported.get("version").asInt() + 1);

        JsonNode shown = getJson("/api/v1/models/" + id);
        assertThat(shown.at("/weights/0/tensors/0/shape").toString()).isEqualTo("[2,1]");
        assertThat(shown.at("/weights/0/tensors/0").has("values")).isFalse();
        JsonNode listed = getJson("/api/v1/models?name=roundtrip");
        assertThat(listed.get("total").asLong()).isEqualTo(2);
        assertThat(listed.at("/items/0/id").asLong()).isEqualTo(again);
    }

    /**
     * A trained model's export imports as it is, bit for bit; with its formula changed to one its
     * weights do not compute, still marked exact, it is refused: predictions would come from that formula.
     */
    @Test
    void anExportImportsAsItIsButNotWithAnExactFormulaItsWeightsDoNotCompute() {
        long job = submit("""
                {"name": "exported-mul", "task": {"expression": "a * b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [1, 2]}}},
                 "model": "auto", "training": {"steps": 20000, "population": 16, "seed": 42}}""");
        long trained = awaitState(job, "SUCCEEDED", Duration.ofSeconds(120)).get("modelId").asLong();
        JsonNode exported = getJson("/api/v1/models/" + trained + "/export");
        assertThat(exported.at("/formula/text").asText()).isEqualTo("y = a × b");
        assertThat(exported.at("/formula/exact").asBoolean()).isTrue();

        long again = importModel(exported.toString());
        JsonNode reexported = getJson("/api/v1/models/" + again + "/export");
        assertThat(reexported.get("weights")).isEqualTo(exported.get("weights"));
        assertThat(reexported.get("formula")).isEqualTo(exported.get("formula"));

        ObjectNode sum = exported.deepCopy();
        ((ObjectNode) sum.get("formula")).put("text", "y = a + b")
                .set("tree", readTree("{\"sum\": {\"coefficients\": [1, 1], \"terms\": [{\"input\": 0}, {\"input\": 1}]}}"));
        assertRefused(sum, "formula", "does not reproduce");

        // the same lie told consistently: the task and the formula say a + b, the weights still compute a × b
        ObjectNode relabelled = sum.deepCopy();
        ((ObjectNode) relabelled.get("task")).put("expression", "a + b");
        assertRefused(relabelled, "formula", "y = a × b");
    }

    private void assertRefused(JsonNode doc, String field, String detail) {
        long models = count("models");
        ResponseEntity<String> r = post("/api/v1/models", doc.toString());
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(400);
        assertThat(read(r).get("type").asText()).isEqualTo("/problems/invalid-model-document");
        assertThat(read(r).get("field").asText()).isEqualTo(field);
        assertThat(read(r).get("detail").asText()).contains(detail);
        assertThat(count("models")).isEqualTo(models);
    }

    @Test
    void predictUsesTheFormulaWhenExactAndTheWeightsOtherwise() {
        long exact = importModel(document("mul-exact", "a * b", "NMU", "[1.0, 1.0]", PRODUCT_FORMULA));
        long weightsOnly = importModel(document("mul-weights", "a * b", "NMU", "[1.0, 1.0]", "{\"exact\": false}"));

        JsonNode byFormula = read(post("/api/v1/models/" + exact + "/predict", "{\"inputs\": [{\"a\": 12345, \"b\": 678}]}"));
        JsonNode byWeights = read(post("/api/v1/models/" + weightsOnly + "/predict", "{\"inputs\": [[12345, 678]]}"));

        assertThat(byFormula.get("answeredBy").asText()).isEqualTo("formula");
        assertThat(byFormula.get("outputs").get(0).asDouble()).isEqualTo(8369910.0);
        assertThat(byWeights.get("answeredBy").asText()).isEqualTo("network");
        assertThat(byWeights.get("outputs").get(0).asDouble()).isEqualTo(8369910.0);

        JsonNode evaluated = read(post("/api/v1/models/" + exact + "/evaluate",
                "{\"ranges\": [[10, 1000], [1e5, 1e6]], \"samples\": 1000, \"seed\": 1}"));
        assertThat(evaluated.get("results")).hasSize(2);
        assertThat(evaluated.at("/results/0/range").toString()).isEqualTo("[[10.0,1000.0]]");
        assertThat(evaluated.at("/results/1/mse").asDouble()).isZero();
        assertThat(evaluated.at("/results/1/success").asBoolean()).isTrue();
        assertThat(evaluated.at("/results/1/threshold").asDouble()).isPositive();

        // a wrong model is measured as wrong: y = a × a for a × b
        long wrong = importModel(document("mul-wrong", "a * b", "NMU", "[1.0, 0.0]", "{\"exact\": false}"));
        JsonNode bad = read(post("/api/v1/models/" + wrong + "/evaluate", "{\"ranges\": [2, 6], \"samples\": 100}"));
        assertThat(bad.at("/results/0/success").asBoolean()).isFalse();
        assertThat(bad.at("/results/0/meanRelativeError").asDouble()).isGreaterThan(0.1);
    }

    static Stream<Arguments> badPredictions() {
        return Stream.of(
                Arguments.of("{\"inputs\": [{\"a\": 1, \"c\": 2}]}", "inputs[0].c"),
                Arguments.of("{\"inputs\": [{\"a\": 1}]}", "inputs[0].b"),
                Arguments.of("{\"inputs\": [[1, 2, 3]]}", "inputs[0]"),
                Arguments.of("{\"inputs\": [{\"a\": \"x\", \"b\": 1}]}", "inputs[0].a"),
                Arguments.of("{\"inputs\": [{\"a\": 1e400, \"b\": 1}]}", "inputs[0].a"),
                Arguments.of("{\"inputs\": []}", "inputs"),
                Arguments.of("{\"inputs\": [" + "[1, 2],".repeat(10_000) + "[1, 2]]}", "inputs"));
    }

    @ParameterizedTest
    @MethodSource("badPredictions")
    void badPredictInputIs400NamingTheField(String body, String field) {
        long id = importModel(document("mul-predict", "a * b", "NMU", "[1.0, 1.0]", PRODUCT_FORMULA));
        ResponseEntity<String> r = post("/api/v1/models/" + id + "/predict", body);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(400);
        assertThat(read(r).get("field").asText()).isEqualTo(field);
    }

    @Test
    void evaluateRefusesRangesWhereTheTaskIsUndefined() {
        String task = "{\"kind\": \"expression\", \"expression\": \"a / b\", \"variables\": {\"a\": [[1.0, 2.0]], \"b\": [[1.0, 2.0]]}}";
        ObjectNode doc = (ObjectNode) readTree(document("div", "a * b", "NMU", "[1.0, 1.0]", "{\"exact\": false}"));
        doc.set("task", readTree(task));
        long id = importModel(doc.toString());
        ResponseEntity<String> r = post("/api/v1/models/" + id + "/evaluate", "{\"ranges\": [[-1, 1]]}");
        assertThat(r.getStatusCode().value()).isEqualTo(400);
        assertThat(read(r).get("field").asText()).isEqualTo("ranges[0]");
        assertThat(read(r).get("detail").asText()).contains("divisor");
    }

    /** a^100 is 1.3e30 at most on [1, 2], but beyond 1e600 on [1e6, 1e7]: its errors there cannot be measured. */
    @Test
    void evaluateRefusesRangesWhereTheTargetOverflows() {
        ObjectNode doc = (ObjectNode) readTree(document("pow", "a * b", "NMU", "[1.0, 1.0]", "{\"exact\": false}"));
        ((ObjectNode) doc.get("task")).put("expression", "a ^ 100 + b");
        long id = importModel(doc.toString());
        ResponseEntity<String> r = post("/api/v1/models/" + id + "/evaluate", "{\"ranges\": [[1, 2], [1e6, 1e7]]}");
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(400);
        assertThat(read(r).get("field").asText()).isEqualTo("ranges[1]");
        assertThat(read(r).get("detail").asText()).contains("a^100").contains("overflows");
    }

    static Stream<Arguments> badDocuments() {
        String good = document("bad", "a * b", "NMU", "[1.0, 1.0]", PRODUCT_FORMULA);
        return Stream.of(
                Arguments.of("wrong format", good.replace("nalu-model/1", "nalu-model/9"), "format"),
                Arguments.of("unknown unit", good.replace("\"NMU\"", "\"QUANTUM\""), "architecture.layers[0]"),
                Arguments.of("wrong shape", good.replace("\"shape\": [2, 1]", "\"shape\": [1, 2]"), "weights[0].tensors.W"),
                Arguments.of("too few values", good.replace("[1.0, 1.0]", "[1.0]"), "weights[0].tensors.W.values"),
                Arguments.of("unknown tensor", good.replace("\"name\": \"W\"", "\"name\": \"V\""), "weights[0].tensors"),
                Arguments.of("formula text disagrees with its tree", good.replace("y = a × b", "y = a + b"), "formula.text"),
                Arguments.of("formula reads a missing input", good.replace("{\"input\": 1}", "{\"input\": 5}"), "formula.tree"),
                Arguments.of("task undefined", good.replace("\"a * b\"", "\"a * c\""), "task"),
                // found by OpenApiFuzzTest: a malformed range in the task was a 500 (IndexOutOfBounds, NPE)
                Arguments.of("range without bounds", good.replace("\"b\": [[1.0, 2.0]]", "\"b\": [[]]"), "task.variables.b[0]"),
                Arguments.of("range with one bound", good.replace("\"b\": [[1.0, 2.0]]", "\"b\": [[1.0]]"), "task.variables.b[0]"),
                Arguments.of("range with three bounds", good.replace("\"b\": [[1.0, 2.0]]", "\"b\": [[1.0, 2.0, 3.0]]"), "task.variables.b[0]"),
                Arguments.of("null bound", good.replace("\"b\": [[1.0, 2.0]]", "\"b\": [[null, 2.0]]"), "task.variables.b[0]"),
                Arguments.of("null interval", good.replace("\"b\": [[1.0, 2.0]]", "\"b\": [null]"), "task.variables.b[0]"),
                Arguments.of("null range", good.replace("\"b\": [[1.0, 2.0]]", "\"b\": null"), "task.variables.b"),
                Arguments.of("task overflows on its training ranges", good.replace("\"a * b\"", "\"a ^ 400 * b\"")
                        .replace("\"a\": [[1.0, 2.0]]", "\"a\": [[2.0, 6.0]]"), "task"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDocuments")
    void anInconsistentDocumentIsRefusedAndNothingIsStored(String what, String doc, String field) {
        long models = count("models");
        ResponseEntity<String> r = post("/api/v1/models", doc);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(400);
        assertThat(read(r).get("type").asText()).isEqualTo("/problems/invalid-model-document");
        assertThat(read(r).get("field").asText()).isEqualTo(field);
        assertThat(count("models")).isEqualTo(models);
    }

    static Stream<Arguments> documentsOverALimit() {
        String good = document("limits", "a * b", "NMU", "[1.0, 1.0]", PRODUCT_FORMULA);
        String nineIntervals = "[" + "[1.0, 1.5],".repeat(8) + "[1.0, 2.0]]";
        return Stream.of(
                // building this task made 2e9 variable names before anything was checked
                Arguments.of("2e9 arithmetic inputs", """
                        {"format": "nalu-model/1", "name": "x", "task": {"kind": "arithmetic", "op": "add", "inputSize": 2000000000,
                         "subsetRatio": 1e-9, "overlapRatio": 0, "subsetSeed": 0, "train": [[1, 2]]}}""", "task.inputSize", "1000"),
                Arguments.of("range beyond max-range-magnitude", good.replace("\"a\": [[1.0, 2.0]]", "\"a\": [[1.0, 1e13]]"),
                        "task.variables.a[0]", "1.0E12"),
                Arguments.of("more intervals than max-intervals", good.replace("\"a\": [[1.0, 2.0]]", "\"a\": " + nineIntervals),
                        "task.variables.a", "8"),
                Arguments.of("expression longer than max-expression-length",
                        good.replace("\"expression\": \"a * b\"", "\"expression\": \"a * b" + " + a".repeat(100) + "\""),
                        "task.expression", "200"),
                Arguments.of("more layers than max-layers", good.replace("\"layers\": [{\"unit\": \"NMU\", \"out\": 1}]",
                        "\"layers\": [" + "{\"unit\": \"NAU\", \"out\": 1},".repeat(6) + "{\"unit\": \"NMU\", \"out\": 1}]"),
                        "architecture.layers", "6"),
                Arguments.of("wider than max-layer-width", good.replace("\"out\": 1}], \"description\"", "\"out\": 33}], \"description\""),
                        "architecture.layers[0]", "32"),
                Arguments.of("2e9 architecture inputs", good.replace("\"inputs\": 2", "\"inputs\": 2000000000"),
                        "architecture.inputs", "1000"),
                Arguments.of("a tensor shape of 2e9 rows", good.replace("\"shape\": [2, 1]", "\"shape\": [2000000000, 1]"),
                        "weights[0].tensors.W", "1000"),
                Arguments.of("a shape that its values do not fill", good.replace("\"shape\": [2, 1]", "\"shape\": [2, 2]"),
                        "weights[0].tensors.W.values", null),
                Arguments.of("an interval of one number", good.replace("\"a\": [[1.0, 2.0]]", "\"a\": [[1.0]]"),
                        "task.variables.a[0]", null),
                Arguments.of("a variable without a range", good.replace("\"a\": [[1.0, 2.0]]", "\"a\": null"),
                        "task.variables.a", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentsOverALimit")
    void aDocumentOverALimitIsRefusedBeforeAnythingIsBuilt(String what, String doc, String field, String limit) {
        long models = count("models");
        ResponseEntity<String> r = post("/api/v1/models", doc);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(400);
        JsonNode problem = read(r);
        assertThat(problem.get("type").asText()).isEqualTo("/problems/invalid-model-document");
        assertThat(problem.get("field").asText()).isEqualTo(field);
        if (limit != null) {
            assertThat(problem.get("limit").asText()).isEqualTo(limit);
        }
        assertThat(count("models")).isEqualTo(models);
    }

    @Test
    void expressionsAreComputedByTheModelsLabelledForTheirOperators() {
        String expression = "{\"expression\": \"1234.5 * 678 - 90\"}";
        jdbc.sql("DELETE FROM model_aliases").update();
        jdbc.sql("DELETE FROM model_tags WHERE tag LIKE 'op:%'").update();
        ResponseEntity<String> missing = post("/api/v1/expressions/evaluate", expression);
        assertThat(missing.getStatusCode().value()).isEqualTo(422);
        assertThat(read(missing).get("type").asText()).isEqualTo("/problems/missing-operator-model");
        assertThat(read(missing).get("operator").asText()).isEqualTo("sub");
        assertThat(read(missing).get("detail").asText()).contains("op:sub");

        long mul = importModel(document("mul", "a * b", "NMU", "[1.0, 1.0]", PRODUCT_FORMULA));
        long sub = importModel(document("sub", "a - b", "NAU", "[1.0, -1.0]", DIFFERENCE_FORMULA));
        send(HttpMethod.PATCH, "/api/v1/models/" + sub, "{\"tags\": [\"op:sub\"]}", Map.of());
        ResponseEntity<String> stillMissing = post("/api/v1/expressions/evaluate", expression);
        assertThat(stillMissing.getStatusCode().value()).isEqualTo(422);
        assertThat(read(stillMissing).get("operator").asText()).isEqualTo("mul");
        assertThat(read(stillMissing).get("label").asText()).isEqualTo("op:mul");
        JsonNode labelled = read(send(HttpMethod.PATCH, "/api/v1/models/" + mul,
                "{\"aliases\": [\"op:mul\"], \"tags\": [\"arithmetic\"]}", Map.of()));
        assertThat(labelled.get("aliases").toString()).isEqualTo("[\"op:mul\"]");
        assertThat(labelled.get("tags").toString()).isEqualTo("[\"arithmetic\"]");

        JsonNode result = read(post("/api/v1/expressions/evaluate", expression));

        assertThat(result.get("value").asDouble()).isEqualTo(1234.5 * 678 - 90);
        assertThat(result.get("exact").asDouble()).isEqualTo(1234.5 * 678 - 90);
        assertThat(result.get("absoluteError").asDouble()).isZero();
        assertThat(result.get("operators")).hasSize(2);
        assertThat(result.at("/operators/0/operator").asText()).isEqualTo("sub");
        assertThat(result.at("/operators/0/modelId").asLong()).isEqualTo(sub);
        assertThat(result.at("/operators/1/modelId").asLong()).isEqualTo(mul);
        assertThat(result.at("/operators/1/formula").asText()).isEqualTo("y = a × b");
        assertThat(getJson("/api/v1/models?tag=arithmetic").get("total").asLong()).isEqualTo(1);

        JsonNode withVariables = read(post("/api/v1/expressions/evaluate",
                "{\"expression\": \"x * y - x\", \"variables\": {\"x\": 3, \"y\": 5}}"));
        assertThat(withVariables.get("value").asDouble()).isEqualTo(12.0);

        ResponseEntity<String> badExpression = post("/api/v1/expressions/evaluate", "{\"expression\": \"2 * \"}");
        assertThat(badExpression.getStatusCode().value()).isEqualTo(400);
        assertThat(read(badExpression).get("field").asText()).isEqualTo("expression");

        ResponseEntity<String> moved = send(HttpMethod.PATCH, "/api/v1/models/" + sub, "{\"aliases\": [\"op:mul\"]}", Map.of());
        assertThat(read(moved).get("aliases").toString()).isEqualTo("[\"op:mul\"]");
        assertThat(getJson("/api/v1/models/" + mul).get("aliases")).isEmpty();
        ResponseEntity<String> badLabel = send(HttpMethod.PATCH, "/api/v1/models/" + sub, "{\"tags\": [\"no spaces\"]}", Map.of());
        assertThat(badLabel.getStatusCode().value()).isEqualTo(400);
        assertThat(read(badLabel).get("field").asText()).isEqualTo("tags[0]");
    }

    /** PATCH /models/{id} is a JSON Merge Patch (RFC 7396): left out is unchanged, null clears, a list replaces. */
    @Test
    void labelsArePatchedAsAJsonMergePatch() {
        long id = importModel(document("patched", "a * b", "NMU", "[1.0, 1.0]", PRODUCT_FORMULA));
        Map<String, String> mergePatch = Map.of("Content-Type", "application/merge-patch+json");
        String path = "/api/v1/models/" + id;
        send(HttpMethod.PATCH, path, "{\"tags\": [\"kept\", \"also-kept\"], \"aliases\": [\"patch:a\"]}", mergePatch);

        JsonNode aliasesOnly = read(send(HttpMethod.PATCH, path, "{\"aliases\": [\"patch:b\"]}", mergePatch));
        assertThat(aliasesOnly.get("tags").toString()).isEqualTo("[\"also-kept\",\"kept\"]");
        assertThat(aliasesOnly.get("aliases").toString()).isEqualTo("[\"patch:b\"]");

        JsonNode cleared = read(send(HttpMethod.PATCH, path, "{\"tags\": null}", mergePatch));
        assertThat(cleared.get("tags")).isEmpty();
        assertThat(cleared.get("aliases").toString()).isEqualTo("[\"patch:b\"]");
        assertThat(read(send(HttpMethod.PATCH, path, "{}", Map.of())).get("aliases").toString()).isEqualTo("[\"patch:b\"]");

        ResponseEntity<String> unknown = send(HttpMethod.PATCH, path, "{\"tag\": [\"x\"]}", mergePatch);
        assertThat(unknown.getStatusCode().value()).isEqualTo(400);
        assertThat(read(unknown).get("field").asText()).isEqualTo("tag");
        ResponseEntity<String> notAList = send(HttpMethod.PATCH, path, "{\"aliases\": \"patch:c\"}", mergePatch);
        assertThat(notAList.getStatusCode().value()).isEqualTo(400);
        assertThat(read(notAList).get("field").asText()).isEqualTo("aliases");
        ResponseEntity<String> notAnObject = send(HttpMethod.PATCH, path, "[]", mergePatch);
        assertThat(notAnObject.getStatusCode().value()).isEqualTo(400);
        assertThat(getJson(path).get("aliases").toString()).isEqualTo("[\"patch:b\"]");
    }

    @Test
    void deletedModelsAreGone() {
        long id = importModel(document("to-delete", "a * b", "NMU", "[1.0, 1.0]", PRODUCT_FORMULA));
        assertThat(post("/api/v1/models/" + id + "/predict", "{\"inputs\": [[1, 2]]}").getStatusCode().value()).isEqualTo(200);

        assertThat(send(HttpMethod.DELETE, "/api/v1/models/" + id, null, Map.of()).getStatusCode().value()).isEqualTo(204);

        assertThat(http.getForEntity("/api/v1/models/" + id, String.class).getStatusCode().value()).isEqualTo(404);
        assertThat(post("/api/v1/models/" + id + "/predict", "{\"inputs\": [[1, 2]]}").getStatusCode().value()).isEqualTo(404);
        assertThat(send(HttpMethod.DELETE, "/api/v1/models/" + id, null, Map.of()).getStatusCode().value()).isEqualTo(404);
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
