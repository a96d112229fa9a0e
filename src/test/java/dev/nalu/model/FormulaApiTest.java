package dev.nalu.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;

/**
 * GET /api/v1/models/{id}/formula through HTTP: the four formats, exact and symbolic constants, complexity, the
 * 404 of a model without a formula and the 400 of an unknown format; and in model documents, exact constants that
 * round-trip bit for bit, a value that is not its symbol's refused, and a complexity the service computes itself.
 */
class FormulaApiTest extends ApiTestSupport {
    private static final double QUARTER_PI = 1.0 / (4.0 * Math.PI);

    /** (1/(4π)) × a ÷ b², marked not exact (the NMU's weights compute a × b): its tree is imported as it is. */
    private static String symbolic(String name, double value) {
        return ModelApiTest.document(name, "a * b", "NMU", "[1.0, 1.0]", """
                {"text": "y = (1/(4π)) × a ÷ b^2", "exact": false, "complexity": 99,
                 "tree": {"product": {"exponents": [1.0, 1.0, -2.0], "absolute": false, "factors": [
                   {"exactConstant": {"numerator": 1, "denominator": 4, "piPower": -1, "root": 1, "value": %s}},
                   {"input": 0}, {"input": 1}]}}}""".formatted(value));
    }

    private long importModel(String doc) {
        ResponseEntity<String> r = post("/api/v1/models", doc);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(201);
        return read(r).get("id").asLong();
    }

    private ResponseEntity<String> get(String path) {
        return send(HttpMethod.GET, path, null, java.util.Map.of());
    }

    @Test
    void anExactModelsFormulaInEveryFormat() {
        long id = importModel(ModelApiTest.document("formula-mul", "a * b", "NMU", "[1.0, 1.0]", ModelApiTest.PRODUCT_FORMULA));

        JsonNode text = getJson("/api/v1/models/" + id + "/formula");
        assertThat(text.get("modelId").asLong()).isEqualTo(id);
        assertThat(text.get("format").asText()).isEqualTo("text");
        assertThat(text.get("formula").asText()).isEqualTo("y = a × b");
        assertThat(text.get("exact").asBoolean()).isTrue();
        assertThat(text.get("complexity").asInt()).isEqualTo(3);
        assertThat(text.get("approximateConstants").asInt()).isZero();
        assertThat(text.get("variables").toString()).isEqualTo("[\"a\",\"b\"]");

        assertThat(getJson("/api/v1/models/" + id + "/formula?format=latex").get("formula").asText()).isEqualTo("y = a \\cdot b");
        assertThat(getJson("/api/v1/models/" + id + "/formula?format=sympy").get("formula").asText()).isEqualTo("a*b");
        JsonNode java = getJson("/api/v1/models/" + id + "/formula?format=java");
        assertThat(java.get("formula").asText()).isEqualTo("a * b");
        assertThat(java.get("format").asText()).isEqualTo("java");

        // the model document carries the complexity too
        assertThat(getJson("/api/v1/models/" + id).at("/formula/complexity").asInt()).isEqualTo(3);
    }

    @Test
    void symbolicConstantsRenderInEachFormat() {
        long id = importModel(symbolic("formula-coulomb", QUARTER_PI));
        String base = "/api/v1/models/" + id + "/formula?format=";
        assertThat(getJson(base + "text").get("formula").asText()).isEqualTo("y = (1/(4π)) × a ÷ b^2");
        assertThat(getJson(base + "latex").get("formula").asText()).isEqualTo("y = \\frac{\\frac{1}{4 \\pi} \\cdot a}{b^{2}}");
        assertThat(getJson(base + "sympy").get("formula").asText()).isEqualTo("(Rational(1, 4)/pi)*a/b**2");
        assertThat(getJson(base + "java").get("formula").asText()).isEqualTo("((1.0 / (4.0 * Math.PI)) * a) / (b * b)");
        JsonNode r = getJson(base + "text");
        assertThat(r.get("exact").asBoolean()).isFalse();
        assertThat(r.get("complexity").asInt()).isEqualTo(4);
    }

    /** Export → import → export keeps exact constants to the bit; a document's own complexity is not believed. */
    @Test
    void exactConstantsRoundTripAndComplexityIsComputed() {
        long id = importModel(symbolic("formula-roundtrip", QUARTER_PI));
        JsonNode exported = getJson("/api/v1/models/" + id + "/export");
        assertThat(exported.at("/formula/complexity").asInt()).isEqualTo(4);
        JsonNode constant = exported.at("/formula/tree/product/factors/0/exactConstant");
        assertThat(Double.doubleToRawLongBits(constant.get("value").asDouble())).isEqualTo(Double.doubleToRawLongBits(QUARTER_PI));

        long again = importModel(exported.toString());
        JsonNode reexported = getJson("/api/v1/models/" + again + "/export");
        assertThat(reexported.get("formula")).isEqualTo(exported.get("formula"));
    }

    /** A symbol whose value is not its float64 is refused: the document would compute with another number. */
    @Test
    void anExactConstantWithAnotherValueIsRefused() {
        long models = count("models");
        ResponseEntity<String> r = post("/api/v1/models", symbolic("formula-forged", Math.nextUp(QUARTER_PI)));
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(400);
        assertThat(read(r).get("field").asText()).isEqualTo("formula.tree");
        assertThat(read(r).get("detail").asText()).contains("value must be the float64 of 1/(4π)");
        ResponseEntity<String> odd = post("/api/v1/models", symbolic("formula-odd", QUARTER_PI).replace("\"root\": 1", "\"root\": 4"));
        assertThat(odd.getStatusCode().value()).as(odd.getBody()).isEqualTo(400);
        assertThat(read(odd).get("detail").asText()).contains("root");
        assertThat(count("models")).isEqualTo(models);
    }

