package dev.nalu.job;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.Trainer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.Unit;
import dev.nalu.config.JobsProperties;
import dev.nalu.evaluation.TaskData;
import dev.nalu.task.Domain;
import dev.nalu.task.ExpressionTask;

/**
 * Loads ND4J and runs a few training steps once the service is ready, on a background thread, so the
 * first job does not pay for it. ND4J unpacks and loads its native libraries on first use (1 to 2 s
 * here), and the JIT has not compiled the training loop yet: before this, the README's a × b job took
 * 2.1 s from POST to its model as the first job after start, against a median 431 ms (docs/performance.md,
 * "The service"). Readiness does not wait for it: predict never needs ND4J, and a job that arrives
 * meanwhile waits for the same load, not for a second one. {@code nalu.jobs.warm-up: false} turns it off.
 */
@Component
public class Nd4jWarmUp {
    private static final Logger log = LoggerFactory.getLogger(Nd4jWarmUp.class);
    /** Enough steps for the JIT to compile the step loop's hot methods at C1, not so many they compete with a job. */
    static final int STEPS = 500;

    private final JobsProperties properties;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean warmedUp;

    public Nd4jWarmUp(JobsProperties properties) {
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        if (!properties.warmUp()) {
            done.countDown();
            return;
        }
        Thread thread = new Thread(this::run, "nd4j-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    private void run() {
        long start = System.nanoTime();
        try {
            ExpressionTask task = ExpressionTask.parse("a + b", Map.of("a", Domain.of(1, 2), "b", Domain.of(1, 2)));
            TaskData data = new TaskData(task, List.of(Domain.of(2, 6)), 1, 100);
            TrainingConfig config = TrainingConfig.defaults(1, STEPS).withPopulation(2).withEvaluateEvery(STEPS);
            new Trainer(ModelSpec.of(2, LayerSpec.of(Unit.NAU, 1)), data, config).run(p -> { }, () -> false);
            warmedUp = true;
            log.info("ND4J loaded and the training loop warmed up in {} ms", (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException | LinkageError e) {
            // a job would hit the same failure and report it; the warm-up only says so in the log
            log.warn("ND4J warm-up failed: {}", e.toString());
        } finally {
            done.countDown();
        }
    }

    /** Whether the warm-up trained its steps (false while it runs, when it is off or failed). */
    public boolean warmedUp() {
        return warmedUp;
    }

    /** Waits for the warm-up to end (or for it to be skipped); true if it did within the timeout. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }
}
