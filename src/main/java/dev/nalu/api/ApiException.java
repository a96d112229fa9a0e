package dev.nalu.api;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A request the service refuses, carried to the client as an RFC 9457 problem: a stable
 * {@code type}, a human {@code detail}, and where it applies the offending {@code field} and the
 * {@code limit} it broke. Thrown before anything is written.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final HttpStatus status;
    private final String type;
    private final String title;
    private final Map<String, Object> properties;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(HttpStatus status, String type, String title, String detail, Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.properties = new LinkedHashMap<>(properties);
    }

    /** 400: a field's value is not acceptable. */
    public static ApiException invalid(String field, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, Problems.INVALID_FIELD, "Invalid field", detail,
                Map.of("field", field));
    }

    /** 400: a field's value is over a configured limit. */
    public static ApiException overLimit(String field, Object limit, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, Problems.LIMIT_EXCEEDED, "Limit exceeded", detail,
                Map.of("field", field, "limit", limit));
    }

    /**
     * 422: the request is well formed but would need more than this replica's budget ({@code budget},
     * the setting's name) allows: {@code needed} against {@code limit}, in the budget's unit (bytes or
     * member-steps).
     */
    public static ApiException overBudget(String budget, long needed, long limit, String detail) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("budget", budget);
        properties.put("needed", needed);
        properties.put("limit", limit);
        return new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, Problems.OVER_BUDGET, "Over budget", detail, properties);
    }

    /** 404: no such resource. */
    public static ApiException notFound(String what, Object id) {
        return new ApiException(HttpStatus.NOT_FOUND, Problems.NOT_FOUND, "Not found",
                "there is no " + what + " " + id, Map.of());
    }

    /** 409: the resource is not in a state that allows this. */
    public static ApiException conflict(String type, String detail) {
        return new ApiException(HttpStatus.CONFLICT, type, "Conflict", detail, Map.of());
    }

    /** Adds a response header (e.g. Retry-After) to the problem's response. */
    public ApiException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public HttpStatus status() {
        return status;
    }

    /**
     * Writes the problem and its headers as the response, from a servlet filter, where no controller
     * advice runs (authentication, quotas, admission).
     */
    public void writeTo(HttpServletResponse response, ObjectMapper json) throws IOException {
        response.setStatus(status.value());
        headers.forEach(response::setHeader);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), toProblem());
    }

    public ProblemDetail toProblem() {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, getMessage());
        p.setType(URI.create(type));
        p.setTitle(title);
        properties.forEach(p::setProperty);
        return p;
    }
}
