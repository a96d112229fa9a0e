package dev.nalu.job;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A job as the API shows it.
 *
 * @param queuePosition 1 for the next job to start; only while QUEUED
 * @param progress      the latest progress report (as in the "progress" events)
 * @param modelId       the model it made, once SUCCEEDED
 * @param spec          the job as validated, with every default filled in (task, extrapolation, model, training)
 * @param owner         who submitted it: "key:12" (API key 12) or "jwt:alice"; only it or an admin may cancel or delete it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(requiredProperties = {"id", "name", "state", "createdAt", "cancelRequested", "architecture", "spec"})
public record JobView(long id, String name, JobState state, Instant createdAt, Instant startedAt, Instant finishedAt,
                      @Schema(description = "Why the job failed") String failureReason,
                      Long queuePosition, boolean cancelRequested,
                      @Schema(implementation = JobEvents.ProgressReport.class,
                              description = "The latest progress report, once there is one") JsonNode progress,
                      Long modelId,
                      @Schema(description = "Architecture, e.g. NAU(2→2) → NMU(2→1)") String architecture,
                      @Schema(implementation = JobSpec.class, requiredMode = Schema.RequiredMode.REQUIRED) JsonNode spec,
                      @Schema(description = "Who submitted it: key:<id> for an API key, jwt:<subject> for a token",
                              example = "key:12") String owner) {
}
