package dev.nalu.job;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Locale;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.api.ApiException;
import dev.nalu.api.Paging;
import dev.nalu.config.LimitsProperties;

@RestController
@RequestMapping(path = "/api/v1/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "jobs", description = "Training jobs: submit, watch live, cancel")
public class JobController {
    private final JobService jobs;
    private final JobEventStreams streams;
    private final LimitsProperties limits;
    private final JobHistory history;

    public JobController(JobService jobs, JobEventStreams streams, LimitsProperties limits, JobHistory history) {
        this.jobs = jobs;
        this.streams = streams;
        this.limits = limits;
        this.history = history;
    }

    @PostMapping
    @Operation(operationId = "submitJob", summary = "Submit a training job",
            description = "Answers 202 with the queued job and its Location. With an Idempotency-Key header, a "
                    + "replay of the same body returns the original job (header Idempotent-Replayed: true) and the "
                    + "same key with a different body is 409.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    examples = {
                            @ExampleObject(name = "a*b with auto", value = JobRequest.EXAMPLE),
                            @ExampleObject(name = "a+b with explicit NAU", value = """
                                    {"task": {"expression": "a + b", "variables": {"a": {"train": [[1, 2]]}, "b": {"train": [[1, 2]]}}},
                                     "model": {"layers": [{"unit": "NAU", "out": 1}]},
                                     "training": {"steps": 2000, "population": 4}}"""),
                            @ExampleObject(name = "a paper's experiment (GET /api/v1/presets)", value = """
                                    {"task": {"preset": "primer-mul-1-2"}, "training": {"seed": 1, "steps": 20000}}"""),
                            @ExampleObject(name = "the identity failure (Trask et al. 2018, Fig. 1)", value = """
                                    {"task": {"preset": "identity-relu6"}}"""),
                            @ExampleObject(name = "arithmetic task (docs/papers.md §1)", value = """
                                    {"task": {"kind": "arithmetic", "op": "mul", "inputSize": 100, "extrapolation": [[[2, 6]]]},
                                     "training": {"steps": 50000, "population": 16, "learningRate": 0.005, "batchSize": 128}}""")
                    })))
    @ApiResponse(responseCode = "202", description = "Accepted: the job is queued (or, replayed, the job this key made)",
            headers = {@Header(name = HttpHeaders.LOCATION, description = "The job's URL", schema = @Schema(type = "string")),
                    @Header(name = "Idempotent-Replayed", description = "true when an Idempotency-Key replay returned the original job",
                            schema = @Schema(type = "string", allowableValues = "true"))})
    public ResponseEntity<JobView> submit(@RequestBody JobRequest request,
                                          @Parameter(description = "Makes retries safe: the same key and body give the same job")
                                          @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        JobService.Submitted s = jobs.submit(request, key);
        ResponseEntity.BodyBuilder response = ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + s.job().id()));
        if (s.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(s.job());
    }

    @GetMapping
    @Operation(operationId = "listJobs", summary = "List jobs, newest first")
    public JobService.Page list(@Parameter(description = "Only jobs in this state (case does not matter)",
                                        schema = @Schema(implementation = JobState.class))
                                @RequestParam(required = false) String state,
                                @Parameter(description = "Only jobs whose name contains this (any case)")
                                @RequestParam(required = false) String name,
                                @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        Paging.check(page, size, limits);
        if (name != null && name.length() > 200) {
            throw ApiException.overLimit("name", 200, "name is " + name.length() + " characters, at most 200 (a job name's length)");
        }
        return jobs.list(state(state), name == null || name.isBlank() ? null : name.strip(), page, size);
    }

    private static JobState state(String state) {
        if (state == null) {
            return null;
        }
        try {
            return JobState.valueOf(state.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("state", "state must be one of " + List.of(JobState.values()) + ", got \"" + state + "\"");
        }
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getJob", summary = "A job: state with timestamps, failure reason, queue position, latest progress, modelId")
    public JobView get(@PathVariable long id) {
        return jobs.get(id);
    }

    @PostMapping("/{id}/cancel")
    @Operation(operationId = "cancelJob", summary = "Cancel a job (idempotent)",
            description = "A queued job is cancelled at once (200). A running one stops at its next step (202 while "
                    + "it stops; watch for the \"cancelled\" event). A finished job is returned unchanged (200).")
    @ApiResponse(responseCode = "200", description = "Cancelled, or already finished")
    @ApiResponse(responseCode = "202", description = "Running: it stops at its next step")
    public ResponseEntity<JobView> cancel(@PathVariable long id) {
        JobView job = jobs.cancel(id);
        return ResponseEntity.status(job.state().terminal() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(job);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteJob", summary = "Delete a finished job with its events (409 while it is queued or running)")
    public void delete(@PathVariable long id) {
        jobs.delete(id);
    }

    // */* too: a client that names no type (curl, a browser's address bar) gets the stream; JSON only when asked for
    @GetMapping(path = "/{id}/events", produces = {MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.ALL_VALUE})
    @Operation(operationId = "streamJobEvents", summary = "The job's events as Server-Sent Events",
            description = "Events progress, state, and one final completed / failed / cancelled, each with its id. "
                    + "Reconnect with Last-Event-ID (header, or lastEventId parameter) to resume with no gap and no "
                    + "duplicate. A finished job replays its history and the stream closes. Idle streams get a "
                    + "comment every 15 s. Beyond nalu.jobs.max-streams open streams on this replica: 503; beyond "
                    + "nalu.jobs.max-streams-per-key for the caller: 429; both with Retry-After.")
    @ApiResponse(responseCode = "200", description = "A text/event-stream: lines `id:`, `event:` and `data:` (one JSON "
            + "object) per event. The data of each event type is the schema of the same name in JobEvents.",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                    schema = @Schema(type = "string", description = "Server-Sent Events (text/event-stream)"),
                    examples = @ExampleObject(value = JobEvents.EXAMPLE)))
    public SseEmitter events(@PathVariable long id,
                             @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
                             @RequestParam(name = "lastEventId", required = false) String lastEventIdParam,
                             Principal principal) {
        jobs.get(id);
        long after = after(lastEventIdHeader, lastEventIdParam);
        return streams.open(id, after, principal == null ? "anonymous" : principal.getName());
    }

    private static long after(String header, String param) {
        String last = header != null ? header : param;
        if (last == null || last.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(last.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid("Last-Event-ID", "Last-Event-ID must be an event id (an integer), got \"" + last + "\"");
        }
    }

    /**
     * The same events as JSON, a page at a time, for a client that would rather poll than stream (a generated
     * client asks for this: it gets each event's data typed). {@code next} is the Last-Event-ID of the next page.
     */
    @GetMapping(path = "/{id}/events", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "streamJobEvents", summary = "The job's events as Server-Sent Events, or as JSON pages",
            description = "With Accept: application/json, the events after Last-Event-ID (header, or lastEventId "
                    + "parameter), oldest first, at most `limit`; `next` is the id to ask after for the next page "
                    + "(null when there is none yet).")
    public EventPage eventPage(@PathVariable long id,
                               @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
                               @RequestParam(name = "lastEventId", required = false) String lastEventIdParam,
                               @Parameter(description = "At most this many events (JSON only), 1 to nalu.limits.max-page-size")
                               @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > limits.maxPageSize()) {
            throw ApiException.overLimit("limit", limits.maxPageSize(), "limit must be 1 to " + limits.maxPageSize()
                    + ", got " + limit);
        }
        List<JobService.Event> events = jobs.events(id, after(lastEventIdHeader, lastEventIdParam), limit);
        return new EventPage(events, events.size() < limit ? null : events.get(events.size() - 1).id());
    }

    /** A page of a job's events, and the id to continue after. */
    @Schema(name = "JobEventPage", requiredProperties = {"items", "next"})
    public record EventPage(@ArraySchema(schema = @Schema(ref = JobOpenApiConfiguration.JOB_EVENT)) List<JobService.Event> items,
                            @Schema(types = {"integer", "null"}, format = "int64",
                                    description = "Last-Event-ID of the next page; null when this page is the last so far")
                            Long next) {
    }

    /** 503 (this replica) or 429 (this caller) with Retry-After: the streams free a slot when one ends. */
    @ExceptionHandler(JobEventStreams.TooManyStreams.class)
    ResponseEntity<ProblemDetail> tooManyStreams(JobEventStreams.TooManyStreams e) {
        return ResponseEntity.status(e.status()).header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfter().toSeconds()))
                .body(e.toProblem());
    }

    @GetMapping("/{id}/history")
    @Operation(operationId = "getJobHistory", summary = "The job's whole history in one compact document, for drawing it",
            description = "Every event up to the job's last one when asked: each progress report as a row of numbers "
                    + "(`columns`, then each range's MSE and threshold), the other events as the stream sends them, "
                    + "and `lastEventId`, from which GET /events (Last-Event-ID, or lastEventId) continues with no gap "
                    + "and no duplicate. Streamed: the service reads and writes 1,000 events at a time, so a request "
                    + "holds one such chunk whatever the history's length. A job writes at most "
                    + "nalu.limits.max-progress-reports reports.")
    @ApiResponse(responseCode = "200", description = "The history", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = JobHistory.Document.class),
            examples = @ExampleObject(value = """
                    {"jobId": 1, "columns": ["id", "step", "time", "loss", "validationMse", "membersSucceeded", "population", "bestMember"],
                     "progress": [[3, 1000, 1796047880660, 1.6E-14, 1.2E-14, 4, 4, 0, 7.8E-13, 1.2E-7]],
                     "ranges": ["[2, 6]"],
                     "events": [{"id": 1, "event": "state", "data": {"state": "QUEUED"}},
                                {"id": 2, "event": "state", "data": {"state": "RUNNING", "replica": "host-1", "attempt": 1}},
                                {"id": 4, "event": "completed", "data": {"state": "SUCCEEDED", "modelId": 1, "formula": "y = a × b",
                                 "exact": true, "membersSucceeded": 4, "steps": 1000, "stoppedEarlyAt": 1000}}],
                     "lastEventId": 4}""")))
    public ResponseEntity<StreamingResponseBody> history(@PathVariable long id) {
        jobs.get(id);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(out -> history.write(id, out));
    }

    @GetMapping("/{id}/metrics")
    @Operation(operationId = "getJobMetrics", summary = "The job's progress history, for plots",
            description = "Every progress report, oldest first, when the job has at most `points` of them (by default "
                    + "nalu.limits.max-progress-reports, 1000, which is all a job may write); else `points` of them evenly "
                    + "spaced, the first and the last included. `total` is how many the job has.")
    public History metrics(@PathVariable long id,
                                       @Parameter(description = "at most this many reports, 2 to nalu.limits.max-progress-reports")
                                       @RequestParam(required = false) Integer points) {
        int most = limits.maxProgressReports();
        int n = points == null ? most : points;
        if (n < 2) {
            throw ApiException.invalid("points", "points must be at least 2 (the first and the last report), got " + n);
        }
        if (n > most) {
            throw ApiException.overLimit("points", most, "points is " + n + ", at most " + most + " is allowed");
        }
        JobService.ProgressHistory history = jobs.progress(id, n);
        return new History(id, history.total(), history.reports());
    }

    /** A job's progress history: {@code total} reports, of which {@code progress} holds at most the points asked. */
    @Schema(name = "JobMetrics", requiredProperties = {"jobId", "total", "progress"})
    public record History(long jobId, long total,
                          @ArraySchema(schema = @Schema(implementation = JobEvents.ProgressReport.class)) List<JsonNode> progress) {
    }
}
