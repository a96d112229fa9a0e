package dev.nalu.job;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.nalu.config.JobsProperties;

/**
 * Server-Sent Events of one job, read from the database (every nalu.jobs.event-poll-interval),
 * so a client sees the same stream whichever replica trains the job and whichever it reads
 * from. Each event's SSE id is its database id; a stream starts after the client's
 * Last-Event-ID, delivers events in id order, ends after the job's final event (completed,
 * failed or cancelled), and sends a comment when idle for nalu.jobs.heartbeat-interval. On stop,
 * open streams end first, so a graceful shutdown does not wait for them; clients reconnect with
 * Last-Event-ID.
 */
@Component
public class JobEventStreams implements SmartLifecycle {
    private static final int BATCH = 500;
    private static final Set<String> FINAL = Set.of("completed", "failed", "cancelled");

    private final JobStore store;
    private final JobsProperties properties;
    private final JobMetrics metrics;
    private final ScheduledExecutorService pollers;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    public JobEventStreams(JobStore store, JobsProperties properties, JobMetrics metrics) {
        this.store = store;
        this.properties = properties;
        this.metrics = metrics;
        AtomicInteger n = new AtomicInteger();
        this.pollers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "nalu-sse-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A stream of the job's events after {@code lastEventId} (0 for all). */
    public SseEmitter open(long jobId, long lastEventId) {
        SseEmitter emitter = new SseEmitter(properties.streamTimeout().toMillis());
        Stream stream = new Stream(jobId, lastEventId, emitter);
        emitter.onCompletion(stream::close);
        emitter.onTimeout(stream::close);
        emitter.onError(e -> stream.close());
        open.add(stream);
        metrics.streamOpened();
        stream.future = pollers.scheduleWithFixedDelay(stream::poll, 0,
                properties.eventPollInterval().toMillis(), TimeUnit.MILLISECONDS);
        return emitter;
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends every open stream (before the web server's graceful shutdown, which would wait for them). */
    @Override
    public void stop() {
        running = false;
        for (Stream s : List.copyOf(open)) {
            s.emitter.complete();
            s.close();
        }
        pollers.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private final class Stream {
        final long jobId;
        final SseEmitter emitter;
        volatile ScheduledFuture<?> future;
        long lastId;
        long lastSent = System.nanoTime();
        boolean closed;

        Stream(long jobId, long lastId, SseEmitter emitter) {
            this.jobId = jobId;
            this.lastId = lastId;
            this.emitter = emitter;
        }

        synchronized void poll() {
            if (closed) {
                return;
            }
            try {
                List<JobStore.Event> events;
                boolean any = false;
                do {
                    events = store.events(jobId, lastId, BATCH);
                    for (JobStore.Event e : events) {
                        emitter.send(SseEmitter.event().id(Long.toString(e.id())).name(e.type())
                                .data(e.data(), MediaType.APPLICATION_JSON));
                        lastId = e.id();
                        lastSent = System.nanoTime();
                        any = true;
                        if (FINAL.contains(e.type())) {
                            finish();
                            return;
                        }
                    }
                } while (events.size() == BATCH);
                if (!any) {
                    var job = store.find(jobId);
                    if (job.isEmpty() || job.get().state().terminal()) {
                        finish(); // deleted, or its final event is before Last-Event-ID
                    } else if (System.nanoTime() - lastSent >= properties.heartbeatInterval().toNanos()) {
                        emitter.send(SseEmitter.event().comment("heartbeat"));
                        lastSent = System.nanoTime();
                    }
                }
            } catch (IOException | IllegalStateException e) {
                close(); // the client went away
            } catch (RuntimeException e) {
                emitter.completeWithError(e);
                close();
            }
        }

        private void finish() {
            emitter.complete();
            close();
        }

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (future != null) {
                future.cancel(false);
            }
            if (open.remove(this)) {
                metrics.streamClosed();
            }
        }
    }
}
