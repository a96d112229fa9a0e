package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;

/**
 * The papers' experiments as presets: listed over HTTP, submitted as {"task": {"preset": …}}, expanded
 * into the task, ranges, model and budget their protocol fixes, with the request's own fields on top.
 */
class PresetApiTest extends ApiTestSupport {
    @Autowired
    JobSpecs specs;

    @Test
    void everyPresetIsListedAndIsAValidJob() {
        JsonNode items = getJson("/api/v1/presets").get("items");
        List<String> names = new ArrayList<>();
        items.forEach(p -> names.add(p.get("name").asText()));

        // 8 activations + NAC, 6 Trask ops, 6 Madsen ops, 9 ranges × 4 ops less a ÷ b on U[-2, 2], 6 recurrent ops,
        // running sum and product, counting, number words
        assertThat(names).hasSize(9 + 6 + 6 + 35 + 6 + 2 + 1 + 1).doesNotHaveDuplicates()
                .contains("identity-relu6", "identity-nac", "trask-sqrt", "madsen-mul", "primer-div-1-2",
                        "primer-mul-neg2-2", "recurrent-mul", "running-sum", "counting")
                .doesNotContain("primer-div-neg2-2");
        for (Presets.Preset p : Presets.all()) {
            JobSpec spec = specs.validate(new JobRequest(null, JobRequest.TaskRequest.preset(p.name()), null, null));
            assertThat(spec.name()).isEqualTo(p.name());
            assertThat(spec.training().stopsEarly()).as(p.name()).isFalse();
        }
        assertThat(getJson("/api/v1/presets?protocol=madsen").get("items")).hasSize(6);
        JsonNode mul = getJson("/api/v1/presets/madsen-mul");
        assertThat(mul.at("/request/task/op").asText()).isEqualTo("mul");
        assertThat(mul.at("/request/training/steps").asLong()).isEqualTo(100_000);
        assertThat(mul.at("/modules/NMU/0/unit").asText()).isEqualTo("NAU");
        assertThat(mul.at("/modules/NMU/1/unit").asText()).isEqualTo("NMU");
        assertThat(mul.at("/source").asText()).contains("Madsen");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/api/v1/presets/madsen-pow              | 404 | /problems/not-found     |",
            "/api/v1/presets?protocol=nalu2018       | 400 | /problems/invalid-field | protocol"})
    void unknownPresetsAndProtocolsAreProblems(String path, int status, String type, String field) {
        ResponseEntity<String> r = http.getForEntity(path, String.class);

        assertThat(r.getStatusCode().value()).isEqualTo(status);
        assertThat(read(r).get("type").asText()).isEqualTo(type);
        if (field != null) {
            assertThat(read(r).get("field").asText()).isEqualTo(field);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown preset        | {\"task\": {\"preset\": \"madsen-pow\"}}                        | task.preset",
            "preset with an op     | {\"task\": {\"preset\": \"madsen-mul\", \"op\": \"add\"}}      | task.op",
            "preset with a range   | {\"task\": {\"preset\": \"primer-add-1-2\", \"extrapolation\": [[2, 3]]}} | task.extrapolation",
            "preset with a length  | {\"task\": {\"preset\": \"recurrent-add\", \"testLengths\": [100]}} | task.testLengths",
            "override out of range | {\"task\": {\"preset\": \"madsen-add\"}, \"training\": {\"population\": 0}} | training.population"})
    void badPresetRequestsNameTheFieldAndWriteNothing(String what, String body, String field) {
        assertThat(read(assertJobRefused(body, field)).get("type").asText()).isEqualTo("/problems/invalid-field");
    }

    @Test
    void aPresetJobTrainsWhatItsProtocolFixesWithTheRequestsFieldsOnTop() {
        long id = submit("""
                {"task": {"preset": "primer-mul-neg2-2"},
                 "training": {"steps": 600, "population": 2, "seed": 5, "evaluateEvery": 300, "evaluationRows": 500}}""");
        JsonNode job = awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));

        assertThat(job.get("name").asText()).isEqualTo("primer-mul-neg2-2");
        assertThat(job.at("/spec/task/expression").asText()).isEqualTo("a * b");
        assertThat(job.at("/spec/task/variables/a").toString()).isEqualTo("[[-2.0,2.0]]");
        assertThat(job.at("/spec/extrapolation").toString()).isEqualTo("[[[-6.0,-2.0],[2.0,6.0]]]");
        assertThat(job.at("/spec/model/requested").asText()).isEqualTo("auto");
        assertThat(job.get("architecture").asText()).isEqualTo("NMU(2→1)");
        // from the preset: the protocol's learning rate and batch; from the request: the rest
        assertThat(job.at("/spec/training/learningRate").asDouble()).isEqualTo(1e-3);
        assertThat(job.at("/spec/training/batchSize").asInt()).isEqualTo(128);
        assertThat(job.at("/spec/training/steps").asLong()).isEqualTo(600);
        assertThat(job.at("/spec/training/population").asInt()).isEqualTo(2);
        assertThat(job.at("/spec/training/seed").asLong()).isEqualTo(5);
    }

    @Test
    void theIdentityDemoTrainsItsMlpAndAModelMayReplaceThePresetsOne() {
        long mlp = submit("""
                {"task": {"preset": "identity-tanh"}, "training": {"steps": 300, "population": 2, "evaluationRows": 500}}""");
        long nau = submit("""
                {"task": {"preset": "madsen-add"}, "model": {"layers": [{"unit": "NAU", "out": 2}, {"unit": "NAU", "out": 1}]},
                 "training": {"steps": 300, "population": 2, "evaluationRows": 500}}""");

        JsonNode identity = awaitState(mlp, "SUCCEEDED", Duration.ofSeconds(60));
        assertThat(identity.get("architecture").asText())
                .isEqualTo("DENSE[tanh](1→8) → DENSE[tanh](8→8) → DENSE[tanh](8→8) → DENSE(8→1)");
        assertThat(identity.at("/spec/extrapolation").toString()).isEqualTo("[[[-20.0,20.0]]]");
        JsonNode madsen = awaitState(nau, "SUCCEEDED", Duration.ofSeconds(60));
        assertThat(madsen.at("/spec/model/requested").asText()).isEqualTo("explicit");
        assertThat(madsen.get("architecture").asText()).isEqualTo("NAU(100→2) → NAU(2→1)");
    }
}
