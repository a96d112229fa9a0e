package dev.nalu.job;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.nalu.api.ApiException;
import dev.nalu.api.Problems;
import dev.nalu.config.JobsProperties;

/**
 * Server-Sent Events of jobs, read from the database, so a client sees the same stream whichever
 * replica trains the job and whichever it reads from. Each event's SSE id is its database id; a
 * stream starts after the client's Last-Event-ID, delivers events in id order, ends after the job's
 * final event (completed, failed or cancelled), and sends a comment when idle for
 * nalu.jobs.heartbeat-interval. On stop, open streams end first, so a graceful shutdown does not
 * wait for them; clients reconnect with Last-Event-ID.
 *
 * <p>What a stream costs, and what one client can do to the others:
 * <ul>
 * <li>A watched job is read once per nalu.jobs.event-poll-interval ({@link Feed#poll}), however
 *     many streams watch it, and the poll hands its new events to each of them.
 * <li>The poll never writes to a client. Each stream has a queue of at most {@value #QUEUE} events
 *     and its own sender task ({@link Subscriber#pump}), which runs on a small pool when it has
 *     something to write. A client that stops reading blocks its own sender, and the pool gets a
 *     thread more for each sender stuck like that ({@link #resizeSenders}), so it delays nobody else.
 *     A stream whose queue is full falls behind: it drops the queue and reads the database from the
 *     last event it wrote, at its client's pace.
 * <li>A stream that is behind (new, resumed from an older Last-Event-ID, or fallen behind) writes the
 *     events after its position from the database, {@value #BATCH} at a time, then joins its job's poll.
 *     No event is lost or repeated on the way.
 * <li>At most nalu.jobs.max-streams streams are open on this replica, and nalu.jobs.max-streams-per-key
 *     per caller; {@link #open} refuses more with {@link TooManyStreams} (503 and 429).
 * </ul>
 */
@Component
public class JobEventStreams implements SmartLifecycle {
    /** Events per read of the database. */
    static final int BATCH = 500;
    /**
     * Events waiting for one client's sender before the stream falls behind (and reads the database
     * itself): one read's worth, so a client that keeps up never falls behind.
     */
    static final int QUEUE = BATCH;
    /** Sender threads while no client is stuck. */
    static final int SENDERS = 4;
    /** A write that has not returned for this long is to a client that does not read: its sender is stuck. */
    static final Duration STUCK = Duration.ofSeconds(1);
    private static final Set<String> FINAL = Set.of("completed", "failed", "cancelled");
    private static final Logger log = LoggerFactory.getLogger(JobEventStreams.class);

    private final JobStore store;
    private final JobsProperties properties;
    private final JobMetrics metrics;
    private final ScheduledExecutorService poller;
    private final ThreadPoolExecutor senders;
    /** Streams whose sender is running (also after they closed, while a write hangs). */
    private final Set<Subscriber> pumping = ConcurrentHashMap.newKeySet();
    // guarded by this: the watched jobs, the open streams, and how many each caller has
    private final Map<Long, Feed> feeds = new HashMap<>();
    private final Set<Subscriber> open = new HashSet<>();
    private final Map<String, Integer> perCaller = new HashMap<>();
    private volatile boolean running;
    private volatile boolean stopped;

    public JobEventStreams(JobStore store, JobsProperties properties, JobMetrics metrics) {
        this.store = store;
        this.properties = properties;
        this.metrics = metrics;
        this.poller = Executors.newScheduledThreadPool(2, threads("nalu-sse-poll-"));
        this.senders = new ThreadPoolExecutor(SENDERS, SENDERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads("nalu-sse-send-"));
        senders.allowCoreThreadTimeOut(true);
        poller.scheduleWithFixedDelay(this::resizeSenders, 250, 250, TimeUnit.MILLISECONDS);
    }

