package dev.nalu.api;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nalu.config.LimitsProperties;

/**
 * Refuses request bodies over nalu.limits.max-request-size with 413: at once when the declared
 * Content-Length is over, and while reading when a chunked body grows past it. A feature whose bodies may be larger
 * (a dataset upload) declares a {@link BodyLimit} for its path; its code must then read the body as a stream.
 */
@Component
public class RequestSizeFilter extends OncePerRequestFilter {
    private final long defaultLimit;
    private final List<BodyLimit> limits;
    private final ObjectMapper json;

    /** The body limit of the POST requests whose path matches {@code path}. */
    public record BodyLimit(java.util.regex.Pattern path, long bytes) {
    }

    public RequestSizeFilter(LimitsProperties limits, List<BodyLimit> bodyLimits, ObjectMapper json) {
        this.defaultLimit = limits.maxRequestSize().toBytes();
        this.limits = bodyLimits;
        this.json = json;
    }

    private long limit(HttpServletRequest request) {
        if ("POST".equals(request.getMethod())) {
            for (BodyLimit l : limits) {
                if (l.path().matcher(request.getRequestURI()).matches()) {
                    return l.bytes();
                }
            }
        }
        return defaultLimit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limit(request);
        if (request.getContentLengthLong() > limit) {
            response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            json.writeValue(response.getOutputStream(), new RequestTooLargeException(limit).toProblem());
            return;
        }
        chain.doFilter(new Bounded(request, limit), response);
    }

    /** A request whose body stream throws once more than {@code limit} bytes were read. */
    private static final class Bounded extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Bounded(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = in.read(buffer, offset, length);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) throws RequestTooLargeException {
                        read += n;
                        if (read > limit) {
                            throw new RequestTooLargeException(limit);
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
