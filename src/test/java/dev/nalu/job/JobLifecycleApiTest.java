package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;

/** Submit → watch → model → predict → evaluate, through real HTTP. */
class JobLifecycleApiTest extends ApiTestSupport {

    @Autowired
    private Nd4jWarmUp warmUp;

    /** Once the service is ready, ND4J is loaded and the training loop run in the background. */
    @Test
    void theServiceWarmsUpNd4jOnceReady() throws InterruptedException {
        assertThat(warmUp.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(warmUp.warmedUp()).isTrue();
    }

    @Test
    void aSumJobSucceedsToAnExactModelThatPredictsAndEvaluates() {
        ResponseEntity<String> submitted = post("/api/v1/jobs", SUM_JOB);
        assertThat(submitted.getStatusCode().value()).as(submitted.getBody()).isEqualTo(202);
        JsonNode job = read(submitted);
        long id = job.get("id").asLong();
        assertThat(submitted.getHeaders().getLocation()).hasToString("/api/v1/jobs/" + id);
        assertThat(job.get("state").asText()).isIn("QUEUED", "RUNNING");
        assertThat(job.get("architecture").asText()).isEqualTo("NAU(2→1)");
        assertThat(job.at("/spec/training/learningRate").asDouble()).isEqualTo(0.01);

        List<SseEvent> events = events(id, null, Duration.ofSeconds(60));

        assertThat(events).isNotEmpty();
        assertThat(events.get(0).event()).isEqualTo("state");
        assertThat(events.get(events.size() - 1).event()).isEqualTo("completed");
        List<SseEvent> progress = events.stream().filter(e -> e.event().equals("progress")).toList();
        assertThat(progress).hasSize(4);
        JsonNode last = readJson(progress.get(3).data());
        assertThat(last.get("step").asLong()).isEqualTo(2000);
        assertThat(last.get("extrapolation")).hasSize(2);
        assertThat(last.has("memberStepsPerSecond")).isTrue();
        assertThat(events.stream().map(SseEvent::id).map(Long::parseLong).toList()).isSorted().doesNotHaveDuplicates();

        JsonNode done = getJson("/api/v1/jobs/" + id);
        assertThat(done.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.get("startedAt").isTextual()).isTrue();
        assertThat(done.get("finishedAt").isTextual()).isTrue();
        assertThat(done.at("/progress/step").asLong()).isEqualTo(2000);
        long modelId = done.get("modelId").asLong();

        JsonNode model = getJson("/api/v1/models/" + modelId);
        assertThat(model.get("name").asText()).isEqualTo("sum");
        assertThat(model.get("sourceJobId").asLong()).isEqualTo(id);
        assertThat(model.at("/formula/text").asText()).isEqualTo("y = a + b");
        assertThat(model.at("/formula/exact").asBoolean()).isTrue();
        assertThat(model.at("/architecture/description").asText()).isEqualTo("NAU(2→1)");
        assertThat(model.at("/weights/0/tensors/0/name").asText()).isEqualTo("W");
        assertThat(model.at("/weights/0/tensors/0/shape").toString()).isEqualTo("[2,1]");
        assertThat(model.at("/metrics/extrapolation/0/formulaSuccess").asBoolean()).isTrue();

        JsonNode predicted = read(post("/api/v1/models/" + modelId + "/predict",
                "{\"inputs\": [{\"a\": 12345, \"b\": 678}, [0.1, 0.2]]}"));
        assertThat(predicted.get("answeredBy").asText()).isEqualTo("formula");
        assertThat(predicted.get("outputs").get(0).asDouble()).isEqualTo(13023.0);
        assertThat(predicted.get("outputs").get(1).asDouble()).isEqualTo(0.1 + 0.2);

        JsonNode evaluated = read(post("/api/v1/models/" + modelId + "/evaluate",
                "{\"ranges\": [[10, 1000], [1e5, 1e6]], \"samples\": 500, \"seed\": 1}"));
        assertThat(evaluated.get("results")).hasSize(2);
        for (JsonNode r : evaluated.get("results")) {
            assertThat(r.get("mse").asDouble()).isZero();
            assertThat(r.get("maxRelativeError").asDouble()).isZero();
            assertThat(r.get("success").asBoolean()).isTrue();
            assertThat(r.get("threshold").asDouble()).isPositive();
        }

        JsonNode metrics = getJson("/api/v1/jobs/" + id + "/metrics");
        assertThat(metrics.get("progress")).hasSize(4);
        assertThat(metrics.get("progress").get(0).get("step").asLong()).isEqualTo(500);
    }

    /**
     * With early stop (the default) the job ends at the first progress report where the selected
     * member snaps exactly on validation data; without it, the same job trains its whole budget.
     */
    @Test
    void earlyStopEndsASumJobBeforeItsBudgetWithTheExactFormula() {
        String early = SUM_JOB.replace("\"seed\": 7", "\"seed\": 21").replaceAll(",\\s*\"earlyStop\": false", "");
        assertThat(early).doesNotContain("earlyStop");
        long id = submit(early);
        List<SseEvent> events = events(id, null, Duration.ofSeconds(60));
        JsonNode completed = readJson(events.get(events.size() - 1).data());
        assertThat(events.get(events.size() - 1).event()).as(completed.toString()).isEqualTo("completed");
        long stoppedAt = completed.get("stoppedEarlyAt").asLong();
        assertThat(stoppedAt).isPositive().isLessThan(2000);
        assertThat(completed.get("steps").asLong()).isEqualTo(stoppedAt);
        assertThat(completed.get("exact").asBoolean()).isTrue();
        assertThat(completed.get("formula").asText()).isEqualTo("y = a + b");
        List<JsonNode> progress = events.stream().filter(e -> e.event().equals("progress"))
                .map(e -> readJson(e.data())).toList();
        assertThat(progress.get(progress.size() - 1).get("step").asLong()).isEqualTo(stoppedAt);
        assertThat(progress.get(progress.size() - 1).get("stoppedEarly").asBoolean()).isTrue();
        assertThat(progress.subList(0, progress.size() - 1)).noneMatch(p -> p.has("stoppedEarly"));

        JsonNode job = getJson("/api/v1/jobs/" + id);
        assertThat(job.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.at("/spec/training/earlyStop").asBoolean()).isTrue();
        assertThat(job.at("/progress/step").asLong()).isEqualTo(stoppedAt);
        JsonNode model = getJson("/api/v1/models/" + job.get("modelId").asLong());
        assertThat(model.at("/formula/text").asText()).isEqualTo("y = a + b");
        assertThat(model.at("/formula/exact").asBoolean()).isTrue();
        assertThat(model.at("/metrics/steps").asLong()).isEqualTo(stoppedAt);
        assertThat(model.at("/metrics/stoppedEarlyAt").asLong()).isEqualTo(stoppedAt);

        long full = submit(SUM_JOB.replace("\"seed\": 7", "\"seed\": 21"));
        List<SseEvent> fullEvents = events(full, null, Duration.ofSeconds(60));
        JsonNode fullCompleted = readJson(fullEvents.get(fullEvents.size() - 1).data());
        assertThat(fullEvents.get(fullEvents.size() - 1).event()).isEqualTo("completed");
        assertThat(fullCompleted.get("steps").asLong()).isEqualTo(2000);
        assertThat(fullCompleted.has("stoppedEarlyAt")).isFalse();
        assertThat(fullCompleted.get("formula").asText()).isEqualTo("y = a + b");
        assertThat(getJson("/api/v1/jobs/" + full).at("/spec/training/earlyStop").asBoolean()).isFalse();
    }

    @Test
    void theArithmeticTaskTrainsOnSubsetSumsAndItsModelTakesEveryInput() {
        long id = submit("""
                {"task": {"kind": "arithmetic", "op": "add", "inputSize": 10, "extrapolation": [2, 6]},
                 "training": {"steps": 400, "population": 2, "evaluateEvery": 200, "evaluationRows": 200}}""");
        JsonNode job = awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
        assertThat(job.get("name").asText()).isEqualTo("arithmetic-add");
        assertThat(job.get("architecture").asText()).isEqualTo("NAU(10→2) → NAU(2→1)");
        JsonNode model = getJson("/api/v1/models/" + job.get("modelId").asLong());
        assertThat(model.at("/task/kind").asText()).isEqualTo("arithmetic");
        assertThat(model.get("variables")).hasSize(10);

        JsonNode predicted = read(post("/api/v1/models/" + model.get("id").asLong() + "/predict",
                "{\"inputs\": [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]]}"));
        assertThat(predicted.get("outputs")).hasSize(1);
        JsonNode evaluated = read(post("/api/v1/models/" + model.get("id").asLong() + "/evaluate",
                "{\"ranges\": [2, 6], \"samples\": 200}"));
        assertThat(evaluated.at("/results/0/threshold").asDouble()).isPositive();
        assertThat(evaluated.at("/results/0/mse").isNumber() || evaluated.at("/results/0/mse").isTextual()).isTrue();
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
