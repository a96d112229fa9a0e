package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.nalu.ApiTestSupport;
import dev.nalu.task.NumberWordsTask;

/**
 * Number-words jobs through HTTP (docs/api.md, "Number words"; docs/sequence.md, "Number words"): a short job trains
 * the "auto" model (embedding → LSTM → NALU) on the seeded split, streams the MAE of each split, and makes a model that
 * reads numbers in words, is scored on its three splits and exports and imports bit for bit; unknown words and bad
 * requests are 400s naming their field. The job is far too short to learn the task: the figures are checked for
 * being measured and consistent, not for being good (docs/results/number-words.md has the quality).
 */
class NumberWordsJobApiTest extends ApiTestSupport {

    /** Trask et al.'s model, 300 steps of 2 members, a report every 100: a job of a few seconds. */
    static final String SHORT = """
            {"name": "number-words-test", "task": {"kind": "number-words"},
             "model": {"cell": "LSTM", "hidden": 10, "head": "NALU", "embedding": 16},
             "training": {"steps": 300, "population": 2, "seed": 1, "evaluateEvery": 100}}""";

    @Autowired
    JobSpecs specs;

    @Test
    void aShortNumberWordsJobStreamsTheMaeOfEachSplitAndItsModelReadsNumbersInWords() throws Exception {
        long id = submit(SHORT);
        JsonNode job = awaitState(id, "SUCCEEDED", Duration.ofSeconds(120));
        JsonNode spec = job.get("spec");
        assertThat(spec.at("/task/kind").asText()).isEqualTo("number-words");
        assertThat(spec.at("/task/words/seed").asLong()).isEqualTo(1);
        assertThat(spec.at("/task/words/test").asInt()).isEqualTo(NumberWordsTask.TEST);
        assertThat(spec.at("/model/rule").asText()).isEqualTo("explicit");
        assertThat(spec.at("/model/recurrent/cell").asText()).isEqualTo("LSTM");
        assertThat(spec.at("/model/recurrent/vocabulary").asInt()).isEqualTo(29);
        assertThat(spec.at("/model/recurrent/embedding").asInt()).isEqualTo(16);
        assertThat(spec.at("/model/recurrent/hidden").asInt()).isEqualTo(10);
        assertThat(spec.at("/training/learningRate").asDouble()).isEqualTo(0.1);
        assertThat(spec.at("/training/regulariserSchedule").asText()).isEqualTo("exponential");

        List<SseEvent> events = events(id, null, Duration.ofSeconds(10));
        List<JsonNode> progress = events.stream().filter(e -> e.event().equals("progress"))
                .map(e -> read(ResponseEntity.ok(e.data()))).toList();
        assertThat(progress).extracting(p -> p.get("step").asLong()).containsExactly(100L, 200L, 300L);
        for (JsonNode p : progress) {
            assertThat(p.at("/extrapolation/0/range").asText()).isEqualTo("test");
            for (String split : List.of("training", "validation", "test")) {
                assertThat(p.at("/mae/" + split).isNumber()).as(p.toString()).isTrue();
                assertThat(p.at("/mae/" + split).asDouble()).as(p.toString()).isPositive();
            }
        }

        long modelId = job.get("modelId").asLong();
        JsonNode model = getJson("/api/v1/models/" + modelId);
        System.out.printf("number-words job: trained %s → %s; metrics %s%n", job.get("startedAt").asText(),
                job.get("finishedAt").asText(), model.get("metrics"));
        assertThat(model.at("/architecture/description").asText())
                .isEqualTo("embedding(29→16) → LSTM cell(16→10) → NALU(10→1)");
        assertThat(model.at("/architecture/vocabulary").asInt()).isEqualTo(29);
        assertThat(model.at("/architecture/embedding").asInt()).isEqualTo(16);
        assertThat(model.at("/weights/0/tensors").findValuesAsText("name")).contains("E");
        assertThat(model.at("/formula/exact").asBoolean()).isFalse();
        assertThat(model.at("/formula/text").isMissingNode()).isTrue();
        assertThat(model.at("/metrics/extrapolation/0/split").asText()).isEqualTo("test");
        double testMae = model.at("/metrics/mae/test").asDouble();
        assertThat(model.at("/metrics/integerTables").asBoolean()).isFalse();
        assertThat(testMae).isPositive();

        // words to a value: any case, hyphens or spaces; the same tokens, the same value
        String at = "/api/v1/models/" + modelId + "/predict";
        JsonNode predicted = read(post(at, """
                {"inputs": [{"text": "seven hundred and twelve"}, {"text": "Forty-two"}, {"text": " forty   two "}]}"""));
        assertThat(predicted.get("answeredBy").asText()).isEqualTo("network");
        assertThat(predicted.get("outputs")).hasSize(3);
        assertThat(Double.isFinite(predicted.at("/outputs/0").asDouble())).isTrue();
        assertThat(predicted.at("/outputs/1").isNumber()).isTrue();
        assertThat(predicted.at("/outputs/1").asDouble()).isEqualTo(predicted.at("/outputs/2").asDouble());
        ResponseEntity<String> unknown = post(at, "{\"inputs\": [{\"text\": \"one\"}, {\"text\": \"two thousand and five\"}]}");
        assertProblem(unknown, 400, "inputs[1].text");
        assertThat(read(unknown).get("word").asText()).isEqualTo("thousand");
        assertThat(read(unknown).get("position").asInt()).isEqualTo(2);
        assertThat(read(unknown).get("detail").asText()).contains("'thousand'");
        assertProblem(post(at, "{\"inputs\": [{\"text\": \"\"}]}"), 400, "inputs[0].text");
        assertProblem(post(at, "{\"inputs\": [{\"text\": \"   \"}]}"), 400, "inputs[0].text");
        assertProblem(post(at, "{\"inputs\": [{\"x\": [3, 29, 1, 13]}]}"), 400, "inputs[0]");
        assertProblem(post(at, "{\"inputs\": [{\"text\": 42}]}"), 400, "inputs[0]");

        // scored on its own three splits, in float64: the test MAE the job reported
        JsonNode evaluation = read(post("/api/v1/models/" + modelId + "/evaluate", "{}"));
        JsonNode results = evaluation.get("results");
        assertThat(results).hasSize(3);
        assertThat(results.findValuesAsText("split")).containsExactly("training", "validation", "test");
        assertThat(results.findValues("samples")).extracting(JsonNode::asInt)
                .containsExactly(NumberWordsTask.TRAIN, NumberWordsTask.VALIDATION, NumberWordsTask.TEST);
        for (JsonNode r : results) {
            assertThat(r.get("mae").isNumber()).as(r.toString()).isTrue();
            assertThat(r.get("accuracy").asDouble()).as(r.toString()).isBetween(0.0, 1.0);
        }
        assertThat(results.get(2).get("mae").asDouble()).isCloseTo(testMae, within(1e-9 * testMae));
        assertProblem(post("/api/v1/models/" + modelId + "/evaluate", "{\"lengths\": [10]}"), 400, "lengths");
        assertProblem(post("/api/v1/models/" + modelId + "/evaluate", "{\"ranges\": [[1, 2]]}"), 400, "ranges");

        // export → import → export is bit-exact (the embedding among the cell's weights), and the copy reads the same
        JsonNode exported = getJson("/api/v1/models/" + modelId + "/export");
        long copy = importsBitExact(exported);
        assertThat(read(post("/api/v1/models/" + copy + "/predict", "{\"inputs\": [{\"text\": \"seven hundred and "
                + "twelve\"}]}")).at("/outputs/0").asDouble()).isEqualTo(predicted.at("/outputs/0").asDouble());
        ObjectNode noVocabulary = exported.deepCopy();
        ((ObjectNode) noVocabulary.get("architecture")).put("vocabulary", 30);
        assertProblem(post("/api/v1/models", noVocabulary.toString()), 400, "architecture.vocabulary");
        ObjectNode formula = exported.deepCopy();
        ((ObjectNode) formula.get("formula")).put("text", "y = 0");
        assertProblem(post("/api/v1/models", formula.toString()), 400, "formula");
        ObjectNode split = exported.deepCopy();
        ((ObjectNode) split.at("/task/words")).put("test", 600);
        assertProblem(post("/api/v1/models", split.toString()), 400, "task");
    }

