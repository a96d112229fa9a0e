package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nalu.ApiTestSupport;
import dev.nalu.PostgresDatabases;
import dev.nalu.PostgresTest;
import dev.nalu.TestKeys;

/**
 * Several replicas on one PostgreSQL database, as real processes: the packaged jar started as
 * separate JVMs ({@code java -jar}, profile postgres, each with its own port and db-scheduler
 * name, a 1 s heartbeat and 2 workers), jobs submitted over HTTP.
 *
 * <ul>
 *   <li>SIGKILL mid-training loses no job: once the dead replica's heartbeat is stale, the other
 *       resumes each of its jobs from the last checkpoint, and every job ends with the weights of
 *       an uninterrupted run of the same request. Each job reports every step once (no job trains
 *       on two replicas at once) and makes one model.</li>
 *   <li>An event stream read from one replica carries the progress of a job training on the other
 *       within {@link #SSE_LATENCY}, and continues across the takeover.</li>
 *   <li>SIGTERM is graceful: the replica checkpoints its job, hands it back and exits within the
 *       grace period, and the other replica resumes it from that checkpoint well before the
 *       heartbeat timeout.</li>
 * </ul>
 * It prints the takeover times and the steps lost. Run by maven-failsafe-plugin in
 * {@code ./mvnw verify}, after {@code package} has built the jar; {@code -DskipITs} leaves it out.
 */
@PostgresTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final int MISSED_HEARTBEATS = 4;
    /** After this long without a heartbeat, a replica's executions are dead and run elsewhere. */
    private static final Duration HEARTBEAT_TIMEOUT = HEARTBEAT.multipliedBy(MISSED_HEARTBEATS);
    private static final long STEPS = 30_000;
    private static final long EVALUATE_EVERY = 500;
    private static final long CHECKPOINT_EVERY = 2_000;
    /** How long an orchestrator waits after SIGTERM before it sends SIGKILL (Kubernetes' default). */
    private static final Duration GRACE = Duration.ofSeconds(30);
    /** Longest delay from an event's insert on one replica to its arrival on a stream from another. */
    private static final Duration SSE_LATENCY = Duration.ofSeconds(2);
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An API request: every one carries the admin key the replicas start with. */
    private static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", TestKeys.bearer(TestKeys.ADMIN));
    }
    private static final ExecutorService STREAMS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "replicas-it-sse");
        t.setDaemon(true);
        return t;
    });
    /**
     * Starts every replica, and lives as long as this JVM: each replica runs under
     * {@code setpriv --pdeathsig KILL}, which kills it when the thread that started it ends.
     */
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "replicas-it-launcher");
        t.setDaemon(true);
        return t;
    });
    private static final List<Replica> REPLICAS = new CopyOnWriteArrayList<>();

    private static String databaseUrl;
    private static JdbcClient db;

    @RegisterExtension
    static final TestWatcher LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (Replica r : REPLICAS) {
                System.out.println("---- last lines of " + r.log + " ----\n" + r.tail(80));
            }
        }
    };

    @BeforeAll
    static void database() {
        databaseUrl = PostgresDatabases.create("replicas");
        db = JdbcClient.create(new DriverManagerDataSource(databaseUrl, PostgresDatabases.USER, PostgresDatabases.PASSWORD));
        Runtime.getRuntime().addShutdownHook(new Thread(ReplicasIT::killAll, "replicas-it-kill"));
    }

    @AfterAll
    static void killAll() {
        for (Replica r : REPLICAS) {
            r.kill();
        }
    }

    @Test
    @Order(1)
    void aReplicaKilledMidTrainingLosesNoJobAndItsJobsResumeElsewhereFromTheirLastCheckpoint() throws Exception {
        List<Replica> pair = liveReplicas(2);
        Replica submittedTo = pair.get(0);
        Map<Long, Long> seeds = new LinkedHashMap<>();
        for (long seed = 1; seed <= 2; seed++) {
            seeds.put(submit(submittedTo, job(seed)), seed);
        }
        // a stream on every replica for every job: one of the two reads a job from the other replica
        Map<Long, Map<String, EventStream>> streams = new LinkedHashMap<>();
        for (long id : seeds.keySet()) {
            Map<String, EventStream> byReplica = new LinkedHashMap<>();
            for (Replica r : pair) {
                byReplica.put(r.name, EventStream.open(r, id));
            }
            streams.put(id, byReplica);
        }
        Map<Long, String> trainedBy = new LinkedHashMap<>();
        for (long id : seeds.keySet()) {
            trainedBy.put(id, awaitTrainingReplica(id));
        }
        long firstJob = seeds.keySet().iterator().next();
        Replica victim = byName(pair, trainedBy.get(firstJob));
        Replica survivor = pair.get(0) == victim ? pair.get(1) : pair.get(0);
        List<Long> victimJobs = seeds.keySet().stream().filter(id -> trainedBy.get(id).equals(victim.name)).toList();

        // mid-training: every job of the victim has a checkpoint and has trained past it
        awaitTrue(Duration.ofSeconds(90), "a checkpoint and a progress report after it, for each of " + victimJobs,
                () -> victimJobs.stream().allMatch(id -> checkpointStep(id) > 0 && progressStep(id) > checkpointStep(id)));
        Instant killedAt = Instant.now();
        victim.process.destroyForcibly(); // SIGKILL on Linux
        assertThat(victim.process.waitFor(10, TimeUnit.SECONDS)).as("%s dies", victim.name).isTrue();
        assertThat(victim.process.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
        Map<Long, Long> stepAtKill = new LinkedHashMap<>();
        for (long id : victimJobs) {
            stepAtKill.put(id, progressStep(id));
            assertThat(stepAtKill.get(id)).as("job %d killed mid-training", id).isLessThan(STEPS);
        }

        for (long id : seeds.keySet()) {
            awaitSucceeded(survivor, id);
        }
        Map<Long, Long> references = new LinkedHashMap<>();
        for (var e : seeds.entrySet()) {
            references.put(e.getKey(), submit(survivor, job(e.getValue())));
        }
        for (var e : references.entrySet()) {
            awaitSucceeded(survivor, e.getValue());
            assertSameModel(survivor, e.getKey(), e.getValue());
        }

        List<Duration> latencies = new ArrayList<>();
        for (long id : seeds.keySet()) {
            List<DbEvent> events = events(id);
            EventStream stream = streams.get(id).get(survivor.name);
            stream.awaitEnd(Duration.ofSeconds(30));
            assertCompleteHistory(id, events, stream);
            List<DbEvent> states = events.stream().filter(e -> e.type.equals("state")).toList();
            assertThat(states).as("no replica handed job %d back", id).noneMatch(e -> e.data.has("releasedAtStep"));
            if (!victimJobs.contains(id)) {
                assertThat(states).as("job %d trained uninterrupted", id).noneMatch(e -> e.data.has("resumedFromStep"));
                continue;
            }
            DbEvent resumed = single(states, "resumedFromStep", id);
            assertThat(resumed.data.path("replica").asText()).as("job %d resumed by the survivor", id).isEqualTo(survivor.name);
            long from = resumed.data.get("resumedFromStep").asLong();
            long lastReport = lastProgressBefore(events, resumed.id);
            assertThat(lastReport).as("job %d: the victim's last report is the step seen at the kill", id)
                    .isEqualTo(stepAtKill.get(id));
            assertThat(from).as("job %d resumed from a periodic checkpoint, not from step 0", id)
                    .isPositive().isLessThanOrEqualTo(lastReport);
            assertThat(lastReport - from).as("job %d: steps lost", id).isLessThan(CHECKPOINT_EVERY);
            Duration takeover = Duration.between(killedAt, resumed.createdAt);
            assertThat(takeover).as("job %d taken over", id).isLessThan(HEARTBEAT_TIMEOUT.multipliedBy(5));
            System.out.printf("replicas-it: SIGKILL %s; %s resumed job %d after %d ms (heartbeat timeout %d ms) "
                            + "from step %d; the victim had reported step %d: %d steps lost%n", victim.name, survivor.name,
                    id, takeover.toMillis(), HEARTBEAT_TIMEOUT.toMillis(), from, lastReport, lastReport - from);
            // the stream on the survivor carried the victim's reports as they were written
            for (DbEvent e : events) {
                if (e.id < resumed.id && e.type.equals("progress") && e.createdAt.isAfter(stream.connectedAt)) {
                    latencies.add(Duration.between(e.createdAt, stream.receivedAt(e.id)));
                }
            }
        }
        assertThat(latencies).as("progress of the victim's jobs seen on a stream from the survivor").isNotEmpty();
        latencies.sort(Comparator.naturalOrder());
        System.out.printf("replicas-it: %d progress events written on %s reached a stream on %s after median %d ms, max %d ms%n",
                latencies.size(), victim.name, survivor.name, latencies.get(latencies.size() / 2).toMillis(),
                latencies.get(latencies.size() - 1).toMillis());
        assertThat(latencies.get(latencies.size() - 1)).isLessThanOrEqualTo(SSE_LATENCY);
    }

    @Test
    @Order(2)
    void aReplicaStoppedWithSigtermHandsItsJobOverAtOnceAndExitsWithinTheGracePeriod() throws Exception {
        List<Replica> pair = liveReplicas(2);
        long id = submit(pair.get(1), job(3));
        Replica stopping = byName(pair, awaitTrainingReplica(id));
        Replica other = pair.get(0) == stopping ? pair.get(1) : pair.get(0);
        EventStream stream = EventStream.open(other, id);
        awaitTrue(Duration.ofSeconds(60), "job " + id + " past its second report", () -> progressStep(id) >= 2 * EVALUATE_EVERY);

        Instant stoppedAt = Instant.now();
        stopping.process.destroy(); // SIGTERM on Linux
        assertThat(stopping.process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS))
                .as("%s exits within the %s grace period", stopping.name, GRACE).isTrue();
        Duration exit = Duration.between(stoppedAt, Instant.now());
        awaitSucceeded(other, id);
        long reference = submit(other, job(3));
        awaitSucceeded(other, reference);
        assertSameModel(other, id, reference);

        List<DbEvent> events = events(id);
        stream.awaitEnd(Duration.ofSeconds(30));
        assertCompleteHistory(id, events, stream);
        List<DbEvent> states = events.stream().filter(e -> e.type.equals("state")).toList();
        DbEvent released = single(states, "releasedAtStep", id);
        DbEvent resumed = single(states, "resumedFromStep", id);
        assertThat(released.data.path("replica").asText()).isEqualTo(stopping.name);
        assertThat(resumed.data.path("replica").asText()).isEqualTo(other.name);
        long at = released.data.get("releasedAtStep").asLong();
        long lastReport = lastProgressBefore(events, released.id);
        assertThat(at).as("checkpointed where it stopped: no step lost").isGreaterThanOrEqualTo(lastReport);
        assertThat(resumed.data.get("resumedFromStep").asLong()).as("resumed from the checkpoint written at stop")
                .isEqualTo(at);
        Duration takeover = Duration.between(stoppedAt, resumed.createdAt);
        System.out.printf("replicas-it: SIGTERM %s at step %d; it exited after %d ms (exit code %d); %s resumed job %d "
                        + "after %d ms (heartbeat timeout %d ms) from step %d: 0 steps lost%n", stopping.name, at,
                exit.toMillis(), stopping.process.exitValue(), other.name, id, takeover.toMillis(),
                HEARTBEAT_TIMEOUT.toMillis(), at);
        assertThat(takeover).as("handed over, not found dead after the heartbeat timeout").isLessThan(HEARTBEAT_TIMEOUT);
    }

    // ---------------------------------------------------------------- checks

    /**
     * The stream delivered exactly the job's events (same ids, same order: no gap, no duplicate),
     * one report per evaluateEvery steps up to the budget, each once, and ended with "completed";
     * the job made one model.
     */
    private static void assertCompleteHistory(long id, List<DbEvent> events, EventStream stream) {
        assertThat(stream.ids()).as("job %d: the stream carries every event once, in order", id)
                .isEqualTo(events.stream().map(e -> e.id).toList());
        List<Long> steps = events.stream().filter(e -> e.type.equals("progress")).map(e -> e.data.get("step").asLong()).toList();
        assertThat(steps).as("job %d: every report once", id)
                .isEqualTo(LongStream.rangeClosed(1, STEPS / EVALUATE_EVERY).map(i -> i * EVALUATE_EVERY).boxed().toList());
        assertThat(events.get(events.size() - 1).type).isEqualTo("completed");
        assertThat(db.sql("SELECT COUNT(*) FROM models WHERE source_job_id = ?").param(id).query(Long.class).single())
                .as("job %d made one model", id).isEqualTo(1);
    }

    /** Both jobs ended with the same formula and bit for bit the same weights. */
    private static void assertSameModel(Replica r, long job, long reference) throws Exception {
        JsonNode a = get(r, "/api/v1/models/" + get(r, "/api/v1/jobs/" + job).get("modelId").asLong() + "/export");
        JsonNode b = get(r, "/api/v1/models/" + get(r, "/api/v1/jobs/" + reference).get("modelId").asLong() + "/export");
        assertThat(a.get("weights")).as("job %d has the weights of its uninterrupted run, job %d", job, reference)
                .isEqualTo(b.get("weights"));
        assertThat(a.at("/formula/text").asText()).isEqualTo("y = a × b").isEqualTo(b.at("/formula/text").asText());
    }

    private static DbEvent single(List<DbEvent> states, String field, long id) {
        List<DbEvent> found = states.stream().filter(e -> e.data.has(field)).toList();
        assertThat(found).as("job %d: one state event with %s", id, field).hasSize(1);
        return found.get(0);
    }

    private static long lastProgressBefore(List<DbEvent> events, long eventId) {
        return events.stream().filter(e -> e.type.equals("progress") && e.id < eventId)
                .mapToLong(e -> e.data.get("step").asLong()).max().orElse(0);
    }

    // ---------------------------------------------------------------- jobs

    /** a × b with one NMU, long enough to be killed mid-training; deterministic given the seed. */
    private static String job(long seed) {
        return """
                {"name": "replicas-%d",
                 "task": {"expression": "a * b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [1, 2]}},
                          "extrapolation": [[2, 6]]},
                 "model": "auto",
                 "training": {"steps": %d, "population": 16, "seed": %d, "evaluateEvery": %d, "evaluationRows": 1000,
                              "earlyStop": false}}""".formatted(seed, STEPS, seed, EVALUATE_EVERY);
    }

    private static long submit(Replica r, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(request(r.uri("/api/v1/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("id").asLong();
    }

    private static JsonNode get(Replica r, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(request(r.uri(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void awaitSucceeded(Replica r, long id) throws Exception {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        JsonNode job;
        while (!(job = get(r, "/api/v1/jobs/" + id)).get("state").asText().equals("SUCCEEDED")) {
            assertThat(job.get("state").asText()).as("job %d: %s", id, job).isIn("QUEUED", "RUNNING");
            assertThat(System.nanoTime()).as("job %d not done after %s: %s", id, JOB_TIMEOUT, job).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** The replica named by the job's first RUNNING state event. */
    private static String awaitTrainingReplica(long id) throws Exception {
        awaitTrue(Duration.ofSeconds(60), "job " + id + " running",
                () -> events(id).stream().anyMatch(e -> e.data.path("state").asText().equals("RUNNING")));
        return events(id).stream().filter(e -> e.data.path("state").asText().equals("RUNNING")).findFirst()
                .orElseThrow().data.path("replica").asText();
    }

    // ---------------------------------------------------------------- the database

    private record DbEvent(long id, String type, JsonNode data, Instant createdAt) {
    }

    private static List<DbEvent> events(long jobId) {
        return db.sql("SELECT id, type, data, created_at FROM job_events WHERE job_id = ? ORDER BY id").param(jobId)
                .query(ReplicasIT::event).list();
    }

    private static DbEvent event(ResultSet rs, int row) throws SQLException {
        try {
            return new DbEvent(rs.getLong("id"), rs.getString("type"), JSON.readTree(rs.getString("data")),
                    rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long checkpointStep(long jobId) {
        return db.sql("SELECT step FROM checkpoints WHERE job_id = ?").param(jobId).query(Long.class).optional().orElse(0L);
    }

    private static long progressStep(long jobId) {
        return db.sql("SELECT progress_step FROM jobs WHERE id = ?").param(jobId).query(Long.class).single();
    }

    private static void awaitTrue(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("not within %s: %s", timeout, what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    // ---------------------------------------------------------------- replicas

    /** The live replicas, started up to {@code n} (named a, b, c, … in order of start), all ready. */
    private static List<Replica> liveReplicas(int n) throws Exception {
        List<Replica> live = new ArrayList<>(REPLICAS.stream().filter(r -> r.process.isAlive()).toList());
        while (live.size() < n) {
            Replica r = new Replica("it-" + (char) ('a' + REPLICAS.size()));
            REPLICAS.add(r);
            live.add(r);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        for (Replica r : live) {
            while (!r.ready()) {
                assertThat(r.process.isAlive()).as("%s died on start:%n%s", r.name, r.tail(60)).isTrue();
                assertThat(System.nanoTime()).as("%s not ready after 180 s:%n%s", r.name, r.tail(60)).isLessThan(deadline);
                Thread.sleep(100);
            }
        }
        return live.subList(0, n);
    }

    private static Replica byName(List<Replica> replicas, String name) {
        return replicas.stream().filter(r -> r.name.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no replica named \"" + name + "\" among " + replicas));
    }

    /** One service process: the packaged jar on its own port, with its own db-scheduler name. */
    private static final class Replica {
        final String name;
        final int port;
        final int managementPort;
        final Path log;
        final Process process;

        Replica(String name) throws Exception {
            this.name = name;
            this.port = freePort();
            this.managementPort = freePort();
            Path dir = Files.createDirectories(Path.of("target", "replicas-it"));
            this.log = dir.resolve(name + ".log");
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
                command.addAll(List.of("/usr/bin/setpriv", "--pdeathsig", "KILL"));
            }
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-Dorg.bytedeco.javacpp.cachedir=" + javacppCache(), "-jar", jar().toAbsolutePath().toString(),
                    "--spring.profiles.active=postgres",
                    "--spring.datasource.url=" + databaseUrl,
                    "--spring.datasource.username=" + PostgresDatabases.USER,
                    "--spring.datasource.password=" + PostgresDatabases.PASSWORD,
                    "--server.port=" + port,
                    "--management.server.port=" + managementPort,
                    "--nalu.security.bootstrap-admin-key=" + TestKeys.ADMIN,
                    "--spring.main.banner-mode=off",
                    "--db-scheduler.scheduler-name=" + name,
                    "--db-scheduler.heartbeat-interval=" + HEARTBEAT.toMillis() + "ms",
                    "--db-scheduler.missed-heartbeats-limit=" + MISSED_HEARTBEATS,
                    "--db-scheduler.polling-interval=500ms",
                    "--nalu.jobs.workers=2",
                    "--nalu.jobs.checkpoint-every=" + CHECKPOINT_EVERY,
                    "--nalu.jobs.shutdown-wait=20s"));
            // started in a directory without ./config: the jar must carry its own defaults (readiness group below)
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .directory(dir.toFile()).redirectOutput(log.toFile());
            builder.environment().put("OMP_NUM_THREADS", "1");
            this.process = LAUNCHER.submit(builder::start).get();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        boolean ready() {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().contains("\"UP\"") && r.body().contains("dbScheduler");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String tail(int lines) {
            try {
                List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        @Override
        public String toString() {
            return name + " (port " + port + ")";
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }

        /** The jar that {@code package} built: failsafe passes its path; from an IDE, the one in target/. */
        private static Path jar() throws IOException {
            String configured = System.getProperty("nalu.it.jar");
            if (configured != null) {
                return Path.of(configured);
            }
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "nalu-service-*.jar")) {
                for (Path p : jars) {
                    return p;
                }
            }
            throw new IllegalStateException("no target/nalu-service-*.jar: run ./mvnw -DskipTests package first");
        }

        private static String javacppCache() {
            return System.getProperty("nalu.it.javacpp.cachedir",
                    Path.of(System.getProperty("user.home"), ".javacpp", "cache").toString());
        }
    }

    /** A job's event stream from one replica, read in the background, with the time each event arrived. */
    private static final class EventStream {
        private record Received(long id, Instant at) {
        }

        final List<Received> received = new CopyOnWriteArrayList<>();
        volatile Instant connectedAt = Instant.MAX;
        CompletableFuture<Void> done;

        static EventStream open(Replica r, long jobId) {
            EventStream s = new EventStream();
            s.done = CompletableFuture.runAsync(() -> {
                try {
                    HttpResponse<InputStream> response = HTTP.send(request(r.uri("/api/v1/jobs/" + jobId + "/events"))
                            .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
                    s.connectedAt = Instant.now();
                    assertThat(response.statusCode()).isEqualTo(200);
                    try (InputStream body = response.body()) {
                        ApiTestSupport.readEvents(body, e -> s.received.add(new Received(Long.parseLong(e.id()), Instant.now())));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, STREAMS);
            return s;
        }

        void awaitEnd(Duration timeout) throws Exception {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        List<Long> ids() {
            return received.stream().map(Received::id).toList();
        }

        Instant receivedAt(long id) {
            return received.stream().filter(e -> e.id == id).findFirst()
                    .orElseThrow(() -> new AssertionError("event " + id + " never arrived")).at;
        }
    }
}
