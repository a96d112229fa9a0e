package dev.nalu.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;
import dev.nalu.TestKeys;
import dev.nalu.model.ModelApiTest;

/**
 * The Open Inference Protocol (KServe V2 HTTP/REST) through real HTTP, against the request and response objects
 * its REST description defines (restated in docs/api.md, "Open Inference Protocol"): health, server and model
 * metadata, inference of one row and of a batch, names resolving to the newest version or an alias, versions,
 * and every refusal as {"error": "…"} with a 4xx.
 */
class InferenceApiTest extends ApiTestSupport {

    private long importModel(String name, String expression, String unit, String w, String formula) {
        ResponseEntity<String> r = post("/api/v1/models", ModelApiTest.document(name, expression, unit, w, formula));
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(201);
        return read(r).get("id").asLong();
    }

    private static String tensor(String name, String shape, String datatype, String data) {
        return "{\"name\": \"" + name + "\", \"shape\": " + shape + ", \"datatype\": \"" + datatype + "\", \"data\": " + data + "}";
    }

    private static String request(String... tensors) {
        return "{\"inputs\": [" + String.join(", ", tensors) + "]}";
    }

    /** A refusal: the status, application/json, and exactly {"error": "<message>"}; returns the message. */
    private String error(ResponseEntity<String> r, int status) {
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(status);
        assertThat(r.getHeaders().getContentType()).hasToString("application/json");
        JsonNode body = read(r);
        assertThat(body.size()).as(r.getBody()).isEqualTo(1);
        assertThat(body.path("error").isTextual()).as(r.getBody()).isTrue();
        return body.get("error").asText();
    }

    @Test
    void healthAndServerMetadataAnswerAsTheProtocolSays() {
        assertThat(getJson("/v2/health/live").get("live").asBoolean()).isTrue();
        assertThat(getJson("/v2/health/ready").get("ready").asBoolean()).isTrue();
        JsonNode server = getJson("/v2");
        assertThat(server.get("name").asText()).isEqualTo("nalu-service");
        assertThat(server.get("version").asText()).isNotBlank();
        assertThat(server.get("extensions").isArray()).isTrue();
    }

    @Test
    void modelMetadataListsOneFp64InputPerVariableAndTheOutputY() {
        importModel("oip-meta", "a * b", "NMU", "[1.0, 1.0]", ModelApiTest.PRODUCT_FORMULA);
        importModel("oip-meta", "a * b", "NMU", "[1.0, 1.0]", ModelApiTest.PRODUCT_FORMULA);

        JsonNode meta = getJson("/v2/models/oip-meta");
        assertThat(meta.get("name").asText()).isEqualTo("oip-meta");
        assertThat(meta.get("versions").toString()).isEqualTo("[\"2\",\"1\"]");
        assertThat(meta.get("platform").asText()).isEqualTo("nalu_json");
        assertThat(meta.get("inputs").toString()).isEqualTo(
                "[{\"name\":\"a\",\"datatype\":\"FP64\",\"shape\":[-1]},{\"name\":\"b\",\"datatype\":\"FP64\",\"shape\":[-1]}]");
        assertThat(meta.get("outputs").toString()).isEqualTo("[{\"name\":\"y\",\"datatype\":\"FP64\",\"shape\":[-1]}]");
        assertThat(getJson("/v2/models/oip-meta/versions/1").get("name").asText()).isEqualTo("oip-meta");

        JsonNode ready = getJson("/v2/models/oip-meta/ready");
        assertThat(ready.get("name").asText()).isEqualTo("oip-meta");
        assertThat(ready.get("ready").asBoolean()).isTrue();
        assertThat(getJson("/v2/models/oip-meta/versions/2/ready").get("ready").asBoolean()).isTrue();
    }

