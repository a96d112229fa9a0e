package dev.nalu.job;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.nalu.ApiTestSupport;

/**
 * Prints what GET /jobs/{id}/history costs the service for 100,000 progress reports (docs/performance.md, "The
 * dashboard"), as CPU time of the thread that does it, so the figure holds on a busy machine: the database reads
 * alone (1,000 events at a time, as the history reads them), and the whole history written to a stream that
 * only counts bytes (reads, each report's figures copied into a row, JSON written). Each report has a time, as a
 * real report has. Five rounds; the first warms up. It asserts nothing about time.
 * Run: {@code ./mvnw -B -q test -Dtest=JobHistoryBenchmark -Dsurefire.excludedGroups=}
 */
@Tag("benchmark")
class JobHistoryBenchmark extends ApiTestSupport {
    private static final int REPORTS = 100_000;
    @Autowired
    private JobHistory history;
    @Autowired
    private JobStore store;

    @Test
    void figures() throws Exception {
        long job = submit(SUM_JOB);
        awaitState(job, "SUCCEEDED", Duration.ofSeconds(60));
        jdbc.sql("""
                INSERT INTO job_events (job_id, type, data, created_at)
                SELECT ?, 'progress', '{"step":' || (10 * X) || ',"loss":' || (1.0E0 / (10 * X))
                       || ',"validationMse":' || (2.0E0 / (10 * X))
                       || ',"extrapolation":[{"range":"[2, 6]","mse":' || (50.0E0 / (10 * X))
                       || ',"threshold":1.2E-7,"success":false},{"range":"[10, 100]","mse":' || (5000.0E0 / (10 * X))
                       || ',"threshold":1.0E-3,"success":false}],"membersSucceeded":' || MOD(X, 5)
                       || ',"population":4,"bestMember":0,"memberStepsPerSecond":1000.0,"reinitialisations":0,'
                       || '"time":"2026-11-29T14:11:20.66Z"}', CURRENT_TIMESTAMP
                FROM SYSTEM_RANGE(1, ?)""").params(job, REPORTS).update();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("nalu-service history benchmark: %,d progress reports (2 extrapolation ranges, each with a time), "
                + "CPU time of the calling thread%n", REPORTS);
        for (int round = 1; round <= 5; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long after = 0;
            int rows = 0;
            List<JobStore.Event> chunk;
            do {
                chunk = store.events(job, "progress", true, after, Long.MAX_VALUE, JobHistory.CHUNK);
                rows += chunk.size();
                if (!chunk.isEmpty()) {
                    after = chunk.get(chunk.size() - 1).id();
                }
            } while (chunk.size() == JobHistory.CHUNK);
            double reads = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
            long[] bytes = {0};
            OutputStream counter = new OutputStream() {
                @Override
                public void write(int b) {
                    bytes[0]++;
                }

                @Override
                public void write(byte[] b, int offset, int length) {
                    bytes[0] += length;
                }
            };
            cpu = threads.getCurrentThreadCpuTime();
            history.write(job, counter);
            double whole = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
            System.out.printf("round %d  database reads alone %,d rows %6.0f ms   the whole history %6.0f ms, %,d bytes%n",
                    round, rows, reads, whole, bytes[0]);
        }
    }
}
