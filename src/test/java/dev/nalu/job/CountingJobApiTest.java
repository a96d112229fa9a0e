package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.nalu.ApiTestSupport;
import dev.nalu.task.Rng;

/**
 * Counting jobs through HTTP (docs/api.md, "Sequence jobs"; docs/sequence.md, "Counting"): a job over 3 symbols
 * trains an NAU cell with an NAU head of 3 outputs that snaps to exact counters, predicts the counts of a 1000-step
 * sequence given as symbols or one-hot steps, scores the rounded counts at lengths it never saw, and exports and
 * imports bit for bit; refused inputs name their field (refused requests: SequenceJobApiTest).
 */
class CountingJobApiTest extends ApiTestSupport {

    /** CountingTaskTest's settings (k = 3, K = 8, seed 1, 3000 steps, λ̂ = 1 from step 1000 to 2000). */
    static final String COUNTING = """
            {"name": "counting-test", "task": {"kind": "sequence", "op": "count", "symbols": 3, "testLengths": [100]},
             "model": "auto",
             "training": {"steps": 3000, "population": 8, "seed": 1, "learningRate": 0.01, "batchSize": 64,
                          "evaluateEvery": 500, "evaluationRows": 256, "regulariserStrength": 1,
                          "regulariserStart": 0.3333333333333333, "regulariserEnd": 0.6666666666666666}}""";

    @Test
    void aCountingJobSnapsToExactCountersThatCountAThousandStepSequence() throws Exception {
        long id = submit(COUNTING);
        JsonNode job = awaitState(id, "SUCCEEDED", Duration.ofSeconds(180));
        JsonNode spec = job.get("spec");
        assertThat(spec.at("/model/rule").asText()).isEqualTo("sequence-count");
        assertThat(spec.at("/model/recurrent/hidden").asInt()).isEqualTo(3);
        assertThat(spec.at("/model/recurrent/outputs").asInt()).isEqualTo(3);
        assertThat(spec.at("/task/sequence/symbols").asInt()).isEqualTo(3);
        assertThat(spec.at("/task/sequence/inputs").asInt()).isEqualTo(3);

        long modelId = job.get("modelId").asLong();
        JsonNode model = getJson("/api/v1/models/" + modelId);
        System.out.printf("counting job: trained %s → %s; metrics %s; formula %s%n", job.get("startedAt").asText(),
                job.get("finishedAt").asText(), model.get("metrics"), model.at("/formula/text").asText());
        assertThat(model.at("/formula/exact").asBoolean()).as(model.toString()).isTrue();
        assertThat(model.at("/architecture/description").asText()).isEqualTo("NAU cell(3→3) → NAU(3→3)");
        assertThat(model.at("/architecture/outputs").asInt()).isEqualTo(3);
        assertThat(model.at("/metrics/extrapolation/0/accuracy").asDouble()).isEqualTo(1.0);

        // 1000 symbols: the counts, as symbols and as one-hot steps
        int length = 1000;
        Rng rng = Rng.seeded(7, 0);
        ArrayNode symbols = json.createArrayNode();
        ArrayNode oneHot = json.createArrayNode();
        double[] counts = new double[3];
        for (int t = 0; t < length; t++) {
            int s = rng.nextInt(3);
            symbols.add(s);
            ArrayNode step = oneHot.addArray().add(0).add(0).add(0);
            step.set(s, json.getNodeFactory().numberNode(1));
            counts[s]++;
        }
        ObjectNode bySymbols = json.createObjectNode();
        bySymbols.putArray("inputs").addObject().set("symbols", symbols);
        JsonNode predicted = read(post("/api/v1/models/" + modelId + "/predict", bySymbols.toString()));
        assertThat(predicted.get("answeredBy").asText()).isEqualTo("formula");
        assertThat(json.treeToValue(predicted.at("/vectors/0"), double[].class)).containsExactly(counts);
        assertThat(json.treeToValue(predicted.get("outputs"), double[].class)).containsExactly(counts);
        ObjectNode byOneHot = json.createObjectNode();
        byOneHot.putArray("inputs").addObject().set("x", oneHot);
        assertThat(json.treeToValue(read(post("/api/v1/models/" + modelId + "/predict", byOneHot.toString()))
                .at("/vectors/0"), double[].class)).containsExactly(counts);

        JsonNode evaluation = read(post("/api/v1/models/" + modelId + "/evaluate",
                "{\"lengths\": [1000], \"samples\": 20, \"seed\": 3}"));
        JsonNode r = evaluation.at("/results/0");
        assertThat(r.get("success").asBoolean()).as(r.toString()).isTrue();
        assertThat(r.get("accuracy").asDouble()).as(r.toString()).isEqualTo(1.0);
        assertThat(r.get("countAccuracy").asDouble()).as(r.toString()).isEqualTo(1.0);

        // export → import → export is bit-exact, and the import counts the same
        JsonNode exported = getJson("/api/v1/models/" + modelId + "/export");
        long copy = importsBitExact(exported);
        assertThat(json.treeToValue(read(post("/api/v1/models/" + copy + "/predict", bySymbols.toString()))
                .at("/vectors/0"), double[].class)).containsExactly(counts);
        ObjectNode oneOutput = exported.deepCopy();
        ((ObjectNode) oneOutput.get("architecture")).remove("outputs");
        assertProblem(post("/api/v1/models", oneOutput.toString()), 400, "architecture.outputs");

        // bad inputs: a symbol outside the alphabet, a step of the wrong width, a static row
        String at = "/api/v1/models/" + modelId + "/predict";
        assertProblem(post(at, "{\"inputs\": [{\"symbols\": [0, 3]}]}"), 400, "inputs[0].symbols[1]");
        assertProblem(post(at, "{\"inputs\": [{\"symbols\": [0, 1.5]}]}"), 400, "inputs[0].symbols[1]");
        assertProblem(post(at, "{\"inputs\": [{\"symbols\": []}]}"), 400, "inputs[0].symbols");
        assertProblem(post(at, "{\"inputs\": [{\"x\": [[1, 0]]}]}"), 400, "inputs[0].x[0]");
        assertProblem(post(at, "{\"inputs\": [{\"a\": 1}]}"), 400, "inputs[0]");
    }

    @Test
    void theCountingPresetCountsTenSymbolsWithAnAutoModelOfTenOutputs() {
        JsonNode preset = getJson("/api/v1/presets/counting");
        assertThat(preset.at("/request/task/op").asText()).isEqualTo("count");
        assertThat(preset.at("/request/task/symbols").asInt()).isEqualTo(10);
        assertThat(preset.at("/request/task/testLengths")).hasSize(2);
        assertThat(getJson("/api/v1/presets?protocol=counting").get("items")).hasSize(1);
    }
}