    /**
     * {@value #SENDERS} sender threads plus one for each sender stuck in a write for {@link #STUCK}: a
     * client that does not read holds a thread, never the other streams' senders. Shrinks back as the
     * stuck writes return (the client reads again, goes away, or the connection times out).
     */
    private void resizeSenders() {
        long now = System.nanoTime();
        int size = SENDERS;
        for (Subscriber s : pumping) {
            long since = s.writingSince;
            if (since != 0 && now - since >= STUCK.toNanos()) {
                size++;
            }
        }
        if (size > senders.getMaximumPoolSize()) {
            senders.setMaximumPoolSize(size);
            senders.setCorePoolSize(size);
        } else if (size < senders.getCorePoolSize()) {
            senders.setCorePoolSize(size);
            senders.setMaximumPoolSize(size);
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Refused: this replica (503) or this caller (429) has as many open streams as it may. */
    public static final class TooManyStreams extends ApiException {
        private static final long serialVersionUID = 1L;
        private final Duration retryAfter;

        TooManyStreams(HttpStatus status, String scope, int limit, String detail, Duration retryAfter) {
            super(status, Problems.TOO_MANY_STREAMS, "Too many event streams", detail,
                    Map.of("scope", scope, "limit", limit));
            this.retryAfter = retryAfter;
        }

        /** When to try again: the slot of a client that went away is freed at its stream's next write, a heartbeat at most. */
        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /**
     * A stream of the job's events after {@code lastEventId} (0 for all), counted against
     * {@code caller}'s nalu.jobs.max-streams-per-key.
     *
     * @throws TooManyStreams when this replica or this caller has no stream to spare
     */
    public SseEmitter open(long jobId, long lastEventId, String caller) {
        SseEmitter emitter = new SseEmitter(properties.streamTimeout().toMillis());
        Subscriber s;
        synchronized (this) {
            Duration retry = Duration.ofSeconds(Math.max(1, (properties.heartbeatInterval().toMillis() + 999) / 1000));
            if (stopped) {
                throw new TooManyStreams(HttpStatus.SERVICE_UNAVAILABLE, "replica", properties.maxStreams(),
                        "this replica is stopping; reconnect (with Last-Event-ID) to another", retry);
            }
            if (open.size() >= properties.maxStreams()) {
                metrics.streamRefused("replica");
                throw new TooManyStreams(HttpStatus.SERVICE_UNAVAILABLE, "replica", properties.maxStreams(),
                        "this replica has " + open.size() + " open event streams, as many as nalu.jobs.max-streams allows; "
                                + "retry later or on another replica", retry);
            }
            int mine = perCaller.getOrDefault(caller, 0);
            if (mine >= properties.maxStreamsPerKey()) {
                metrics.streamRefused("caller");
                throw new TooManyStreams(HttpStatus.TOO_MANY_REQUESTS, "caller", properties.maxStreamsPerKey(),
                        "you have " + mine + " open event streams on this replica, as many as nalu.jobs.max-streams-per-key "
                                + "allows; close one first", retry);
            }
            Feed feed = feeds.computeIfAbsent(jobId, Feed::new);
            s = new Subscriber(feed, caller, lastEventId, emitter);
            feed.subscribers++;
            open.add(s);
            perCaller.merge(caller, 1, Integer::sum);
        }
        metrics.streamOpened();
        emitter.onCompletion(s::close);
        emitter.onTimeout(s::close);
        emitter.onError(e -> s.close());
        s.schedule();
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
        List<Subscriber> all;
        synchronized (this) {
            stopped = true;
            all = List.copyOf(open);
        }
        poller.shutdownNow();
        all.forEach(Subscriber::schedule); // each sender sees "stopped" and completes its stream
        senders.shutdown();
        try {
            if (!senders.awaitTermination(2, TimeUnit.SECONDS)) {
                senders.shutdownNow(); // a client that does not read; its stream ends with the server
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * One watched job: one poll of its new events every nalu.jobs.event-poll-interval, handed to the
     * streams that are level with it ({@code live}). Its fields are guarded by the streams' lock.
     */
    private final class Feed {
        final long jobId;
        final List<Subscriber> live = new ArrayList<>();
        /** Streams of this job, live or behind; the feed ends with the last. */
        int subscribers;
        /** The last event id the poll has read; -1 until a stream is live. */
        long cursor = -1;
        /** When the poll last checked that the job is there and unfinished. */
        long checkedAt = System.nanoTime();
        boolean ended;
        /** The last poll failed (the database is out of reach); logged once until a poll succeeds. */
        volatile boolean failing;
        final ScheduledFuture<?> future;

        Feed(long jobId) {
            this.jobId = jobId;
            long every = properties.eventPollInterval().toMillis();
            this.future = poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
            metrics.jobWatched();
        }

        /** Reads the job's new events and queues them for every live stream; never writes to a client. */
        void poll() {
            try {
                long after;
                boolean check;
                synchronized (JobEventStreams.this) {
                    if (ended || cursor < 0) {
                        return;
                    }
                    after = cursor;
                    check = System.nanoTime() - checkedAt >= properties.heartbeatInterval().toNanos();
                    heartbeats();
                }
                // the job's state before its events: a job that has ended has committed its last event
                boolean over = check && store.find(jobId).map(j -> j.state().terminal()).orElse(true);
                List<JobStore.Event> events;
                do {
                    events = store.events(jobId, after, BATCH);
                    metrics.polled();
                    synchronized (JobEventStreams.this) {
                        if (ended) {
                            return;
                        }
                        if (check) {
                            checkedAt = System.nanoTime();
                        }
                        deliver(events);
                        if (ended) {
                            return;
                        }
                        after = cursor;
                    }
                } while (events.size() == BATCH);
                if (over) {
                    synchronized (JobEventStreams.this) {
                        end(); // deleted, or ended with its final event at or before the streams' Last-Event-ID
                    }
                }
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn("reading the events of job {} failed, retrying every {}: {}", jobId,
                            properties.eventPollInterval(), e.toString());
                }
                failing = true;
            }
        }

        /** Queues the events for each live stream; one whose queue is full falls behind. Ends after a final event. */
        private void deliver(List<JobStore.Event> events) {
            if (events.isEmpty()) {
                return;
            }
            for (Iterator<Subscriber> it = live.iterator(); it.hasNext(); ) {
                Subscriber s = it.next();
                if (!s.offer(events)) {
                    it.remove();
                    s.fallBehind();
                }
                if (s.behind || !s.queue.isEmpty()) {
                    s.schedule();
                }
            }
            JobStore.Event last = events.get(events.size() - 1);
            cursor = last.id();
            if (FINAL.contains(last.type())) {
                end();
            }
        }

        private void heartbeats() {
            long now = System.nanoTime();
            for (Subscriber s : live) {
                if (now - s.lastWrite >= properties.heartbeatInterval().toNanos()) {
                    s.heartbeat = true;
                    s.schedule();
                }
            }
        }

        /** No more polls: live streams end once their queue is written; streams behind find the end themselves. */
        void end() {
            if (ended) {
                return;
            }
            ended = true;
            future.cancel(false);
            feeds.remove(jobId, this);
            metrics.jobUnwatched();
            for (Subscriber s : live) {
                s.finishing = true;
                s.schedule();
            }
            live.clear();
        }
    }

    /** One open stream: its client's position, its queue, and its sender. */
    private final class Subscriber {
        final Feed feed;
        final String caller;
        final SseEmitter emitter;
        final ArrayBlockingQueue<JobStore.Event> queue = new ArrayBlockingQueue<>(QUEUE);
        final AtomicBoolean scheduled = new AtomicBoolean();
        /** The last event queued or written: the stream needs the events after it. */
        volatile long position;
        /** The last event written to the client. */
        volatile long written;
        /** When the write in progress began (System.nanoTime), 0 when none is. */
        volatile long writingSince;
        volatile long lastWrite = System.nanoTime();
        /** Reads the database itself (not live); set by the poll when the queue overflows, cleared on joining. */
        volatile boolean behind = true;
        volatile boolean finishing;
        volatile boolean heartbeat;
        volatile boolean closed;

        Subscriber(Feed feed, String caller, long lastEventId, SseEmitter emitter) {
            this.feed = feed;
            this.caller = caller;
            this.emitter = emitter;
            this.position = lastEventId;
            this.written = lastEventId;
        }

        /** Runs the sender unless it runs already. */
        void schedule() {
            if (!closed && scheduled.compareAndSet(false, true)) {
                try {
                    senders.execute(this::pump);
                } catch (RejectedExecutionException e) {
                    scheduled.set(false); // stopping
                }
            }
        }

        /** Under the lock, by the poll: queues the events after {@link #position}; false if the queue is full. */
        boolean offer(List<JobStore.Event> events) {
            for (JobStore.Event e : events) {
                if (e.id() > position) {
                    if (!queue.offer(e)) {
                        return false;
                    }
                    position = e.id();
                }
            }
            return true;
        }

        /** Under the lock, by the poll: the client is more than {@value #QUEUE} events behind. */
        void fallBehind() {
            behind = true;
        }

        /**
         * The sender: writes this stream's queue, or catches up from the database, until there is nothing
         * to write. Only this method writes to the client, on a sender thread, one at a time per stream.
         */
        void pump() {
            pumping.add(this);
            try {
                while (!closed) {
                    if (stopped) {
                        finish();
                        return;
                    }
                    if (behind) {
                        queue.clear();
                        position = written;
                        if (!catchUp()) {
                            return;
                        }
                        continue;
                    }
                    JobStore.Event e = queue.poll();
                    if (e != null) {
                        write(e);
                        if (FINAL.contains(e.type())) {
                            finish();
                            return;
                        }
                    } else if (finishing) {
                        finish();
                        return;
                    } else if (heartbeat) {
                        heartbeat = false;
                        writingSince = System.nanoTime();
                        emitter.send(SseEmitter.event().comment("heartbeat"));
                        writingSince = 0;
                        lastWrite = System.nanoTime();
                    } else {
                        break;
                    }
                }
            } catch (IOException | IllegalStateException e) {
                close(); // the client went away, or the stream timed out
            } catch (RuntimeException e) {
                emitter.completeWithError(e);
                close();
            } finally {
                writingSince = 0;
                pumping.remove(this);
                scheduled.set(false);
            }
            if (!closed && (behind || finishing || heartbeat || stopped || !queue.isEmpty())) {
                schedule();
            }
        }

        /**
         * Writes the events after {@link #position} from the database until it is level with its job's
         * poll, then joins it (true); false if the stream ended on the way (a final event, or the job is
         * over: deleted, or its final event is at or before Last-Event-ID).
         */
        private boolean catchUp() throws IOException {
            boolean over = false;
            while (!closed) {
                if (stopped) {
                    finish();
                    return false;
                }
                long polled;
                synchronized (JobEventStreams.this) {
                    polled = feed.cursor; // every event up to it was committed before the read below
                }
                List<JobStore.Event> events = store.events(feed.jobId, position, BATCH);
                metrics.caughtUp();
                for (JobStore.Event e : events) {
                    write(e);
                    position = e.id();
                    if (FINAL.contains(e.type())) {
                        finish();
                        return false;
                    }
                }
                if (events.size() == BATCH) {
                    continue;
                }
                if (over) {
                    finish();
                    return false;
                }
                // the job's state before its events: if it has ended, one more read finds all it wrote
                if (store.find(feed.jobId).map(j -> j.state().terminal()).orElse(true)) {
                    over = true;
                    continue;
                }
                synchronized (JobEventStreams.this) {
                    if (closed) {
                        return false;
                    }
                    if (!feed.ended && position >= feed.cursor) {
                        if (feed.cursor < 0) {
                            feed.cursor = position;
                        }
                        behind = false;
                        feed.live.add(this);
                        return true;
                    }
                }
                if (position < polled) {
                    // the read went to the end of the job's events and still stopped short of what the poll had
                    // read before it: the events in between are gone (deleted under a running job). Reading on
                    // from here would find nothing, again and again, so go on from where the poll was.
                    position = polled;
                }
                // the poll has read past this stream's position meanwhile: read on
            }
            return false;
        }

        private void write(JobStore.Event e) throws IOException {
            writingSince = System.nanoTime();
            emitter.send(SseEmitter.event().id(Long.toString(e.id())).name(e.type())
                    .data(e.data(), MediaType.APPLICATION_JSON));
            writingSince = 0;
            written = e.id();
            lastWrite = System.nanoTime();
        }

        private void finish() {
            writingSince = System.nanoTime(); // completing flushes
            emitter.complete();
            writingSince = 0;
            close();
        }

        /** Frees the stream's slot (idempotent); called by its sender and by the emitter's callbacks. */
        void close() {
            synchronized (JobEventStreams.this) {
                if (closed) {
                    return;
                }
                closed = true;
                open.remove(this);
                perCaller.computeIfPresent(caller, (k, n) -> n > 1 ? n - 1 : null);
                feed.live.remove(this);
                if (--feed.subscribers == 0) {
                    feed.end();
                }
            }
            metrics.streamClosed();
        }
    }
}