    @Test
    void oneRowIsAnsweredLikeTheProtocolsExample() {
        long id = importModel("oip-mul", "a * b", "NMU", "[1.0, 1.0]", ModelApiTest.PRODUCT_FORMULA);
        ResponseEntity<String> r = post("/v2/models/oip-mul/infer", """
                {"id": "42", "inputs": [{"name": "a", "shape": [1], "datatype": "FP64", "data": [12345]},
                                        {"name": "b", "shape": [1], "datatype": "FP64", "data": [678]}],
                 "outputs": [{"name": "y"}]}""");
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(200);
        JsonNode answer = read(r);
        assertThat(answer.get("model_name").asText()).isEqualTo("oip-mul");
        assertThat(answer.get("model_version").asText()).isEqualTo("1");
        assertThat(answer.get("id").asText()).isEqualTo("42");
        assertThat(answer.get("outputs")).hasSize(1);
        JsonNode y = answer.at("/outputs/0");
        assertThat(y.get("name").asText()).isEqualTo("y");
        assertThat(y.get("datatype").asText()).isEqualTo("FP64");
        assertThat(y.get("shape").toString()).isEqualTo("[1]");
        assertThat(y.get("data").toString()).isEqualTo("[8369910.0]");
        assertThat(answer.at("/parameters/answered_by").asText()).isEqualTo("formula");
        assertThat(answer.at("/parameters/model_id").asLong()).isEqualTo(id);

        // no id, no outputs asked for: the answer has no id and still its one output
        JsonNode plain = read(post("/v2/models/oip-mul/infer",
                request(tensor("a", "[1]", "FP64", "[2]"), tensor("b", "[1]", "FP64", "[3]"))));
        assertThat(plain.has("id")).isFalse();
        assertThat(plain.at("/outputs/0/data").toString()).isEqualTo("[6.0]");
    }

    /** A batch of 1,000 rows gives what /api/v1 predict gives for the same rows, in every form of the data. */
    @Test
    void aBatchOfRowsMatchesPredictInEachShapeAndForm() {
        long id = importModel("oip-sub", "a - b", "NAU", "[1.0, -1.0]", ModelApiTest.DIFFERENCE_FORMULA);
        Random random = new Random(16);
        int n = 1000;
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        StringBuilder aNested = new StringBuilder();
        StringBuilder rows = new StringBuilder();
        for (int r = 0; r < n; r++) {
            double x = random.nextDouble() * 1e6;
            double z = random.nextDouble() * 1e6;
            String sep = r == 0 ? "" : ", ";
            a.append(sep).append(x);
            b.append(sep).append(z);
            aNested.append(sep).append('[').append(x).append(']');
            rows.append(sep).append('[').append(x).append(", ").append(z).append(']');
        }
        JsonNode expected = read(post("/api/v1/models/" + id + "/predict", "{\"inputs\": [" + rows + "]}")).get("outputs");

        // b before a: inputs are matched by name, not by position
        JsonNode flat = read(post("/v2/models/oip-sub/infer",
                request(tensor("b", "[" + n + "]", "FP64", "[" + b + "]"), tensor("a", "[" + n + "]", "FP64", "[" + a + "]"))));
        assertThat(flat.at("/outputs/0/shape").toString()).isEqualTo("[" + n + "]");
        assertThat(flat.at("/outputs/0/data")).isEqualTo(expected);

        JsonNode column = read(post("/v2/models/oip-sub/infer", request(
                tensor("a", "[" + n + ", 1]", "FP64", "[" + aNested + "]"), tensor("b", "[" + n + ", 1]", "FP64", "[" + b + "]"))));
        assertThat(column.at("/outputs/0/shape").toString()).isEqualTo("[" + n + ",1]");
        assertThat(column.at("/outputs/0/data")).isEqualTo(expected);
    }

    @Test
    void aNameIsItsNewestVersionOrAnAliasAndVersionsPickOne() {
        long first = importModel("oip-op", "a - b", "NAU", "[1.0, -1.0]", ModelApiTest.DIFFERENCE_FORMULA);
        importModel("oip-op", "a * b", "NMU", "[1.0, 1.0]", ModelApiTest.PRODUCT_FORMULA);
        assertThat(send(HttpMethod.PATCH, "/api/v1/models/" + first, "{\"aliases\": [\"oip-pinned\"]}", Map.of())
                .getStatusCode().value()).isEqualTo(200);
        String body = request(tensor("a", "[1]", "FP64", "[7]"), tensor("b", "[1]", "FP64", "[5]"));

        JsonNode newest = read(post("/v2/models/oip-op/infer", body));
        assertThat(newest.get("model_version").asText()).isEqualTo("2");
        assertThat(newest.at("/outputs/0/data/0").asDouble()).isEqualTo(35.0);
        JsonNode v1 = read(post("/v2/models/oip-op/versions/1/infer", body));
        assertThat(v1.get("model_version").asText()).isEqualTo("1");
        assertThat(v1.at("/outputs/0/data/0").asDouble()).isEqualTo(2.0);

        JsonNode pinned = read(post("/v2/models/oip-pinned/infer", body));
        assertThat(pinned.get("model_name").asText()).isEqualTo("oip-op");
        assertThat(pinned.get("model_version").asText()).isEqualTo("1");
        assertThat(pinned.at("/outputs/0/data/0").asDouble()).isEqualTo(2.0);
        assertThat(read(post("/v2/models/oip-pinned/versions/2/infer", body)).at("/outputs/0/data/0").asDouble())
                .as("an alias's versions are its model's name's").isEqualTo(35.0);
        assertThat(getJson("/v2/models/oip-pinned").get("name").asText()).isEqualTo("oip-op");
    }