    /** A model whose weights snapped to no formula has none: 404, not an empty formula (it will never have one). */
    @Test
    void aModelWithoutAFormulaIsA404() {
        long id = importModel(ModelApiTest.document("formula-none", "a * b", "NMU", "[1.0, 1.0]", "{\"exact\": false}"));
        ResponseEntity<String> r = get("/api/v1/models/" + id + "/formula?format=latex");
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(404);
        assertThat(r.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(read(r).get("type").asText()).isEqualTo("/problems/not-found");
        assertThat(read(r).get("detail").asText()).contains("formula of model " + id);

        ResponseEntity<String> missing = get("/api/v1/models/99999999/formula");
        assertThat(missing.getStatusCode().value()).isEqualTo(404);
        assertThat(read(missing).get("detail").asText()).contains("model 99999999");
    }

    @Test
    void anUnknownFormatIsA400NamingIt() {
        long id = importModel(ModelApiTest.document("formula-format", "a * b", "NMU", "[1.0, 1.0]", ModelApiTest.PRODUCT_FORMULA));
        for (String format : List.of("LaTeX", "python", "x".repeat(500))) { // format= (empty) is the default, text
            ResponseEntity<String> r = get("/api/v1/models/" + id + "/formula?format=" + format);
            assertThat(r.getStatusCode().value()).as(format + ": " + r.getBody()).isEqualTo(400);
            JsonNode p = read(r);
            assertThat(p.get("type").asText()).isEqualTo("/problems/invalid-field");
            assertThat(p.get("field").asText()).isEqualTo("format");
            assertThat(p.get("detail").asText()).contains("text, latex, sympy or java").hasSizeLessThan(200);
        }
    }

    /** With Accept: text/plain the answer is the formula alone; a refusal is still a problem. */
    @Test
    void textPlainIsTheFormulaAlone() {
        long id = importModel(symbolic("formula-plain", QUARTER_PI));
        ResponseEntity<String> r = send(HttpMethod.GET, "/api/v1/models/" + id + "/formula?format=java", null,
                java.util.Map.of("Accept", "text/plain"));
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(200);
        assertThat(r.getHeaders().getContentType().toString()).startsWith("text/plain");
        assertThat(r.getBody()).isEqualTo("((1.0 / (4.0 * Math.PI)) * a) / (b * b)");
        ResponseEntity<String> text = send(HttpMethod.GET, "/api/v1/models/" + id + "/formula", null,
                java.util.Map.of("Accept", "text/*;q=0.9"));
        assertThat(text.getBody()).isEqualTo("y = (1/(4π)) × a ÷ b^2");
        // a client that takes either, or anything, gets JSON
        for (String either : List.of("text/plain, application/json", "*/*", "application/*, text/plain")) {
            ResponseEntity<String> json = send(HttpMethod.GET, "/api/v1/models/" + id + "/formula", null,
                    java.util.Map.of("Accept", either));
            assertThat(json.getHeaders().getContentType().toString()).as(either).startsWith("application/json");
            assertThat(read(json).get("formula").asText()).isEqualTo("y = (1/(4π)) × a ÷ b^2");
        }

        ResponseEntity<String> bad = send(HttpMethod.GET, "/api/v1/models/" + id + "/formula?format=tex", null,
                java.util.Map.of("Accept", "text/plain"));
        assertThat(bad.getStatusCode().value()).as(bad.getBody()).isEqualTo(400);
        assertThat(bad.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(read(bad).get("field").asText()).isEqualTo("format");
        ResponseEntity<String> none = send(HttpMethod.GET, "/api/v1/models/99999999/formula", null,
                java.util.Map.of("Accept", "text/plain"));
        assertThat(none.getStatusCode().value()).as(none.getBody()).isEqualTo(404);
        ResponseEntity<String> odd = send(HttpMethod.GET, "/api/v1/models/" + id + "/formula", null,
                java.util.Map.of("Accept", "image/png"));
        assertThat(odd.getStatusCode().value()).as(odd.getBody()).isEqualTo(406);
    }

    /** A read key may ask; the OpenAPI document lists the operation with its formats and answers. */
    @Test
    void theOperationIsDocumented() {
        JsonNode op = getJson("/v3/api-docs").at("/paths/~1api~1v1~1models~1{id}~1formula/get");
        assertThat(op.get("operationId").asText()).isEqualTo("getModelFormula");
        JsonNode format = null;
        for (JsonNode p : op.get("parameters")) {
            if (p.get("name").asText().equals("format")) {
                format = p;
            }
        }
        assertThat(format).isNotNull();
        assertThat(format.at("/schema/enum").toString()).isEqualTo("[\"text\",\"latex\",\"sympy\",\"java\"]");
        assertThat(op.at("/responses/200/content").has("application/json")).isTrue();
        assertThat(op.at("/responses/200/content").has("text/plain")).isTrue();
        assertThat(op.get("responses").has("400")).isTrue();
        assertThat(op.get("responses").has("404")).isTrue();
        JsonNode schemas = getJson("/v3/api-docs").at("/components/schemas");
        assertThat(schemas.has("FormulaExactConstant")).isTrue();
    }
}
