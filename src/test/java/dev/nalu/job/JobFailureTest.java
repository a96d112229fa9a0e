package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.nalu.ApiTestSupport;
import dev.nalu.model.ModelService;

/**
 * A job whose attempt throws anything, an Error included, is retried until it has used
 * nalu.jobs.max-attempts (3) and then ends FAILED with a final "failed" event. Its user reads a reason
 * with a reference, never the exception's text; the log has the stack trace once under that
 * reference. The count lives in the database: attempts whose replica died count when the job is
 * picked again. The failures are provoked by the model registry, spied on, throwing when it stores the
 * model of a job with a certain name, after the job has trained.
 */
class JobFailureTest extends ApiTestSupport {
    private static final Pattern REASON = Pattern.compile(
            "training failed on an internal error \\(reference ([0-9a-f]{8})\\); the service log has the details under that reference");
    /** What storing the model of a job of that name throws, every time. */
    static final Map<String, Supplier<Throwable>> FAILURES = Map.of(
            "stack-overflow", StackOverflowError::new,
            "assertion", () -> new AssertionError("expected 2 but was 3"),
            "linkage", () -> new NoClassDefFoundError("dev/nalu/compute/Missing"),
            "out-of-memory", () -> new OutOfMemoryError("Java heap space"),
            "sql", () -> new BadSqlGrammarException("register", "SELECT secret FROM models WHERE owner = 'x'",
                    new SQLException("syntax error at or near \"FROM\"")));
    /** Models stored (or not) per job name, in this test only. */
    private final Map<String, Integer> calls = new ConcurrentHashMap<>();

    /** The real registry, but storing the model of a job named in {@link #FAILURES} throws, after the job has trained. */
    @MockitoSpyBean
    ModelService models;

    @BeforeEach
    void failSomeRegistrations() {
        doAnswer(invocation -> {
            String name = invocation.getArgument(0);
            int call = calls.merge(name, 1, Integer::sum);
            if (FAILURES.containsKey(name)) {
                throw FAILURES.get(name).get();
            }
            if (name.equals("flaky") && call == 1) {
                throw new AssertionError("flaky once");
            }
            return invocation.callRealMethod();
        }).when(models).register(any(), anyLong(), any(), any(), any(), any(), any());
    }

    @Autowired
    JobStore store;
    @Autowired
    JobSpecs specs;
    @Autowired
    JobEngine engine;

