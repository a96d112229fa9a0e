package dev.nalu.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.micrometer.core.instrument.MeterRegistry;

import dev.nalu.ApiTestSupport;

/**
 * Event streams under load: a client that does not read delays no other client and, once it reads
 * again, has lost nothing; and the streams of one job share one read of the database per interval.
 */
class JobEventStreamsApiTest extends ApiTestSupport {
    /** a × b with one NMU for 10^6 steps: runs until cancelled, a progress report every 1000 steps. */
    private static final String LONG_JOB = """
            {"name": "watched", "task": {"expression": "a * b", "variables": {"a": {"train": [1, 2]}, "b": {"train": [1, 2]}}},
             "model": {"layers": [{"unit": "NMU", "out": 1}]},
             "training": {"steps": 1000000, "population": 2, "evaluateEvery": 1000, "evaluationRows": 200,
                          "earlyStop": false}}""";
    private static final Duration POLL = Duration.ofMillis(500); // nalu.jobs.event-poll-interval

    @Autowired
    private JdbcTemplate jdbcTemplate;
    @Autowired
    private TransactionTemplate tx;
    @Autowired
    private MeterRegistry meters;

    /**
     * Six clients connect with small receive buffers and never read while the job gets 16 MB of
     * events in a second or two; their writes block and their queues overflow. A fourth client gets every
     * event within a few poll intervals of its commit all the same. The stuck clients then read, and each
     * gets every event in order, none twice, without reconnecting.
     */
    @Test
    void aClientThatDoesNotReadDelaysNoOtherAndLosesNothing() throws Exception {
        long id = submit(LONG_JOB);
        awaitState(id, "RUNNING", Duration.ofSeconds(60));
        List<Socket> stuck = new ArrayList<>();
        for (int i = 0; i < JobEventStreams.SENDERS + 2; i++) { // more than the sender threads of a calm replica
            stuck.add(rawEvents(id, 4096));
        }
        Map<Long, Long> receivedAt = new ConcurrentHashMap<>();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        HttpResponse<InputStream> fast = openEvents(id, Map.of());
        assertThat(fast.statusCode()).isEqualTo(200);
        reader.submit(() -> {
            readEvents(fast.body(), e -> {
                receivedAt.put(Long.parseLong(e.id()), System.nanoTime());
                return true;
            });
            return null;
        });
        try {
            Map<Long, Long> committedAt = new ConcurrentHashMap<>();
            for (int i = 0; i < 20; i++) {
                appendPadding(id, 100, 8000);
                committedAt.put(lastEventId(id), System.nanoTime());
                sleep(50);
            }
            long lastId = lastEventId(id);
            double catchUps = meters.get("nalu.sse.reads").tag("by", "catch-up").counter().count();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!receivedAt.containsKey(lastId) && System.nanoTime() < deadline) {
                sleep(20);
            }
            assertThat(receivedAt.containsKey(lastId))
                    .as("the reading client got the last event, %d, in 30 s; it got %d events", lastId, receivedAt.size())
                    .isTrue();
            long worst = committedAt.entrySet().stream()
                    .filter(c -> receivedAt.containsKey(c.getKey()))
                    .mapToLong(c -> receivedAt.get(c.getKey()) - c.getValue()).max().orElseThrow();
            assertThat(Duration.ofNanos(worst)).as("the longest an event took to reach the reading client")
                    .isLessThan(POLL.multipliedBy(6));

            List<Long> all = jdbc.sql("SELECT id FROM job_events WHERE job_id = ? AND id <= ? ORDER BY id")
                    .params(id, lastId).query(Long.class).list();
            for (Socket s : stuck) {
                assertThat(readUpTo(s, lastId)).as("a stuck client, once it reads").isEqualTo(all);
            }
            assertThat(meters.get("nalu.sse.reads").tag("by", "catch-up").counter().count() - catchUps)
                    .as("the stuck clients fell behind and read the database themselves").isGreaterThanOrEqualTo(stuck.size());
        } finally {
            for (Socket s : stuck) {
                s.close();
            }
            fast.body().close();
            reader.shutdownNow();
            post("/api/v1/jobs/" + id + "/cancel", null);
            awaitState(id, "CANCELLED", Duration.ofSeconds(30));
        }
    }

    /**
     * Six clients watch one running job for three seconds: the service reads the job's events about
     * once per nalu.jobs.event-poll-interval in all (not once per client), and each client gets them all.
     */
    @Test
    void theStreamsOfOneJobShareOneReadOfTheDatabasePerInterval() throws Exception {
        long id = submit(LONG_JOB);
        awaitState(id, "RUNNING", Duration.ofSeconds(60));
        int clients = 6;
        ExecutorService readers = Executors.newFixedThreadPool(clients);
        List<HttpResponse<InputStream>> responses = new ArrayList<>();
        List<List<String>> received = new ArrayList<>();
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                HttpResponse<InputStream> r = openEvents(id, Map.of());
                assertThat(r.statusCode()).isEqualTo(200);
                List<String> ids = new CopyOnWriteArrayList<>();
                responses.add(r);
                received.add(ids);
                done.add(readers.submit(() -> {
                    readEvents(r.body(), e -> {
                        ids.add(e.id());
                        return !e.event().equals("cancelled");
                    });
                    return null;
                }));
            }
            awaitGauge("nalu.sse.streams.open", clients);
            awaitGauge("nalu.sse.jobs.watched", 1); // (streams of earlier tests gone)
            sleep(POLL.toMillis() * 2); // every stream has caught up and joined the job's poll
            double before = polls();
            long start = System.nanoTime();
            sleep(3000);
            double reads = polls() - before;
            double intervals = (System.nanoTime() - start) / (double) POLL.toNanos();

            assertThat(meters.get("nalu.sse.jobs.watched").gauge().value()).as("jobs watched").isEqualTo(1);
            assertThat(reads).as("reads in %.1f intervals for %d streams of one job", intervals, clients)
                    .isBetween(intervals / 2, intervals + 2);

            post("/api/v1/jobs/" + id + "/cancel", null);
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            List<String> all = jdbc.sql("SELECT id FROM job_events WHERE job_id = ? ORDER BY id").param(id)
                    .query(Long.class).list().stream().map(String::valueOf).toList();
            for (List<String> ids : received) {
                assertThat(ids).as("every client gets every event once").isEqualTo(all);
            }
        } finally {
            for (HttpResponse<InputStream> r : responses) {
                r.body().close();
            }
            readers.shutdownNow();
            post("/api/v1/jobs/" + id + "/cancel", null);
        }
    }

    /**
     * A stream resumed from a Last-Event-ID whose next events were deleted under the running job (the API never does
     * this; an operator's DELETE can) catches up to the job's poll and joins it: it does not read the database again
     * and again for the events that are gone, and it gets the events written after.
     */
    @Test
    void aStreamResumedAcrossDeletedEventsJoinsThePollInsteadOfSpinning() throws Exception {
        long id = submit(LONG_JOB.replace("\"evaluateEvery\": 1000", "\"evaluateEvery\": 500000"));
        awaitState(id, "RUNNING", Duration.ofSeconds(60));
        ExecutorService readers = Executors.newFixedThreadPool(2);
        List<HttpResponse<InputStream>> responses = new ArrayList<>();
        try {
            HttpResponse<InputStream> live = openEvents(id, Map.of());
            responses.add(live);
            List<Long> liveIds = new CopyOnWriteArrayList<>();
            readers.submit(() -> {
                readEvents(live.body(), e -> liveIds.add(Long.parseLong(e.id())));
                return null;
            });
            appendPadding(id, 50, 10);
            long last = lastEventId(id);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!liveIds.contains(last)) {
                assertThat(System.nanoTime()).as("the live stream got event %d", last).isLessThan(deadline);
                sleep(20);
            }
            long from = last - 49; // the first padding event
            jdbc.sql("DELETE FROM job_events WHERE job_id = ? AND id > ?").params(id, from + 3).update();

            double catchUps = meters.get("nalu.sse.reads").tag("by", "catch-up").counter().count();
            HttpResponse<InputStream> resumed = openEvents(id, Map.of("Last-Event-ID", Long.toString(from)));
            responses.add(resumed);
            List<Long> resumedIds = new CopyOnWriteArrayList<>();
            readers.submit(() -> {
                readEvents(resumed.body(), e -> resumedIds.add(Long.parseLong(e.id())));
                return null;
            });
            sleep(POLL.toMillis() * 4);
            assertThat(meters.get("nalu.sse.reads").tag("by", "catch-up").counter().count() - catchUps)
                    .as("reads of the resumed stream in four poll intervals").isLessThan(10);
            assertThat(resumedIds).containsExactly(from + 1, from + 2, from + 3);

            appendPadding(id, 2, 10);
            long after = lastEventId(id);
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!resumedIds.contains(after)) {
                assertThat(System.nanoTime()).as("the resumed stream got event %d", after).isLessThan(deadline);
                sleep(20);
            }
            assertThat(resumedIds).containsExactly(from + 1, from + 2, from + 3, after - 1, after);
        } finally {
            for (HttpResponse<InputStream> r : responses) {
                r.body().close();
            }
            readers.shutdownNow();
            post("/api/v1/jobs/" + id + "/cancel", null);
            awaitState(id, "CANCELLED", Duration.ofSeconds(30));
        }
    }

    /**
     * Appends {@code n} events of about {@code size} bytes in one transaction that first locks the
     * job's row, as the service appends events (so they commit in the order of their ids).
     */
    private void appendPadding(long id, int n, int size) {
        String padding = "x".repeat(size);
        tx.executeWithoutResult(status -> {
            jdbc.sql("UPDATE jobs SET progress_step = progress_step WHERE id = ?").param(id).update();
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                rows.add(new Object[] {id, "{\"padding\": \"" + padding + "\"}", OffsetDateTime.now(ZoneOffset.UTC)});
            }
            jdbcTemplate.batchUpdate("INSERT INTO job_events (job_id, type, data, created_at) VALUES (?, 'padding', ?, ?)", rows);
        });
    }

    private long lastEventId(long id) {
        return jdbc.sql("SELECT MAX(id) FROM job_events WHERE job_id = ?").param(id).query(Long.class).single();
    }

    private double polls() {
        return meters.get("nalu.sse.reads").tag("by", "poll").counter().count();
    }

    private void awaitGauge(String name, double value) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (meters.get(name).gauge().value() != value) {
            assertThat(System.nanoTime()).as("%s never reached %s", name, value).isLessThan(deadline);
            sleep(20);
        }
    }

    /** Reads a raw event stream (after its headers) up to the event {@code lastId}; returns the ids in order. */
    private static List<Long> readUpTo(Socket socket, long lastId) throws IOException {
        socket.setSoTimeout(30_000);
        InputStream in = socket.getInputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            assertThat(b).as("the response headers end").isNotNegative();
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        List<Long> ids = new ArrayList<>();
        readEvents(in, e -> {
            ids.add(Long.parseLong(e.id()));
            return ids.get(ids.size() - 1) < lastId;
        });
        return ids;
    }
}
