package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nalu.NaluApplication;
import dev.nalu.PostgresTest;
import dev.nalu.TestDatabases;
import dev.nalu.TestKeys;

/**
 * Restart safety: a service stopped in the middle of a job and started again on the same
 * database resumes the job from its checkpoint, and the model it ends with has exactly the
 * weights of an uninterrupted run: a static job, a sequence job (SequenceTrainer's checkpoint; its test length and
 * test range rebuilt from the stored spec measure the same) and a number-words
 * job (the same checkpoint, with the token embedding among the weights).
 */
class JobRestartTest {
    private static final String JOB = """
            {"name": "restart", "task": {"expression": "a + b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [1, 2]}}},
             "model": {"layers": [{"unit": "NAU", "out": 1}]},
             "training": {"steps": 6000, "population": 4, "seed": 11, "evaluateEvery": 250, "evaluationRows": 500,
                          "earlyStop": false}}""";
    private static final String SEQUENCE_JOB = """
            {"name": "restart-sequence", "task": {"kind": "sequence", "op": "sum", "testLengths": [100], "testRanges": [[1, 5]]},
             "training": {"steps": 3000, "population": 4, "seed": 11, "evaluateEvery": 250, "evaluationRows": 128,
                          "earlyStop": false}}""";

    /** A short number-words job (an LSTM step costs more than an NAU step): stopped at step 500 of 750. */
    private static final String NUMBER_WORDS_JOB = """
            {"name": "restart-words", "task": {"kind": "number-words"},
             "model": {"cell": "LSTM", "hidden": 4, "embedding": 4, "head": "NALU"},
             "training": {"steps": 750, "population": 2, "seed": 11, "evaluateEvery": 250}}""";

    static Stream<Arguments> jobs() {
        return Stream.of(Arguments.of("static", JOB, 6000, 1500, "y = a + b"),
                Arguments.of("sequence", SEQUENCE_JOB, 3000, 1500, null),
                Arguments.of("number words", NUMBER_WORDS_JOB, 750, 500, null));
    }

    private final ObjectMapper json = new ObjectMapper();
    private final boolean postgres = getClass().isAnnotationPresent(PostgresTest.class);
    private final Map<String, Object> database = TestDatabases.newDatabase("restart", postgres);

