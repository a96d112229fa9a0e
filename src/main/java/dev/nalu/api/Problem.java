package dev.nalu.api;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * How /v3/api-docs describes every error body: an RFC 9457 problem detail ({@code application/problem+json}) with
 * the members this service adds where they apply. The bodies themselves are Spring's {@code ProblemDetail}s, written
 * by {@link ProblemHandler} and {@link ApiException}; OpenApiFuzzTest fails on a problem with a member this record
 * lacks, and GeneratedClientsTest's Java client reads one with it.
 */
@Schema(name = "Problem", description = "An RFC 9457 problem detail. `type` is stable (one of /problems/…, "
        + "listed in docs/api.md) and is what a client should branch on; the other members say what was wrong.")
public record Problem(
        @Schema(requiredMode = RequiredMode.REQUIRED, description = "A stable URI reference naming the kind of problem",
                example = "/problems/invalid-field") String type,
        @Schema(requiredMode = RequiredMode.REQUIRED, example = "Invalid field") String title,
        @Schema(requiredMode = RequiredMode.REQUIRED, description = "The HTTP status", example = "400") int status,
        @Schema(description = "What was wrong, for a person", example = "task.expression: unknown variable c") String detail,
        @Schema(description = "The request's path") String instance,
        @Schema(description = "The request field, header or parameter at fault, as a JSON path", example = "task.expression")
        String field,
        @Schema(description = "The limit that was broken (a count, a size in bytes, a magnitude)", example = "256")
        Double limit,
        @Schema(description = "422 over-budget: the budget's setting") String budget,
        @Schema(description = "422 over-budget: what the request would need, in the budget's unit") Long needed,
        @Schema(description = "429/422 quota-exceeded: which quota (activeJobs, memberStepsPerJob, requestsPerSecond)")
        String quota,
        @Schema(description = "403: the role the operation needs (read, train or admin)") String role,
        @Schema(description = "422 missing-operator-model: the operator with no model (add, sub, mul, …)") String operator,
        @Schema(description = "422 missing-operator-model: the label that would serve it (op:mul)") String label,
        @Schema(description = "The model that failed to compute an operator") Long modelId,
        @Schema(description = "A dataset upload: the row at fault, 1-based, the header not counted") Long row,
        @Schema(description = "A dataset upload: the column at fault") String column,
        @Schema(description = "too-many-streams: whose limit, this replica's (503) or the caller's (429)",
                allowableValues = {"replica", "caller"}) String scope,
        @Schema(description = "400 with several invalid fields: each of them") List<FieldError> errors) {

    /** One invalid field of a request. */
    @Schema(name = "ProblemFieldError")
    public record FieldError(@Schema(requiredMode = RequiredMode.REQUIRED) String field,
                             @Schema(requiredMode = RequiredMode.REQUIRED) String detail) {
    }
}
