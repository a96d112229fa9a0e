package dev.nalu.api;

import java.io.IOException;
import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** A request body went over nalu.limits.max-request-size while it was being read. */
public class RequestTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long limit;

    public RequestTooLargeException(long limit) {
        super("the request body is larger than the limit of " + limit + " bytes");
        this.limit = limit;
    }

    public ProblemDetail toProblem() {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE, getMessage());
        p.setType(URI.create(Problems.REQUEST_TOO_LARGE));
        p.setTitle("Request too large");
        p.setProperty("field", "body");
        p.setProperty("limit", limit);
        return p;
    }
}
