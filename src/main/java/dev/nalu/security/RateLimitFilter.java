package dev.nalu.security;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import dev.nalu.api.ApiException;
import dev.nalu.api.Problems;

/**
 * Requests per second per caller (its quota's requestsPerSecond): a token bucket that holds two seconds'
 * worth and refills continuously, kept on each replica (so behind N replicas a key gets up to N times its
 * rate; the load balancer spreads it). Every rate-limited answer carries RateLimit-Limit,
 * RateLimit-Remaining and RateLimit-Reset; a refusal is 429 with Retry-After.
 */
final class RateLimitFilter extends OncePerRequestFilter {
    /** Buckets kept per replica before idle ones are dropped; far above any real number of keys. */
    private static final int MAX_BUCKETS = 10_000;

    private final ObjectMapper json;
    private final Map<String, Limited> buckets = new ConcurrentHashMap<>();

    private record Limited(int perSecond, Bucket bucket) {
    }

    RateLimitFilter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Caller caller = Callers.current();
        int perSecond = caller == null ? 0 : caller.quota().requestsPerSecond();
        if (perSecond <= 0) {
            chain.doFilter(request, response);
            return;
        }
        ConsumptionProbe probe = bucket(caller.id(), perSecond).tryConsumeAndReturnRemaining(1);
        response.setHeader("RateLimit-Limit", Integer.toString(perSecond));
        response.setHeader("RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
        if (probe.isConsumed()) {
            response.setHeader("RateLimit-Reset", Long.toString(seconds(probe.getNanosToWaitForReset())));
            chain.doFilter(request, response);
            return;
        }
        long wait = seconds(probe.getNanosToWaitForRefill());
        new ApiException(HttpStatus.TOO_MANY_REQUESTS, Problems.QUOTA_EXCEEDED, "Quota exceeded",
                "this key may send " + perSecond + " requests per second (nalu.security.quotas, or the key's own "
                        + "requestsPerSecond); retry after " + wait + " s", Map.of("quota", "requestsPerSecond", "limit", perSecond))
                .withHeader("RateLimit-Reset", Long.toString(wait))
                .withHeader("Retry-After", Long.toString(wait))
                .writeTo(response, json);
    }

    private Bucket bucket(String id, int perSecond) {
        if (buckets.size() >= MAX_BUCKETS && !buckets.containsKey(id)) {
            buckets.clear();
        }
        return buckets.compute(id, (k, v) -> v != null && v.perSecond() == perSecond ? v
                : new Limited(perSecond, Bucket.builder()
                        .addLimit(limit -> limit.capacity(2L * perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)))
                        .build())).bucket();
    }

    private static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