    private static String job(String name) {
        return """
                {"name": "%s", "task": {"expression": "a + b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [1, 2]}}},
                 "model": {"layers": [{"unit": "NAU", "out": 1}]},
                 "training": {"steps": 100, "population": 2, "seed": 1, "evaluateEvery": 50, "evaluationRows": 100,
                              "earlyStop": false}}""".formatted(name);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void anAttemptThatThrowsAnythingIsRetriedThreeTimesThenTheJobFailsWithAReference(CapturedOutput output) {
        Map<String, Long> ids = new java.util.TreeMap<>();
        FAILURES.keySet().forEach(name -> ids.put(name, submit(job(name))));

        for (Map.Entry<String, Long> e : ids.entrySet()) {
            String name = e.getKey();
            long id = e.getValue();
            JsonNode job = awaitState(id, "FAILED", Duration.ofSeconds(240));
            String reason = job.get("failureReason").asText();
            Matcher m = REASON.matcher(reason);
            assertThat(m.matches()).as("%s: %s", name, reason).isTrue();
            assertThat(reason).doesNotContain("Error", "SELECT", "syntax", "Java heap", "expected 2");
            assertThat(calls.get(name)).as("%s: attempts made", name).isEqualTo(3);
            assertThat(attempts(id)).isEqualTo(3);

            List<SseEvent> events = events(id, null, Duration.ofSeconds(30));
            SseEvent last = events.get(events.size() - 1);
            assertThat(last.event()).isEqualTo("failed");
            assertThat(readJson(last.data()).get("reason").asText()).isEqualTo(reason);
            assertThat(readJson(last.data()).get("attempts").asInt()).isEqualTo(3);
            List<JsonNode> retries = events.stream().filter(s -> s.event().equals("state")).map(s -> readJson(s.data()))
                    .filter(d -> d.has("attemptFailed")).toList();
            assertThat(retries).extracting(d -> d.get("attemptFailed").asInt()).containsExactly(1, 2);
            assertThat(retries).allSatisfy(d -> assertThat(REASON.matcher(d.get("reason").asText()).matches()).isTrue());

            // the stack trace, once, under the reference the user was given
            String log = output.getOut() + output.getErr();
            String reference = m.group(1);
            assertThat(log.split(Pattern.quote("reference " + reference), -1)).as("%s logged once", reference).hasSize(2);
            String after = log.substring(log.indexOf("reference " + reference));
            assertThat(after.lines().skip(1).filter(l -> !l.isBlank()).findFirst().orElse(""))
                    .contains(FAILURES.get(name).get().getClass().getName());
        }
    }

    @Test
    void anAttemptThatFailsOnceIsRetriedAndTheJobSucceeds() {
        long id = submit(job("flaky"));

        JsonNode job = awaitState(id, "SUCCEEDED", Duration.ofSeconds(120));

        assertThat(job.has("failureReason")).isFalse();
        assertThat(attempts(id)).isEqualTo(2);
        List<JsonNode> states = events(id, null, Duration.ofSeconds(30)).stream().filter(s -> s.event().equals("state"))
                .map(s -> readJson(s.data())).toList();
        assertThat(states).filteredOn(d -> d.has("attemptFailed")).singleElement()
                .satisfies(d -> assertThat(d.get("retryInSeconds").asLong()).isEqualTo(1));
        assertThat(states).filteredOn(d -> d.has("resumedFromStep")).singleElement()
                .satisfies(d -> assertThat(d.get("attempt").asInt()).isEqualTo(2));
    }

    /**
     * The count is in the database: a job whose replicas died in all three of its attempts (it is
     * RUNNING, with 3 attempts used, and its execution is revived) fails when it is picked again,
     * without training; one with an attempt left trains it.
     */
    @Test
    void attemptsWhoseReplicaDiedCountAcrossRestarts() throws Exception {
        long used = runningJob("died-thrice", 3);
        long left = runningJob("died-twice", 2);

        engine.schedule(used);
        engine.schedule(left);

        JsonNode failed = awaitState(used, "FAILED", Duration.ofSeconds(60));
        assertThat(failed.get("failureReason").asText()).startsWith("training stopped without finishing in each of its 3 attempts");
        assertThat(calls.getOrDefault("died-thrice", 0)).as("not trained again").isZero();
        List<SseEvent> events = events(used, null, Duration.ofSeconds(30));
        assertThat(events.get(events.size() - 1).event()).isEqualTo("failed");
        awaitState(left, "SUCCEEDED", Duration.ofSeconds(120));
        assertThat(attempts(left)).isEqualTo(3);
    }

    /** A job that cannot run as stored fails at once, in plain words, without retries. */
    @Test
    void aJobThatIsNoLongerValidFailsAtOnceInPlainWords() throws Exception {
        ObjectNode spec = json.valueToTree(specs.validate(json.readValue(job("invalid"), JobRequest.class)));
        ((ObjectNode) spec.get("task")).put("expression", "a * c");
        long id = store.insert("invalid", json.writeValueAsString(spec), "NAU(2→1)",
                json.writeValueAsString(Map.of("state", "QUEUED")), null, () -> { });

        engine.schedule(id);

        JsonNode job = awaitState(id, "FAILED", Duration.ofSeconds(60));
        assertThat(job.get("failureReason").asText()).startsWith("the job as stored is no longer valid: ")
                .contains("c").doesNotContain("Exception");
        assertThat(attempts(id)).isEqualTo(1);
    }

    /** A job stored before targets were bounded (a ^ 400 on [2, 6]) fails in plain words rather than train on Infinity. */
    @Test
    void aJobWhoseTargetsOverflowFailsAtOnceInPlainWords() throws Exception {
        ObjectNode spec = json.valueToTree(specs.validate(json.readValue(job("overflow"), JobRequest.class)));
        ((ObjectNode) spec.get("task")).put("expression", "a ^ 400 + b");
        ((ObjectNode) spec.at("/task/variables")).set("a", json.readTree("[[2.0, 6.0]]"));
        long id = store.insert("overflow", json.writeValueAsString(spec), "NAU(2→1)",
                json.writeValueAsString(Map.of("state", "QUEUED")), null, () -> { });

        engine.schedule(id);

        JsonNode job = awaitState(id, "FAILED", Duration.ofSeconds(60));
        assertThat(job.get("failureReason").asText()).startsWith("the job as stored is no longer valid: the target")
                .contains("beyond ±1e15");
        assertThat(calls).doesNotContainKey("overflow");
    }

    private long runningJob(String name, int attempts) throws Exception {
        JobSpec spec = specs.validate(json.readValue(job(name), JobRequest.class));
        long id = store.insert(name, json.writeValueAsString(spec), "NAU(2→1)", json.writeValueAsString(Map.of("state", "QUEUED")), null, () -> { });
        jdbc.sql("UPDATE jobs SET state = 'RUNNING', attempts = ? WHERE id = ?").params(attempts, id).update();
        return id;
    }

    private int attempts(long id) {
        return jdbc.sql("SELECT attempts FROM jobs WHERE id = ?").param(id).query(Integer.class).single();
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }
}
