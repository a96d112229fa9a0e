package dev.nalu.dashboard;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;

import dev.nalu.TestKeys;

/**
 * Prints the dashboard's figures of docs/performance.md ("The dashboard"); it asserts nothing about time.
 * Headless Chromium against the service on H2, with jobs and progress reports written straight into the
 * database (a job may write at most 1,000 reports through the API, so 100,000 are seeded):
 * <ol>
 *   <li>the jobs page among 10,000 jobs: from navigation to the page's table filled, for the first, a middle and
 *       the last page, against GET /api/v1/jobs for the same page;</li>
 *   <li>a job page with 100,000 progress reports (read in one GET /history, then the stream goes on from its last
 *       event), against one with 1,000: from navigation to every report in the chart's data and drawn; and,
 *       alone, GET /history and the event stream replaying every report;</li>
 *   <li>live updates on those pages: 300 more reports written 20 ms apart while the page watches, and the
 *       page's script time (Chrome's Performance.getMetrics ScriptDuration) per report.</li>
 * </ol>
 * Run: {@code ./mvnw -B -q test -Dtest=DashboardBenchmark -Dsurefire.excludedGroups=}
 */
@Tag("benchmark")
// each page load leaves its stream open on the server until its next write finds the client gone
@TestPropertySource(properties = "nalu.jobs.max-streams-per-key=100")
class DashboardBenchmark extends BrowserTestSupport {
    private static final int JOBS = 10_000;
    private static final int REPEATS = 5;
    @Autowired
    private Scheduler scheduler;

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** CPU time of this JVM (the service and the Java client in it), all threads. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format("median %8.1f ms  (runs %s)", v[v.length / 2],
                Arrays.stream(values.stream().mapToDouble(Double::doubleValue).toArray())
                        .mapToObj(x -> String.format("%.0f", x)).toList());
    }

    private List<Double> time(int repeats, LongSupplier run) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            out.add(ms(run.getAsLong()));
        }
        return out;
    }

    /**
     * A copy of job {@code template} in {@code state}, with no events; returns its id. Its execution is scheduled
     * a day ahead: the job reconciler (every 30 s) would otherwise schedule a RUNNING job without one now, and it
     * would train for real, write its own events and end the stream in the middle of the live figures.
     */
    private long copyJob(long template, String name, String state) {
        jdbc.sql("""
                INSERT INTO jobs (name, state, spec, architecture, created_at, started_at, finished_at, cancel_requested,
                                  progress, progress_step, model_id, owner, attempts)
                SELECT ?, ?, spec, architecture, created_at, started_at, finished_at, cancel_requested, progress,
                       progress_step, NULL, owner, attempts FROM jobs WHERE id = ?""").params(name, state, template).update();
        long id = jdbc.sql("SELECT MAX(id) FROM jobs").query(Long.class).single();
        scheduler.schedule(new TaskInstance<Void>("training-job", Long.toString(id)), Instant.now().plus(Duration.ofDays(1)));
        return id;
    }

    /** {@code n} progress reports, steps from {@code firstStep} by 10, loss and MSEs falling as 1/step (H2 SQL). */
    private void seedReports(long job, long firstStep, int n) {
        jdbc.sql("""
                INSERT INTO job_events (job_id, type, data, created_at)
                SELECT ?, 'progress', '{"step":' || (? + 10 * (X - 1)) || ',"loss":' || (1.0E0 / (? + 10 * X))
                       || ',"validationMse":' || (2.0E0 / (? + 10 * X))
                       || ',"extrapolation":[{"range":"[2, 6]","mse":' || (50.0E0 / (? + 10 * X))
                       || ',"threshold":1.2E-7,"success":false},{"range":"[10, 100]","mse":' || (5000.0E0 / (? + 10 * X))
                       || ',"threshold":1.0E-3,"success":false}],"membersSucceeded":' || MOD(X, 5)
                       || ',"population":4,"bestMember":0,"memberStepsPerSecond":1000.0,"reinitialisations":0}',
                       CURRENT_TIMESTAMP
                FROM SYSTEM_RANGE(1, ?)""").params(job, firstStep, firstStep, firstStep, firstStep, firstStep, n).update();
    }

    private int points() {
        return Integer.parseInt(browser.findElement(By.id("chart")).getAttribute("data-points"));
    }

    /** Waits for the next frame: whatever the page redraws for the reports it has is drawn. */
    private void nextFrame() {
        browser.executeAsyncScript("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()))");
    }

    /** Chrome's cumulative seconds of script (ScriptDuration) and of main-thread tasks (TaskDuration: script, style, layout, paint). */
    private double[] mainThreadSeconds() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> metrics = (List<Map<String, Object>>) browser.executeCdpCommand("Performance.getMetrics", Map.of()).get("metrics");
        return new double[] {metric(metrics, "ScriptDuration"), metric(metrics, "TaskDuration")};
    }

    private static double metric(List<Map<String, Object>> metrics, String name) {
        return metrics.stream().filter(m -> m.get("name").equals(name))
                .mapToDouble(m -> ((Number) m.get("value")).doubleValue()).findFirst().orElseThrow();
    }

    @Test
    void figures() {
        System.out.println("nalu-service dashboard benchmark: "
                + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")) + " UTC, "
                + browser.getCapabilities().getBrowserName() + " " + browser.getCapabilities().getBrowserVersion()
                + " headless, window 1280×1000, " + Runtime.getRuntime().availableProcessors() + " cores");
        long template = submit(SUM_JOB);
        awaitState(template, "SUCCEEDED", Duration.ofSeconds(60));
        jdbc.sql("""
                INSERT INTO jobs (name, state, spec, architecture, created_at, started_at, finished_at, cancel_requested,
                                  progress, progress_step, model_id, owner, attempts)
                SELECT 'copy-' || X, state, spec, architecture, created_at, started_at, finished_at, cancel_requested,
                       progress, progress_step, model_id, owner, attempts
                FROM jobs, SYSTEM_RANGE(1, ?) WHERE id = ?""").params(JOBS - 1, template).update();
        signIn(TestKeys.ADMIN);

        int pages = JOBS / 20;
        System.out.printf("%n## 1. the jobs page among %,d jobs (20 a page, %d pages): navigation to the table filled; %d runs each%n",
                count("jobs"), pages, REPEATS);
        for (int page : new int[] {0, pages / 2, pages - 1}) {
            List<Double> api = time(REPEATS * 4, () -> {
                long t = System.nanoTime();
                getJson("/api/v1/jobs?page=" + page + "&size=20");
                return System.nanoTime() - t;
            });
            List<Double> browserTimes = time(REPEATS, () -> {
                long t = System.nanoTime();
                browser.get(url("/jobs?page=" + page + "&size=20"));
                new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(5))
                        .until(d -> d.findElement(By.id("page-info")).getText().startsWith("page " + (page + 1) + " of " + pages));
                return System.nanoTime() - t;
            });
            System.out.printf("page %3d  page in Chromium %s%n          GET /api/v1/jobs  %s%n", page + 1, median(browserTimes), median(api));
        }

        browser.executeCdpCommand("Performance.enable", Map.of());
        System.out.printf("%n## 2. a job page: navigation to every report in the chart's data and drawn (one GET /history, then the stream"
                + " from its last event); %d runs%n", REPEATS);
        System.out.printf("## 3. live: 300 more reports written 20 ms apart while the page watches (the stream polls every 500 ms);%n"
                + "##    the page's script time per report (Chrome's ScriptDuration, which includes uPlot's redraws)%n");
        for (int n : Arrays.stream(System.getProperty("bench.reports", "1000,100000").split(",")).mapToInt(Integer::parseInt).toArray()) {
            long job = copyJob(template, "reports-" + n, "RUNNING");
            seedReports(job, 10, n);
            long[] shown = {job};
            List<Double> loadScript = new ArrayList<>();
            LongSupplier open = () -> {
                browser.get("about:blank");
                double script = mainThreadSeconds()[0];
                long t = System.nanoTime();
                browser.get(url("/jobs/" + shown[0]));
                new WebDriverWait(browser, Duration.ofSeconds(600), Duration.ofMillis(20)).until(d -> points() == n);
                nextFrame();
                long elapsed = System.nanoTime() - t;
                double after = mainThreadSeconds()[0];
                // Chrome counts per renderer: a navigation that changes renderer starts the count from zero
                loadScript.add((after >= script ? after - script : after) * 1000);
                return elapsed;
            };
            // live first, on the first page load: the server holds a closed page's stream until a write fails
            List<Double> load = new ArrayList<>(List.of(ms(open.getAsLong())));
            double[] before = mainThreadSeconds();
            long step = 10L + 10L * n;
            for (int i = 0; i < 300; i++) {
                seedReports(job, step + 10L * i, 1);
                sleep(20);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (points() < n + 300 && System.nanoTime() < deadline) {
                sleep(20);
            }
            if (points() < n + 300) {
                throw new AssertionError("the page has " + points() + " of " + (n + 300) + " reports after 60 s");
            }
            nextFrame();
            double[] after = mainThreadSeconds();
            double scriptPerReport = (after[0] - before[0]) * 1000 / 300;
            double taskPerReport = (after[1] - before[1]) * 1000 / 300;
            browser.get("about:blank");
            // the other runs on a copy with n reports: deleting the 300 from under the open streams of this job would
            // leave a new stream waiting for events that are gone
            long again = copyJob(template, "reports-" + n + "-again", "RUNNING");
            seedReports(again, 10, n);
            shown[0] = again;
            load.addAll(time(REPEATS - 1, open));
            List<Double> stream = time(REPEATS, () -> {
                long t = System.nanoTime();
                int[] seen = {0};
                try (var body = openEvents(again, Map.of()).body()) {
                    readEvents(body, e -> ++seen[0] < n);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                return System.nanoTime() - t;
            });
            List<Double> historyCpu = new ArrayList<>();
            List<Double> history = time(REPEATS, () -> {
                long cpu = processCpuNanos();
                long t = System.nanoTime();
                JsonNode h = getJson("/api/v1/jobs/" + again + "/history");
                if (h.get("progress").size() != n) {
                    throw new AssertionError("the history has " + h.get("progress").size() + " of " + n + " reports");
                }
                long elapsed = System.nanoTime() - t;
                historyCpu.add(ms(processCpuNanos() - cpu));
                return elapsed;
            });
            System.out.printf("%,7d reports  page %s%n                 of which the page's script %s%n"
                    + "                 GET /history alone (a Java client reading and parsing it) %s%n"
                    + "                   its CPU time (server and client, this JVM's threads) %s%n"
                    + "                 the event stream alone (a Java client reading every report) %s%n"
                    + "                 live: %.3f ms of script per report, %.3f ms of main-thread work (script, style, layout, paint)%n",
                    n, median(load), median(loadScript), median(history), median(historyCpu), median(stream), scriptPerReport, taskPerReport);
            jdbc.sql("UPDATE jobs SET state = 'CANCELLED' WHERE id IN (?, ?)").params(job, again).update();
        }
    }
}