    /**
     * "auto" trains the MAC cell (h = h·M[word] + A[word], one state value) and an NAU head, then refits and snaps it on
     * the training split (MacRefit): even this short job (300 steps of 2 members, seed 1, whose training split holds
     * no "X hundred" alone) ends with integer tables that read every number of every split exactly, "nine hundred"
     * included. Its tables L, A and h0 are the model's weights, with no embedding, and survive export and import bit
     * for bit.
     */
    @Test
    void autoTrainsTheMacCellWhoseTablesAreTheModel() throws Exception {
        long id = submit("""
                {"task": {"kind": "number-words"}, "model": "auto",
                 "training": {"steps": 300, "population": 2, "seed": 1, "evaluateEvery": 100}}""");
        JsonNode job = awaitState(id, "SUCCEEDED", Duration.ofSeconds(120));
        assertThat(job.at("/spec/model/rule").asText()).isEqualTo("number-words-mac");
        assertThat(job.at("/spec/model/reason").asText()).contains("MAC");
        assertThat(job.at("/spec/model/recurrent/cell").asText()).isEqualTo("MAC");
        assertThat(job.at("/spec/model/recurrent/embedding").asInt()).isZero();
        assertThat(job.at("/spec/training/learningRate").asDouble()).isEqualTo(0.03);
        long modelId = job.get("modelId").asLong();
        JsonNode model = getJson("/api/v1/models/" + modelId);
        assertThat(model.at("/architecture/description").asText()).isEqualTo("MAC cell(29→1) → NAU(1→1)");
        assertThat(model.at("/weights/0/tensors").findValuesAsText("name")).containsExactlyInAnyOrder("h0", "L", "A");
        assertThat(model.at("/metrics/integerTables").asBoolean()).isTrue();
        assertThat(model.at("/formula/exact").asBoolean()).isTrue();
        assertThat(model.at("/formula/text").asText()).startsWith("h0[t] = h0[t−1] · M0[x_t] + A0[x_t], h0[0] = 0")
                .contains("M0 = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 100]")
                .contains("A0 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 30, 40, 50, 60, "
                        + "70, 80, 90, 0]")
                .endsWith("y = h0[T]");
        for (String split : List.of("training", "validation", "test")) {
            assertThat(model.at("/metrics/mae/" + split).asDouble()).as(split).isLessThan(1e-9);
        }
        String at = "/api/v1/models/" + modelId + "/predict";
        JsonNode outputs = read(post(at, "{\"inputs\": [{\"text\": \"nine hundred\"}, {\"text\": \"nine hundred and "
                + "ninety-nine\"}]}")).at("/outputs");
        assertThat(outputs.get(0).asDouble()).isCloseTo(900, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(outputs.get(1).asDouble()).isCloseTo(999, org.assertj.core.data.Offset.offset(1e-9));
        double value = read(post(at, "{\"inputs\": [{\"text\": \"three hundred and forty two\"}]}")).at("/outputs/0")
                .asDouble();
        assertThat(Double.isFinite(value)).isTrue();
        assertProblem(post(at, "{\"inputs\": [{\"text\": \"three million\"}]}"), 400, "inputs[0].text");

        JsonNode exported = getJson("/api/v1/models/" + modelId + "/export");
        long copy = importsBitExact(exported);
        assertThat(read(post("/api/v1/models/" + copy + "/predict", "{\"inputs\": [{\"text\": \"three hundred and "
                + "forty two\"}]}")).at("/outputs/0").asDouble()).isEqualTo(value);
        ObjectNode claimed = exported.deepCopy();
        ((ObjectNode) claimed.get("formula")).put("text", exported.at("/formula/text").asText().replace("100]", "99]"));
        assertProblem(post("/api/v1/models", claimed.toString()), 400, "formula");
        ObjectNode embedded = exported.deepCopy();
        ((ObjectNode) embedded.get("architecture")).put("embedding", 4);
        assertProblem(post("/api/v1/models", embedded.toString()), 400, "architecture");
    }

    @Test
    void withNoSettingsAJobTrainsTheBenchmarksBestModelAndTheModelCanBeChosen() {
        JobSpec spec = specs.validate(new JobRequest(null, JobRequest.TaskRequest.numberWords(), null, null));
        assertThat(spec.name()).isEqualTo("number-words");
        assertThat(spec.model().requested()).isEqualTo("auto");
        assertThat(spec.model().describe()).isEqualTo("MAC cell(29→1) → NAU(1→1)");
        JobSpec.Training t = spec.training();
        assertThat(List.of(t.steps(), (long) t.population(), (long) t.batchSize(), t.seed())).containsExactly(3000L,
                16L, 64L, 0L);
        assertThat(t.learningRate()).isEqualTo(0.03);
        assertThat(t.learningRateDecayStart()).isEqualTo(0.7);
        assertThat(t.stopsEarly()).isFalse();
        assertThat(spec.task().words().seed()).isZero();
        assertThat(specs.validate(new JobRequest(null, JobRequest.TaskRequest.numberWords(),
                new JobRequest.ModelCell("MAC", null, null), null)).model().describe())
                .isEqualTo("MAC cell(29→1) → NAU(1→1)");

        JobSpec explicit = specs.validate(new JobRequest("gru-words", JobRequest.TaskRequest.numberWords(),
                new JobRequest.ModelCell("GRU", 6, "DENSE", 8), new JobRequest.TrainingRequest(500L, 4, 3L, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null)));
        assertThat(explicit.model().describe()).isEqualTo("embedding(29→8) → GRU cell(8→6) → DENSE(6→1)");
        assertThat(explicit.task().words().seed()).isEqualTo(3);
        assertThat(explicit.training().steps()).isEqualTo(500);
        assertThat(explicit.training().learningRate()).isEqualTo(0.1);
        assertThat(specs.validate(new JobRequest(null, JobRequest.TaskRequest.numberWords(),
                new JobRequest.ModelCell("LSTM", null, null), null)).model().describe())
                .isEqualTo("embedding(29→16) → LSTM cell(16→10) → DENSE(10→1)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "op                   | {\"kind\": \"number-words\", \"op\": \"add\"}         | | | task.op",
            "test lengths         | {\"kind\": \"number-words\", \"testLengths\": [100]}  | | | task.testLengths",
            "train length         | {\"kind\": \"number-words\", \"trainLength\": 5}      | | | task.trainLength",
            "expression           | {\"kind\": \"number-words\", \"expression\": \"a\"}   | | | task.expression",
            "cell without tokens  | {\"kind\": \"number-words\"} | {\"cell\": \"NMU\"}                  | | model.cell",
            "unknown cell         | {\"kind\": \"number-words\"} | {\"cell\": \"XYZ\"}                  | | model.cell",
            "embedding too wide   | {\"kind\": \"number-words\"} | {\"cell\": \"LSTM\", \"embedding\": 257} | | model.embedding",
            "embedding 0          | {\"kind\": \"number-words\"} | {\"cell\": \"LSTM\", \"embedding\": 0} | | model.embedding",
            "embedding for MAC    | {\"kind\": \"number-words\"} | {\"cell\": \"MAC\", \"embedding\": 4} | | model.embedding",
            "hidden too wide      | {\"kind\": \"number-words\"} | {\"cell\": \"LSTM\", \"hidden\": 33}  | | model.hidden",
            "layers               | {\"kind\": \"number-words\"} | {\"layers\": [{\"unit\": \"NAU\", \"out\": 1}]} | | model.layers",
            "search               | {\"kind\": \"number-words\"} | \"search\"                           | | model",
            "evaluation rows      | {\"kind\": \"number-words\"} | | {\"evaluationRows\": 100}            | training.evaluationRows",
            "early stop           | {\"kind\": \"number-words\"} | | {\"earlyStop\": true}                | training.earlyStop",
            "input-mean split     | {\"kind\": \"number-words\"} | | {\"splitInputMean\": true}           | training.splitInputMean",
            "too many steps       | {\"kind\": \"number-words\"} | | {\"steps\": 100000000}               | training.steps",
            "embedding for a sum  | {\"kind\": \"sequence\", \"op\": \"sum\"} | {\"cell\": \"NAU\", \"embedding\": 4} | | model.embedding"})
    void badNumberWordsRequestsNameTheFieldAndWriteNothing(String what, String task, String model, String training,
                                                           String field) {
        assertJobRefused("{\"task\": " + task + (model == null ? "" : ", \"model\": " + model)
                + (training == null ? "" : ", \"training\": " + training) + "}", field);
    }

    @Test
    void theNumberWordsPresetHasTheBenchmarksSettings() {
        JsonNode preset = getJson("/api/v1/presets/number-words");
        assertThat(preset.at("/request/task/kind").asText()).isEqualTo("number-words");
        assertThat(preset.at("/request/model/cell").asText()).isEqualTo("LSTM");
        assertThat(preset.at("/request/model/head").asText()).isEqualTo("NALU");
        assertThat(preset.at("/request/training/steps").asLong()).isEqualTo(2000);
        assertThat(preset.at("/request/training/population").asInt()).isEqualTo(8);
        assertThat(preset.at("/request/training/learningRate").asDouble()).isEqualTo(0.1);
        assertThat(getJson("/api/v1/presets?protocol=number-words").get("items")).hasSize(1);
        JobSpec spec = specs.validate(new JobRequest(null, JobRequest.TaskRequest.preset("number-words"), null,
                new JobRequest.TrainingRequest(null, null, 5L, null, null, null, null, null, null, null, null, null, null,
                        null, null, null, null, null)));
        assertThat(spec.task().isNumberWords()).isTrue();
        assertThat(spec.task().words().seed()).isEqualTo(5);
        assertThat(spec.training().steps()).isEqualTo(2000);
    }
}
