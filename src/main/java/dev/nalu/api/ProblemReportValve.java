package dev.nalu.api;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Tomcat's error report as a problem detail instead of its HTML page. It answers requests that Tomcat refuses
 * before they reach the service, so neither {@link ProblemHandler} nor {@link ProblemErrorController} sees them:
 * a NUL ("%00") or an encoded slash ("%2F") in the path, a path that climbs above the root. Installed on the
 * host by {@link ProblemReportConfiguration}.
 */
public class ProblemReportValve extends ErrorReportValve {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // as ErrorReportValve: errors only, once, and never over a body the service already wrote
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String message = response.getMessage();
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", Problems.forStatus(status));
        problem.put("title", known == null ? "Error" : known.getReasonPhrase());
        problem.put("status", status);
        problem.put("detail", status >= 500 ? "the service failed to answer this request"
                : "the server refused the request before it reached the API"
                + (message == null || message.isBlank() ? "" : ": " + message));
        // under /v2 the Open Inference Protocol's error object, as dev.nalu.inference.InferenceErrors answers there
        String uri = request.getRequestURI();
        boolean inference = uri != null && (uri.equals("/v2") || uri.startsWith("/v2/"));
        try {
            response.setContentType(inference ? MediaType.APPLICATION_JSON_VALUE : MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(inference ? Map.of("error", problem.get("detail")) : problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response is already on its way: nothing more to say
        }
    }
}
