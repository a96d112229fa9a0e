package dev.nalu.api;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every refusal and every failure as an RFC 9457 problem detail with a stable type (see
 * {@link Problems}). Malformed JSON, wrong JSON types and unknown fields are 400s that name the
 * field; so is a value a deserializer refuses ({@link InvalidValueException}, an invalid field like those the
 * checks after binding find). A 500 is a bug, logged here, and says nothing about internals.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        HttpHeaders headers = new HttpHeaders();
        e.headers().forEach(headers::add);
        return answer(e.status(), headers, e.toProblem());
    }

    @ExceptionHandler(RequestTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(RequestTooLargeException e) {
        return answer(HttpStatus.PAYLOAD_TOO_LARGE, HttpHeaders.EMPTY, e.toProblem());
    }

    /**
     * Spring Security's firewall refuses some parts of a request only when they are read: a form body's parameter
     * names (a NUL in one), read when a JSON endpoint is sent application/x-www-form-urlencoded. A 400, as for
     * what it refuses up front. Found by OpenApiFuzzTest.
     */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "the request was refused: "
                + (message.length() > 300 ? message.substring(0, 300) + "…" : message));
        p.setType(URI.create(Problems.BAD_REQUEST));
        p.setTitle("Bad Request");
        return answer(HttpStatus.BAD_REQUEST, HttpHeaders.EMPTY, p);
    }

    /**
     * The answer with its Content-Type set rather than negotiated: Spring writes no body at all for an error when
     * the request's Accept header does not parse ("Accept: garbage"), and a problem must always have one.
     */
    private static <T> ResponseEntity<T> answer(HttpStatusCode status, HttpHeaders headers, T problem) {
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /**
     * A wildcard Content-Type ("*&#47;*", "application/*") names no media type, and Spring refuses it with an
     * IllegalArgumentException while it reads the body: that is the client's error, 415 as for any other
     * media type it cannot read. Every other IllegalArgumentException is a bug.
     */
    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> illegalArgument(IllegalArgumentException e, HttpServletRequest request) {
        MediaType type = null;
        try {
            type = request.getContentType() == null ? null : MediaType.parseMediaType(request.getContentType());
        } catch (InvalidMediaTypeException ignored) {
            // not a media type at all: Spring reads that as no Content-Type, so it is not what failed here
        }
        if (type == null || !(type.isWildcardType() || type.isWildcardSubtype())) {
            return unexpected(e);
        }
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type '"
                + request.getContentType() + "' is a wildcard, not a media type; send application/json");
        p.setType(URI.create(Problems.BAD_REQUEST));
        p.setTitle("Unsupported Media Type");
        p.setProperty("field", "Content-Type");
        return answer(HttpStatus.UNSUPPORTED_MEDIA_TYPE, HttpHeaders.EMPTY, p);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("request failed", e);
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "the service failed to answer this request; the failure is logged");
        p.setType(URI.create(Problems.INTERNAL_ERROR));
        p.setTitle("Internal error");
        return answer(HttpStatus.INTERNAL_SERVER_ERROR, HttpHeaders.EMPTY, p);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        RequestTooLargeException tooLarge = cause(e, RequestTooLargeException.class);
        if (tooLarge != null) {
            return answer(HttpStatus.PAYLOAD_TOO_LARGE, HttpHeaders.EMPTY, tooLarge.toProblem());
        }
        InvalidValueException invalid = cause(e, InvalidValueException.class);
        if (invalid != null) {
            String field = path(invalid.getPath());
            return answer(HttpStatus.BAD_REQUEST, HttpHeaders.EMPTY, ApiException.invalid(field, invalid.detail(field)).toProblem());
        }
        ProblemDetail p = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
        p.setType(URI.create(Problems.MALFORMED_REQUEST));
        p.setTitle("Malformed request");
        JsonMappingException mapping = cause(e, JsonMappingException.class);
        JsonParseException parse = cause(e, JsonParseException.class);
        if (mapping != null && !mapping.getPath().isEmpty()) {
            String field = path(mapping.getPath());
            p.setProperty("field", field);
            p.setDetail(describe(mapping, field));
        } else if (parse != null) {
            p.setDetail("the body is not valid JSON: " + parse.getOriginalMessage()
                    + (parse.getLocation() == null ? ""
                    : " (line " + parse.getLocation().getLineNr() + ", column " + parse.getLocation().getColumnNr() + ")"));
        } else {
            p.setDetail("the body is missing or is not valid JSON");
        }
        return answer(HttpStatus.BAD_REQUEST, HttpHeaders.EMPTY, p);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> Map.<String, Object>of("field", f.getField(),
                        "detail", f.getField() + " " + f.getDefaultMessage()))
                .toList();
        ProblemDetail p = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
        p.setType(URI.create(Problems.INVALID_FIELD));
        p.setTitle("Invalid field");
        p.setDetail(errors.stream().map(m -> (String) m.get("detail")).collect(Collectors.joining("; ")));
        if (!errors.isEmpty()) {
            p.setProperty("field", errors.get(0).get("field"));
        }
        p.setProperty("errors", errors);
        return answer(HttpStatus.BAD_REQUEST, HttpHeaders.EMPTY, p);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail p = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
        p.setType(URI.create(Problems.INVALID_FIELD));
        p.setTitle("Invalid field");
        p.setDetail(e.getAllErrors().stream().map(m -> m.getDefaultMessage()).collect(Collectors.joining("; ")));
        return answer(HttpStatus.BAD_REQUEST, HttpHeaders.EMPTY, p);
    }

    /** Spring MVC's own refusals (404, 405, 415, type mismatches) keep their status and get a stable type. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, @Nullable Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response == null || !(response.getBody() instanceof ProblemDetail p)) {
            return response;
        }
        if (p.getType() == null || "about:blank".equals(p.getType().toString())) {
            p.setType(URI.create(Problems.forStatus(status.value())));
        }
        return answer(response.getStatusCode(), response.getHeaders(), p);
    }

    private static String describe(JsonMappingException e, String field) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + field + "'; known fields here: " + u.getKnownPropertyIds();
        }
        if (e instanceof InvalidFormatException f) {
            return field + " must be " + article(f.getTargetType()) + ", got " + f.getValue();
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return field + " must be " + article(m.getTargetType());
        }
        return field + ": " + e.getOriginalMessage();
    }

    private static String article(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return "an object";
    }

    static String path(List<JsonMappingException.Reference> path) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
