package dev.nalu.api;

/**
 * The stable {@code type} URIs of the service's problem details (RFC 9457), relative to the
 * service. docs/api.md lists what each means. They never change once released.
 */
public final class Problems {
    /** A field has a wrong, missing or out-of-domain value. */
    public static final String INVALID_FIELD = "/problems/invalid-field";
    /** A field is over a configured limit ({@code limit} says which). */
    public static final String LIMIT_EXCEEDED = "/problems/limit-exceeded";
    /** The body is not JSON, or a value has the wrong JSON type. */
    public static final String MALFORMED_REQUEST = "/problems/malformed-request";
    /** The body is larger than nalu.limits.max-request-size. */
    public static final String REQUEST_TOO_LARGE = "/problems/request-too-large";
    /** No resource with that id. */
    public static final String NOT_FOUND = "/problems/not-found";
    /** An Idempotency-Key was reused with a different body. */
    public static final String IDEMPOTENCY_CONFLICT = "/problems/idempotency-key-reused";
    /** The job is not in a state that allows the request (e.g. deleting a running job). */
    public static final String JOB_STATE_CONFLICT = "/problems/job-state-conflict";
    /** The dataset is used by a queued or running job (409); the detail names the jobs. */
    public static final String DATASET_IN_USE = "/problems/dataset-in-use";
    /** An expression uses an operator that no model is assigned to (by alias or tag). */
    public static final String MISSING_OPERATOR_MODEL = "/problems/missing-operator-model";
    /**
     * The request would hold more memory, or train more member-steps, than this replica's budget allows
     * ({@code budget} names the setting, {@code needed} and {@code limit} give the figures).
     */
    public static final String OVER_BUDGET = "/problems/over-budget";
    /** An imported model document is inconsistent. */
    public static final String INVALID_MODEL_DOCUMENT = "/problems/invalid-model-document";
    /** No API key, or one that is unknown or revoked (401 with WWW-Authenticate: Bearer). */
    public static final String UNAUTHORIZED = "/problems/unauthorized";
    /** The key's role does not allow this call, or the job or model belongs to another key (403). */
    public static final String FORBIDDEN = "/problems/forbidden";
    /** A quota of the key is used up: requests per second or active jobs (429 with Retry-After), or member-steps per job (422). */
    public static final String QUOTA_EXCEEDED = "/problems/quota-exceeded";
    /**
     * An event stream refused: this replica has nalu.jobs.max-streams open (503), or the caller has
     * nalu.jobs.max-streams-per-key (429); {@code scope} says which, and Retry-After when to try again.
     */
    public static final String TOO_MANY_STREAMS = "/problems/too-many-streams";
    /** This replica computes as many predictions, evaluations and imports at once as its memory allows (503, Retry-After). */
    public static final String BUSY = "/problems/busy";
    /** Anything else the HTTP layer refuses (wrong method, media type, parameter). */
    public static final String BAD_REQUEST = "/problems/bad-request";
    /** A bug: the service failed. */
    public static final String INTERNAL_ERROR = "/problems/internal-error";

    private Problems() {
    }

    /** The type of a refusal that carries no type of its own (the HTTP layer's, the servlet container's), by status. */
    public static String forStatus(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 413 -> REQUEST_TOO_LARGE;
            default -> status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
        };
    }
}
