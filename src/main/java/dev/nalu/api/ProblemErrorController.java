package dev.nalu.api;

import java.net.URI;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Hidden;

/**
 * The servlet container's error page (/error) as a problem detail, in place of Spring Boot's
 * {"timestamp", "status", "error", "path"}. It answers what never reached a controller, so {@link ProblemHandler}
 * never saw it: a request Spring Security's firewall rejects ("..", "//", "%25" in the path), and anything else
 * that ends in {@code response.sendError}. A 5xx says nothing of its cause.
 */
@RestController
@Hidden
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        // no status: a client asked for /error itself, which is no resource of the API
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer i ? HttpStatus.resolve(i) : HttpStatus.NOT_FOUND;
        if (status == null || !status.isError()) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String detail;
        if (status.is5xxServerError()) {
            detail = "the service failed to answer this request; the failure is logged";
        } else if (message instanceof String m && !m.isBlank()) {
            detail = m;
        } else {
            detail = "the request was refused before it reached the API";
        }
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create(Problems.forStatus(status.value())));
        p.setTitle(status.getReasonPhrase());
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
