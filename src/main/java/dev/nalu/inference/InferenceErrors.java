package dev.nalu.inference;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every refusal of a /v2 request in the Open Inference Protocol's form, {"error": "…"} as application/json, in
 * place of the RFC 9457 problem the rest of the service answers. It wraps the response before Spring Security,
 * so one rule covers what every layer refuses: authentication (401, with its WWW-Authenticate), quotas (429),
 * admission (503), request size (413), Spring MVC and the controller. A problem's body is held back and
 * rewritten as the error, its {@code detail} the message; its status and headers stay. A success passes through.
 */
@Component
@Order(SecurityProperties.DEFAULT_FILTER_ORDER - 1)
public class InferenceErrors extends OncePerRequestFilter {
    private final ObjectMapper json;

    public InferenceErrors(ObjectMapper json) {
        this.json = json;
    }

    static boolean isInference(String path) {
        return path.equals("/v2") || path.startsWith("/v2/");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !isInference(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ErrorAsMessage wrapped = new ErrorAsMessage(response, json);
        try {
            chain.doFilter(request, wrapped);
        } finally {
            wrapped.finish();
        }
    }

    /** A response whose problem body, if it gets one, is rewritten as the protocol's error when the request ends. */
    private static final class ErrorAsMessage extends HttpServletResponseWrapper {
        private final ObjectMapper json;
        private ByteArrayOutputStream problem;
        private ServletOutputStream stream;
        private PrintWriter writer;

        ErrorAsMessage(HttpServletResponse response, ObjectMapper json) {
            super(response);
            this.json = json;
        }

        /** Whether what is about to be written is a problem: an error status with application/problem+json. */
        private boolean problemAhead() {
            if (problem != null) {
                return true;
            }
            if (getStatus() < 400 || getContentType() == null) {
                return false;
            }
            try {
                return MediaType.parseMediaType(getContentType()).isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            } catch (InvalidMediaTypeException e) {
                return false;
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (!problemAhead()) {
                return super.getOutputStream();
            }
            if (stream == null) {
                problem = new ByteArrayOutputStream();
                stream = new Buffer(problem);
            }
            return stream;
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (!problemAhead()) {
                return super.getWriter();
            }
            if (writer == null) {
                writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), StandardCharsets.UTF_8));
            }
            return writer;
        }

        /** Held back until the problem is rewritten: flushing would commit the response with the problem's headers. */
        @Override
        public void flushBuffer() throws IOException {
            if (problem == null) {
                super.flushBuffer();
            }
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            if (isCommitted()) {
                super.sendError(status, message);
                return;
            }
            problem = null;
            stream = null;
            writer = null;
            resetBuffer();
            setStatus(status);
            write(message == null || message.isBlank() ? reason(status) : message);
        }

        @Override
        public void sendError(int status) throws IOException {
            sendError(status, null);
        }

        void finish() throws IOException {
            if (problem == null || isCommitted()) {
                return;
            }
            if (writer != null) {
                writer.flush();
            }
            String message;
            try {
                JsonNode p = json.readTree(problem.toByteArray());
                message = p.path("detail").isTextual() ? p.get("detail").asText()
                        : p.path("title").isTextual() ? p.get("title").asText() : reason(getStatus());
            } catch (IOException e) {
                message = reason(getStatus());
            }
            problem = null;
            write(message);
        }

        private void write(String message) throws IOException {
            byte[] body = json.writeValueAsBytes(Map.of("error", message));
            HttpServletResponse response = (HttpServletResponse) getResponse();
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.flushBuffer();
        }

        private static String reason(int status) {
            HttpStatus known = HttpStatus.resolve(status);
            return known == null ? "error " + status : known.getReasonPhrase();
        }
    }

    /** An output stream into a byte buffer. */
    private static final class Buffer extends ServletOutputStream {
        private final ByteArrayOutputStream bytes;

        Buffer(ByteArrayOutputStream bytes) {
            this.bytes = bytes;
        }

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        /** A buffer is always ready: the listener may write at once. */
        @Override
        public void setWriteListener(WriteListener listener) {
            try {
                listener.onWritePossible();
            } catch (IOException e) {
                listener.onError(e);
            }
        }
    }
}