    @Test
    void aModelWithoutAnExactFormulaIsAnsweredByItsWeights() {
        importModel("oip-weights", "a * b", "NMU", "[1.0, 1.0]", "{\"exact\": false}");
        JsonNode answer = read(post("/v2/models/oip-weights/infer",
                request(tensor("a", "[2]", "FP64", "[12345, 2]"), tensor("b", "[2]", "FP64", "[678, 3]"))));
        assertThat(answer.at("/parameters/answered_by").asText()).isEqualTo("network");
        assertThat(answer.at("/parameters").has("formula")).isFalse();
        assertThat(answer.at("/outputs/0/data").toString()).isEqualTo("[8369910.0,6.0]");
    }

    @Test
    void unknownModelsAndVersionsAre404() {
        importModel("oip-known", "a * b", "NMU", "[1.0, 1.0]", ModelApiTest.PRODUCT_FORMULA);
        String body = request(tensor("a", "[1]", "FP64", "[1]"), tensor("b", "[1]", "FP64", "[1]"));
        assertThat(error(post("/v2/models/oip-no-such-model/infer", body), 404)).contains("'oip-no-such-model'");
        assertThat(error(post("/v2/models/oip-known/versions/7/infer", body), 404)).contains("no version '7'");
        assertThat(error(post("/v2/models/oip-known/versions/v1/infer", body), 404)).contains("no version 'v1'");
        error(send(HttpMethod.GET, "/v2/models/oip-no-such-model", null, Map.of()), 404);
        error(send(HttpMethod.GET, "/v2/models/oip-no-such-model/ready", null, Map.of()), 404);
        error(send(HttpMethod.GET, "/v2/models/oip-known/versions/0", null, Map.of()), 404);
        error(send(HttpMethod.GET, "/v2/no-such-thing", null, Map.of()), 404);
    }