    private ConfigurableApplicationContext start() {
        // arguments, not builder properties: those are defaults that application.yml overrides
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
                "--nalu.security.bootstrap-admin-key=" + TestKeys.ADMIN, "--nalu.jobs.checkpoint-every=1000",
                "--spring.main.banner-mode=off", "--spring.profiles.active=" + (postgres ? "postgres" : "default")));
        database.forEach((key, value) -> args.add("--" + key + "=" + value));
        return new SpringApplicationBuilder(NaluApplication.class).run(args.toArray(String[]::new));
    }

    private static RestClient client(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeader("Authorization", TestKeys.bearer(TestKeys.ADMIN)).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    @ExtendWith(OutputCaptureExtension.class)
    void aJobInterruptedByAStopResumesFromItsCheckpointAndEndsWithTheWeightsOfAnUninterruptedRun(String kind, String job,
            long budget, long stopAt, String formula, CapturedOutput output) throws Exception {
        long interrupted;
        ConfigurableApplicationContext first = start();
        try {
            RestClient http = client(first);
            interrupted = submit(http, job);
            awaitStep(http, interrupted, stopAt);
        } finally {
            first.close();
        }
        assertThat(output.getOut()).as("the release is logged as such")
                .contains("job " + interrupted + " interrupted by a stopping service at step");
        assertThat(output.getOut() + output.getErr()).as("a graceful release is no failure to db-scheduler")
                .doesNotContain("Unhandled exception").doesNotContain("Treating as failure");

        ConfigurableApplicationContext second = start();
        try {
            RestClient http = client(second);
            JsonNode afterRestart = get(http, "/api/v1/jobs/" + interrupted);
            assertThat(afterRestart.get("state").asText()).isIn("RUNNING", "SUCCEEDED");
            JsonNode resumed = awaitState(http, interrupted, "SUCCEEDED");
            long uninterrupted = submit(http, job);
            JsonNode reference = awaitState(http, uninterrupted, "SUCCEEDED");

            List<JsonNode> states = new ArrayList<>();
            for (JsonNode e : get(http, "/api/v1/jobs/" + interrupted + "/metrics").get("progress")) {
                states.add(e);
            }
            List<Long> steps = states.stream().map(p -> p.get("step").asLong()).toList();
            List<Long> expected = new ArrayList<>();
            for (long s = 250; s <= budget; s += 250) {
                expected.add(s);
            }
            assertThat(steps).as("progress reports after the restart: none lost, none repeated").isEqualTo(expected);

            String stream = http.get().uri("/api/v1/jobs/" + interrupted + "/events")
                    .accept(MediaType.TEXT_EVENT_STREAM).retrieve().body(String.class);
            List<JsonNode> stateEvents = stateEvents(stream);
            JsonNode releaseEvent = stateEvents.stream().filter(e -> e.has("releasedAtStep")).findFirst()
                    .orElseThrow(() -> new AssertionError("no released state event in " + stream));
            JsonNode resumeEvent = stateEvents.stream().filter(e -> e.has("resumedFromStep")).findFirst()
                    .orElseThrow(() -> new AssertionError("no resumed state event in " + stream));
            assertThat(releaseEvent.get("releasedAtStep").asLong()).as("checkpointed when stopped").isGreaterThanOrEqualTo(stopAt);
            assertThat(resumeEvent.get("resumedFromStep").asLong()).as("resumed from the checkpoint written at stop")
                    .isEqualTo(releaseEvent.get("releasedAtStep").asLong());
            assertThat(stateEvents).filteredOn(e -> e.get("state").asText().equals("RUNNING"))
                    .as("each running state names its replica").allMatch(e -> !e.path("replica").asText().isBlank());

            JsonNode a = get(http, "/api/v1/models/" + resumed.get("modelId").asLong() + "/export");
            JsonNode b = get(http, "/api/v1/models/" + reference.get("modelId").asLong() + "/export");
            assertThat(a.get("weights")).isEqualTo(b.get("weights"));
            if (formula != null) {
                assertThat(a.at("/formula/text").asText()).isEqualTo(formula);
            }
            assertThat(a.get("formula")).isEqualTo(b.get("formula"));
            if (kind.equals("sequence")) { // the test length and the test range, rebuilt from the stored spec
                JsonNode sets = get(http, "/api/v1/models/" + resumed.get("modelId").asLong()).at("/metrics/extrapolation");
                assertThat(sets.findValuesAsText("length")).containsExactly("100", "10");
                assertThat(sets).isEqualTo(get(http, "/api/v1/models/" + reference.get("modelId").asLong())
                        .at("/metrics/extrapolation"));
            }
            assertThat(a.get("version").asInt()).isEqualTo(1);
            assertThat(b.get("version").asInt()).isEqualTo(2);
            assertThat(second.getBean(JdbcClient.class).sql("SELECT attempts FROM jobs WHERE id = ?").param(interrupted)
                    .query(Integer.class).single()).as("a hand-over on stop uses no attempt").isEqualTo(1);
        } finally {
            second.close();
        }
    }

    private List<JsonNode> stateEvents(String stream) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String event = null;
        for (String line : stream.split("\n")) {
            if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:") && "state".equals(event)) {
                out.add(json.readTree(line.substring(5).strip()));
            }
        }
        return out;
    }

    private long submit(RestClient http, String job) throws Exception {
        String body = http.post().uri("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON).body(job)
                .retrieve().body(String.class);
        return json.readTree(body).get("id").asLong();
    }

    private JsonNode get(RestClient http, String path) throws Exception {
        return json.readTree(http.get().uri(path).retrieve().body(String.class));
    }

    private void awaitStep(RestClient http, long id, long step) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (get(http, "/api/v1/jobs/" + id).at("/progress/step").asLong() < step) {
            assertThat(System.nanoTime()).as("job %d never reached step %d", id, step).isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(get(http, "/api/v1/jobs/" + id).get("state").asText()).as("still training when stopped")
                .isEqualTo("RUNNING");
    }

    private JsonNode awaitState(RestClient http, long id, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode job;
        while (!(job = get(http, "/api/v1/jobs/" + id)).get("state").asText().equals(state)) {
            assertThat(job.get("state").asText()).isIn("QUEUED", "RUNNING");
            assertThat(System.nanoTime()).as("job %d not %s: %s", id, state, job).isLessThan(deadline);
            Thread.sleep(100);
        }
        return job;
    }
}
