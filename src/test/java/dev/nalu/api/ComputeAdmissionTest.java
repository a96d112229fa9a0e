package dev.nalu.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nalu.config.LimitsProperties;

/** At most ⌊(1 − job share) / request share⌋ computing requests at once; the next waits, then is a 503. */
class ComputeAdmissionTest {

    private static LimitsProperties limits(String jobFraction, String requestFraction) {
        return new Binder(new MapConfigurationPropertySource(Map.of("nalu.limits.job-memory-fraction", jobFraction,
                "nalu.limits.request-memory-fraction", requestFraction)))
                .bindOrCreate("nalu.limits", LimitsProperties.class);
    }

    @Test
    void theDefaultsAdmitFourSoThatJobsAndRequestsTogetherStayWithinTheHeap() {
        assertThat(ComputeAdmission.permits(limits("0.5", "0.125"))).isEqualTo(4);
        assertThat(ComputeAdmission.permits(limits("0.6", "0.1"))).isEqualTo(4);
        assertThat(ComputeAdmission.permits(limits("0.9", "0.5"))).isEqualTo(1);
    }

    @Test
    void aComputingRequestBeyondTheSlotsWaitsThenIs503WithRetryAfterWhileOthersPass() throws Exception {
        ComputeAdmission admission = new ComputeAdmission(limits("0.5", "0.5"), new ObjectMapper().findAndRegisterModules());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
            try {
                admission.doFilter(post("/api/v1/models/1/evaluate"), new MockHttpServletResponse(), (rq, rs) -> {
                    inside.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        MockHttpServletResponse refused = new MockHttpServletResponse();
        boolean[] ran = {false};
        long t0 = System.nanoTime();
        admission.doFilter(post("/api/v1/models/2/predict"), refused, (rq, rs) -> ran[0] = true);
        assertThat(ran[0]).isFalse();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(ComputeAdmission.WAIT_SECONDS) - 50_000_000L);
        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.getContentAsString()).contains("/problems/busy");

        MockHttpServletResponse read = new MockHttpServletResponse();
        boolean[] listed = {false};
        MockHttpServletRequest list = new MockHttpServletRequest("GET", "/api/v1/models");
        admission.doFilter(list, read, (rq, rs) -> listed[0] = true);
        assertThat(listed[0]).as("reads do not take a slot").isTrue();

        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        boolean[] next = {false};
        admission.doFilter(post("/api/v1/expressions/evaluate"), new MockHttpServletResponse(), (rq, rs) -> next[0] = true);
        assertThat(next[0]).as("a freed slot admits the next").isTrue();
    }

    private static MockHttpServletRequest post(String uri) {
        return new MockHttpServletRequest("POST", uri);
    }
}