    /** Refusals of the layers below the controller: Tomcat (an encoded slash), the firewall ("..;"), Spring MVC. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            GET  | /v2/models/a%2Fb          | 400
            GET  | /v2/models/..;/x          | 400
            PUT  | /v2/models/oip-mul/infer  | 405
            GET  | /v2/models/oip-mul/infer  | 405
            """)
    void refusalsBeforeTheControllerAreErrorsToo(String method, String path, int status) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", TestKeys.bearer(TestKeys.ADMIN)).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = json.readTree(r.body());
        assertThat(body.size()).as(r.body()).isEqualTo(1);
        assertThat(body.path("error").asText()).isNotBlank();
    }

    @Test
    void aBodyOverTheRequestSizeIs413() {
        String values = "1.0, ".repeat(300_000) + "1.0";
        ResponseEntity<String> r = post("/v2/models/oip-mul/infer",
                request(tensor("a", "[300001]", "FP64", "[" + values + "]"), tensor("b", "[300001]", "FP64", "[" + values + "]")));
        assertThat(error(r, 413)).contains("larger than the limit of 1048576 bytes");
    }

    static Stream<Arguments> badRequests() {
        String a1 = tensor("a", "[1]", "FP64", "[1]");
        String b1 = tensor("b", "[1]", "FP64", "[2]");
        return Stream.of(
                Arguments.of("wrong datatype", request(tensor("a", "[1]", "FP32", "[1]"), b1), "inputs[0].datatype is 'FP32'"),
                Arguments.of("datatype in lower case", request(a1, tensor("b", "[1]", "fp64", "[2]")), "inputs[1].datatype is 'fp64'"),
                Arguments.of("shape of a matrix", request(tensor("a", "[1, 2]", "FP64", "[1, 2]"), b1), "inputs[0].shape is [1, 2]"),
                Arguments.of("shape of no rows", request(tensor("a", "[0]", "FP64", "[]"), b1), "inputs[0].shape is [0]"),
                Arguments.of("negative shape", request(tensor("a", "[-1]", "FP64", "[1]"), b1), "inputs[0].shape is [-1]"),
                Arguments.of("shapes that differ", request(a1, tensor("b", "[2]", "FP64", "[1, 2]")), "inputs[1].shape is [2]"),
                Arguments.of("data shorter than its shape", request(tensor("a", "[2]", "FP64", "[1]"),
                        tensor("b", "[2]", "FP64", "[1, 2]")), "inputs[0].data has 1 values; the shape says 2 rows"),
                Arguments.of("data of the wrong nesting", request(tensor("a", "[2, 1]", "FP64", "[[1], 2]"),
                        tensor("b", "[2, 1]", "FP64", "[1, 2]")), "inputs[0].data[1] must be an array of one number"),
                Arguments.of("a string as a value", request(tensor("a", "[1]", "FP64", "[\"1\"]"), b1), "inputs[0].data[0] must be a finite number"),
                Arguments.of("a value beyond float64", request(tensor("a", "[1]", "FP64", "[1e400]"), b1), "inputs[0].data[0] must be a finite number"),
                Arguments.of("NaN", request(tensor("a", "[1]", "FP64", "[NaN]"), b1), "Non-standard token 'NaN'"),
                Arguments.of("an unknown input", request(a1, b1, tensor("c", "[1]", "FP64", "[3]")), "inputs[2].name is 'c'"),
                Arguments.of("a missing input", request(a1), "the model's input 'b' is missing"),
                Arguments.of("an input twice", request(a1, b1, tensor("a", "[1]", "FP64", "[3]")), "the input 'a' is given twice"),
                Arguments.of("no inputs", "{\"inputs\": []}", "inputs must be a non-empty array"),
                Arguments.of("an unknown output", "{\"inputs\": [" + a1 + ", " + b1 + "], \"outputs\": [{\"name\": \"z\"}]}",
                        "outputs[0].name is 'z'"),
                Arguments.of("a parameter that is an object", "{\"inputs\": [" + a1 + ", " + b1 + "], \"parameters\": {\"p\": {}}}",
                        "parameters.p must be a string, a number or a boolean"),
                Arguments.of("an output that overflows", request(tensor("a", "[1]", "FP64", "[1e200]"),
                        tensor("b", "[1]", "FP64", "[1e200]")), "row 0 (element 0 of every input)"),
                Arguments.of("more rows than max-predict-rows", request(tensor("a", "[10001]", "FP64", "[1]"),
                        tensor("b", "[10001]", "FP64", "[1]")), "inputs[0].shape has 10001 rows, at most 10000"),
                Arguments.of("not JSON", "{\"inputs\": [", "Unexpected end-of-input"),
                Arguments.of("a field the protocol does not have", "{\"inputs\": [" + a1 + ", " + b1 + "], \"input\": 1}",
                        "unknown field 'input'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void aBadRequestIsA400ErrorNamingTheField(String what, String body, String message) {
        importModel("oip-bad", "a * b", "NMU", "[1.0, 1.0]", ModelApiTest.PRODUCT_FORMULA);
        assertThat(error(post("/v2/models/oip-bad/infer", body), 400)).contains(message);
    }

    @Test
    void refusalsOfSecurityAreErrorsTooWithWwwAuthenticate() {
        ResponseEntity<String> none = send(HttpMethod.GET, "/v2", null, as(""));
        assertThat(error(none, 401)).contains("needs an API key");
        assertThat(none.getHeaders().getFirst("WWW-Authenticate")).isEqualTo("Bearer");
        ResponseEntity<String> wrong = send(HttpMethod.POST, "/v2/models/oip-mul/infer", "{}",
                as("nalu_not-a-key-at-all-0000000000000000000000000"));
        error(wrong, 401);
        assertThat(wrong.getHeaders().getFirst("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");
        // the read role suffices
        assertThat(send(HttpMethod.GET, "/v2/health/ready", null, as(newKey("read"))).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void noNonFiniteNumberIsWritten() {
        importModel("oip-finite", "a * b", "NMU", "[1.0, 1.0]", ModelApiTest.PRODUCT_FORMULA);
        String big = String.format(Locale.ROOT, "%.17g", Double.MAX_VALUE);
        ResponseEntity<String> r = post("/v2/models/oip-finite/infer",
                request(tensor("a", "[2]", "FP64", "[1, " + big + "]"), tensor("b", "[2]", "FP64", "[1, 2]")));
        assertThat(error(r, 400)).contains("row 1");
        assertThat(r.getBody()).doesNotContain("Infinity").doesNotContain("NaN");
    }
}
