package dev.nalu.config;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the job engine runs.
 *
 * @param workers             jobs trained at once on this replica; 0 means one per core. Each job
 *                            trains on one thread (ND4J single-threaded).
 * @param checkpointEvery     a running job saves its full training state after this many steps
 *                            (at the next progress report), and always when the service stops
 * @param eventPollInterval   how often the new events of a job that event streams watch are read from
 *                            the database: one read per job, shared by all its streams
 * @param heartbeatInterval   how often an idle event stream sends an SSE comment
 * @param streamTimeout       how long one event stream may stay open
 * @param maxStreams          event streams open at once on this replica; one more is refused with 503
 *                            and Retry-After
 * @param maxStreamsPerKey    event streams one caller (API key, or all anonymous callers together) may
 *                            have open at once on this replica; one more is refused with 429 and Retry-After
 * @param cancelCheckInterval how often a running job reads whether it was cancelled
 * @param shutdownWait        how long stopping the service waits for running jobs to checkpoint
 * @param idempotencyKeyRetention how long an Idempotency-Key of POST /jobs is remembered: a retry
 *                            within it replays the job, one after it submits a new job. Expired keys
 *                            are deleted by the reconciler, within a minute or so of expiring.
 * @param warmUp              load ND4J and warm up the training loop in the background once the
 *                            service is ready, so the first job does not pay for it
 * @param maxAttempts         training attempts a job may use: one whose attempt fails (any exception or
 *                            error, out of memory included) is retried until it has used this many, then
 *                            ends FAILED; an attempt whose replica died counts, a hand-over on SIGTERM does not
 */
@Validated
@ConfigurationProperties("nalu.jobs")
public record JobsProperties(
        @DefaultValue("0") @Min(0) int workers,
        @DefaultValue("5000") @Positive long checkpointEvery,
        @DefaultValue("500ms") Duration eventPollInterval,
        @DefaultValue("15s") Duration heartbeatInterval,
        @DefaultValue("30m") Duration streamTimeout,
        @DefaultValue("256") @Positive int maxStreams,
        @DefaultValue("16") @Positive int maxStreamsPerKey,
        @DefaultValue("250ms") Duration cancelCheckInterval,
        @DefaultValue("30s") Duration shutdownWait,
        @DefaultValue("24h") Duration idempotencyKeyRetention,
        @DefaultValue("true") boolean warmUp,
        @DefaultValue("3") @Min(1) int maxAttempts) {

    public JobsProperties {
        if (eventPollInterval.toMillis() < 1) {
            throw new IllegalArgumentException("nalu.jobs.event-poll-interval must be at least 1ms, got " + eventPollInterval);
        }
        if (idempotencyKeyRetention.isNegative() || idempotencyKeyRetention.isZero()) {
            throw new IllegalArgumentException("nalu.jobs.idempotency-key-retention must be positive, got "
                    + idempotencyKeyRetention);
        }
    }

    /** The number of job workers: {@link #workers()}, or the number of cores when that is 0. */
    public int effectiveWorkers() {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }
}
