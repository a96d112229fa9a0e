package dev.nalu.job;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The job engine's meters: jobs submitted and finished (by final state), jobs per state and the
 * queue depth (read from the database, so every replica reports the cluster's view), jobs
 * training on this replica, how long jobs trained, training throughput, and the event streams: open,
 * refused, jobs watched, and their reads of the database.
 */
@Component
public class JobMetrics {
    private final MeterRegistry registry;
    private final Counter submitted;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private final AtomicInteger watched = new AtomicInteger();
    private final Counter polls;
    private final Counter catchUps;
    private final Timer duration;
    private final DistributionSummary throughput;

    public JobMetrics(MeterRegistry registry, JobStore store) {
        this.registry = registry;
        this.submitted = Counter.builder("nalu.jobs.submitted").description("Jobs accepted").register(registry);
        Gauge.builder("nalu.jobs.training", running, AtomicInteger::get)
                .description("Jobs training on this replica now").register(registry);
        Gauge.builder("nalu.sse.streams.open", streams, AtomicInteger::get)
                .description("Open job event streams on this replica").register(registry);
        Gauge.builder("nalu.sse.jobs.watched", watched, AtomicInteger::get)
                .description("Jobs whose events this replica polls for its open streams (one poll per job)").register(registry);
        this.polls = Counter.builder("nalu.sse.reads").tag("by", "poll")
                .description("Reads of job events for streams: polls (one per watched job per interval) and catch-ups")
                .register(registry);
        this.catchUps = Counter.builder("nalu.sse.reads").tag("by", "catch-up")
                .description("Reads of job events for streams: polls (one per watched job per interval) and catch-ups")
                .register(registry);
        for (JobState state : JobState.values()) {
            Gauge.builder("nalu.jobs", store, s -> s.count(state)).tag("state", state.name())
                    .description("Jobs in the database, by state").register(registry);
        }
        Gauge.builder("nalu.jobs.queue.depth", store, s -> s.count(JobState.QUEUED))
                .description("Jobs waiting for a worker").register(registry);
        this.duration = Timer.builder("nalu.jobs.duration").description("Time from a job's start to its end on a worker")
                .register(registry);
        this.throughput = DistributionSummary.builder("nalu.training.member.steps.per.second")
                .description("Training throughput of each progress report: member-steps per second")
                .register(registry);
    }

    void submitted() {
        submitted.increment();
    }

    void finished(JobState state) {
        Counter.builder("nalu.jobs.finished").tag("state", state.name()).description("Jobs that reached a final state")
                .register(registry).increment();
    }

    void started() {
        running.incrementAndGet();
    }

    void stopped(Duration trained) {
        running.decrementAndGet();
        duration.record(trained);
    }

    void progress(double memberStepsPerSecond) {
        if (Double.isFinite(memberStepsPerSecond)) {
            throughput.record(memberStepsPerSecond);
        }
    }

    void streamOpened() {
        streams.incrementAndGet();
    }

    void streamClosed() {
        streams.decrementAndGet();
    }

    /** A stream refused by nalu.jobs.max-streams ("replica") or max-streams-per-key ("caller"). */
    void streamRefused(String scope) {
        Counter.builder("nalu.sse.streams.refused").tag("scope", scope)
                .description("Event streams refused: too many on this replica (503) or for one caller (429)")
                .register(registry).increment();
    }

    void jobWatched() {
        watched.incrementAndGet();
    }

    void jobUnwatched() {
        watched.decrementAndGet();
    }

    /** One read of a watched job's new events, shared by all its streams. */
    void polled() {
        polls.increment();
    }

    /** One read of a stream that is behind the poll (resumed from an older Last-Event-ID, or slow). */
    void caughtUp() {
        catchUps.increment();
    }
}
