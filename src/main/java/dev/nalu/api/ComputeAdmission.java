package dev.nalu.api;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nalu.config.LimitsProperties;

/**
 * Bounds how many requests that compute with a model's data run at once on this replica: predict (and the
 * Open Inference Protocol's infer), evaluate, import and expressions. Each may hold
 * nalu.limits.request-memory-fraction of the heap (the budgets), and the running jobs hold
 * job-memory-fraction, so at most
 * ⌊(1 − job-memory-fraction) / request-memory-fraction⌋ of them (4 by default) run together and the
 * whole stays within the heap. A request beyond that waits up to {@value #WAIT_SECONDS} s for a
 * slot, then is 503 {@code /problems/busy} with Retry-After.
 */
@Component
public class ComputeAdmission extends OncePerRequestFilter {
    static final int WAIT_SECONDS = 5;
    private static final Pattern COMPUTES = Pattern.compile(
            "/api/v1/(models/[^/]+/(predict|evaluate)|models/?|expressions/evaluate/?)"
                    + "|/v2/models/[^/]+(/versions/[^/]+)?/infer");

    private final Semaphore slots;
    private final int permits;
    private final ObjectMapper json;

    public ComputeAdmission(LimitsProperties limits, ObjectMapper json) {
        this.permits = permits(limits);
        this.slots = new Semaphore(permits, true);
        this.json = json;
    }

    static int permits(LimitsProperties limits) {
        return Math.max(1, (int) Math.floor((1 - limits.jobMemoryFraction()) / limits.requestMemoryFraction() + 1e-9));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !COMPUTES.matcher(request.getRequestURI()).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean admitted;
        try {
            admitted = slots.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            new ApiException(HttpStatus.SERVICE_UNAVAILABLE, Problems.BUSY, "Busy", "this replica is computing "
                    + permits + " predictions, evaluations or imports at once, as many as its memory allows "
                    + "(nalu.limits.job-memory-fraction and request-memory-fraction); retry in a second",
                    Map.of("limit", permits)).withHeader("Retry-After", "1").writeTo(response, json);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            slots.release();
        }
    }
}
