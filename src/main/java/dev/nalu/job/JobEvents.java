package dev.nalu.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * The data of each event a job's stream sends (GET /api/v1/jobs/{id}/events), and of a job's {@code progress} and
 * its metrics history, as /v3/api-docs describes them. {@link JobRunner} and {@link JobService} write these objects;
 * the Java client GeneratedClientsTest generates reads a real job's events with these schemas, and refuses a member
 * they lack or a required one missing. A figure with no finite value
 * (a diverged member's loss) is null: JSON has no NaN.
 */
public final class JobEvents {
    /** The events of a short job, as a client reads them. */
    static final String EXAMPLE = """
            id:1
            event:state
            data:{"state":"QUEUED"}

            id:2
            event:state
            data:{"state":"RUNNING","replica":"host-1","attempt":1}

            id:3
            event:progress
            data:{"step":1000,"loss":1.6E-14,"validationMse":1.2E-14,"extrapolation":[{"range":"[2, 6]","mse":7.8E-13,"threshold":1.2E-7,"success":true}],"membersSucceeded":4,"population":4,"bestMember":0,"memberStepsPerSecond":11594.5,"reinitialisations":0,"stoppedEarly":true,"time":"2026-11-29T14:11:20.66Z"}

            id:4
            event:completed
            data:{"state":"SUCCEEDED","modelId":1,"formula":"y = a × b","exact":true,"membersSucceeded":4,"steps":1000,"stoppedEarlyAt":1000}
            """;

    private JobEvents() {
    }

    /** Event "progress": a progress report; also a job's latest {@code progress} and each entry of its metrics. */
    @Schema(name = "ProgressReport", description = "A progress report of the member currently best on validation")
    public record ProgressReport(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Optimiser steps done") long step,
            @Schema(requiredMode = RequiredMode.REQUIRED, types = {"number", "null"},
                    description = "Training MSE of the selected member on this step's batch") Double loss,
            @Schema(requiredMode = RequiredMode.REQUIRED, types = {"number", "null"},
                    description = "Its interpolation validation MSE") Double validationMse,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Its MSE on each extrapolation range (reported, "
                    + "never used to select or stop)") List<ExtrapolationProgress> extrapolation,
            @Schema(requiredMode = RequiredMode.REQUIRED,
                    description = "Members below the success threshold on every extrapolation range") int membersSucceeded,
            @Schema(requiredMode = RequiredMode.REQUIRED) int population,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Index of the selected member") int bestMember,
            @Schema(requiredMode = RequiredMode.REQUIRED, types = {"number", "null"},
                    description = "Training throughput since the previous report") Double memberStepsPerSecond,
            @Schema(requiredMode = RequiredMode.REQUIRED,
                    description = "Members re-initialised so far (non-finite or stuck)") int reinitialisations,
            @Schema(description = "true on the report where early stopping ended the job") Boolean stoppedEarly,
            @Schema(description = "When the report was made (reports written by versions before it have none)")
            java.time.Instant time,
            @Schema(description = "A number-words job: the selected member's mean absolute error on each split, in "
                    + "float64 (the test split reported only)") dev.nalu.model.ModelMetrics.MeanAbsoluteErrors mae) {
    }

    /** One extrapolation range of a progress report. */
    @Schema(name = "ExtrapolationProgress")
    public record ExtrapolationProgress(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "\"[2, 6]\"", description = "The range, as text") String range,
            @Schema(requiredMode = RequiredMode.REQUIRED, types = {"number", "null"}) Double mse,
            @Schema(requiredMode = RequiredMode.REQUIRED, types = {"number", "null"},
                    description = "The success threshold of the range (docs/papers.md §1)") Double threshold,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "mse < threshold") boolean success) {
    }

    /** Event "state": the job changed state, or a running job moved (resumed, released, an attempt failed). */
    @Schema(name = "JobStateData")
    public record StateEvent(
            @Schema(requiredMode = RequiredMode.REQUIRED) JobState state,
            @Schema(description = "The replica running it") String replica,
            @Schema(description = "The attempt that starts (1 for the first)") Integer attempt,
            @Schema(description = "Training resumed from the checkpoint at this step (0: from the start)") Long resumedFromStep,
            @Schema(description = "The replica stopped and released the job at this step, checkpointed") Long releasedAtStep,
            @Schema(description = "An attempt that failed and will be retried") Integer attemptFailed,
            @Schema(description = "Attempts a job gets (nalu.jobs.max-attempts)") Integer maxAttempts,
            @Schema(description = "Why the attempt failed (with a log reference)") String reason,
            @Schema(description = "When the next attempt starts") Long retryInSeconds,
            @Schema(description = "Anything else worth knowing, e.g. an unreadable checkpoint") String note,
            @Schema(description = "CANCELLED while queued: steps done (0)") Long step) {
    }

    /** Event "completed": the job SUCCEEDED and made a model. */
    @Schema(name = "JobCompletedData")
    public record CompletedEvent(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "SUCCEEDED") JobState state,
            @Schema(requiredMode = RequiredMode.REQUIRED) long modelId,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "y = a × b") String formula,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Whether the formula is exact") boolean exact,
            @Schema(requiredMode = RequiredMode.REQUIRED) int membersSucceeded,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Steps trained") long steps,
            @Schema(description = "The step at which early stopping ended it") Long stoppedEarlyAt) {
    }

    /** Event "failed": the job FAILED. */
    @Schema(name = "JobFailedData")
    public record FailedEvent(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "FAILED") JobState state,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Why, with a log reference") String reason,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Attempts made") int attempts) {
    }

    /** Event "cancelled": the job was CANCELLED. */
    @Schema(name = "JobCancelledData")
    public record CancelledEvent(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "CANCELLED") JobState state,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Steps done when it stopped") long step) {
    }

    /** The event types of the stream and the schema of each one's data. */
    static final Map<String, Class<?>> TYPES = typesByName();

    private static Map<String, Class<?>> typesByName() {
        Map<String, Class<?>> types = new LinkedHashMap<>();
        types.put("state", StateEvent.class);
        types.put("progress", ProgressReport.class);
        types.put("completed", CompletedEvent.class);
        types.put("failed", FailedEvent.class);
        types.put("cancelled", CancelledEvent.class);
        return java.util.Collections.unmodifiableMap(types);
    }
}
