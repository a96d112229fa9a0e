package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.ApiTestSupport;
import dev.nalu.cost.Budgets;

/**
 * Jobs against this replica's budgets (derived from the test JVM's heap and its 2 workers): refused at
 * submit with a 422 that names the budget and writes nothing, and refused again by a worker when a job
 * accepted elsewhere (by a replica with a bigger heap) is over this replica's budget.
 */
class JobBudgetTest extends ApiTestSupport {
    /** The example: NMU(1000→32) in a deeper model, 256 members, batch 1024: 279 GB of buffers. */
    static final String WIDE_JOB = """
            {"name": "too-wide", "task": {"kind": "arithmetic", "op": "mul", "inputSize": 1000},
             "model": {"layers": [{"unit": "NMU", "out": 32}, {"unit": "NAU", "out": 1}]},
             "training": {"population": 256, "batchSize": 1024}}""";

    @Autowired
    private Budgets budgets;
    @Autowired
    private JobSpecs specs;
    @Autowired
    private JobStore store;
    @Autowired
    private JobEngine engine;

    @Test
    void aJobOverTheByteBudgetIs422NamingTheBudgetAndNothingIsWritten() {
        long jobs = count("jobs");
        long events = count("job_events");
        long keys = count("idempotency_keys");

        ResponseEntity<String> r = send(HttpMethod.POST, "/api/v1/jobs", WIDE_JOB, Map.of("Idempotency-Key", "too-wide"));

        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(422);
        assertThat(r.getHeaders().getContentType()).isNotNull()
                .matches(t -> t.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON), "application/problem+json");
        JsonNode p = read(r);
        assertThat(p.get("type").asText()).isEqualTo("/problems/over-budget");
        assertThat(p.get("title").asText()).isEqualTo("Over budget");
        assertThat(p.get("budget").asText()).isEqualTo("nalu.limits.max-job-bytes");
        assertThat(p.get("limit").asLong()).isEqualTo(budgets.job().bytes());
        assertThat(p.get("needed").asLong()).isGreaterThan(250L << 30);
        assertThat(p.get("detail").asText()).startsWith("the job needs 278.7 GB: 277.3 GB of ND4J training buffers")
                .contains("this replica's budget per job is", "(nalu.limits.max-job-bytes, not set: 0.5 × the",
                        "heap / 2 workers)");
        assertThat(count("jobs")).isEqualTo(jobs);
        assertThat(count("job_events")).isEqualTo(events);
        assertThat(count("idempotency_keys")).isEqualTo(keys);
    }

    @Test
    void aJobOverTheMemberStepBudgetIs422() {
        long jobs = count("jobs");
        ResponseEntity<String> r = post("/api/v1/jobs", """
                {"task": {"expression": "a * b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [1, 2]}}},
                 "training": {"steps": 1000000, "population": 256}}""");

        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(422);
        JsonNode p = read(r);
        assertThat(p.get("type").asText()).isEqualTo("/problems/over-budget");
        assertThat(p.get("budget").asText()).isEqualTo("nalu.limits.max-member-steps");
        assertThat(p.get("needed").asLong()).isEqualTo(256_000_000L);
        assertThat(p.get("limit").asLong()).isEqualTo(100_000_000L);
        assertThat(count("jobs")).isEqualTo(jobs);
    }

    @Test
    void aWorkerRefusesAJobOverItsBudgetWithTheReasonInsteadOfRunningOutOfMemory() throws Exception {
        // a replica with a bigger heap accepted it; this one picks it up
        JobSpec spec = specs.validate(json.readValue(WIDE_JOB, JobRequest.class));
        long id = store.insert(spec.name(), json.writeValueAsString(spec), spec.model().toSpec().describe(),
                json.writeValueAsString(Map.of("state", JobState.QUEUED)), null, () -> { });
        engine.schedule(id);

        JsonNode job = awaitState(id, "FAILED", Duration.ofSeconds(30));
        assertThat(job.get("failureReason").asText()).startsWith("the job needs 278.7 GB")
                .contains("nalu.limits.max-job-bytes");
        assertThat(job.has("modelId")).isFalse();
        assertThat(store.checkpoint(id)).isEmpty();
        assertThat(store.events(id, "failed")).singleElement()
                .satisfies(e -> assertThat(e.data()).contains("nalu.limits.max-job-bytes"));
    }
}
