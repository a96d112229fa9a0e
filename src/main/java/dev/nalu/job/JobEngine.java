package dev.nalu.job;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerProperties;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

import dev.nalu.config.JobsProperties;

/**
 * The job engine: db-scheduler on the service's own database. A job is a one-time execution
 * "training-job" whose instance id is the job id; db-scheduler gives each to exactly one worker
 * across replicas, and re-runs it when its replica dies (a dead execution, once its heartbeat is
 * older than db-scheduler.heartbeat-interval × missed-heartbeats-limit) or stops (the worker
 * checkpoints and fails the execution, which any replica retries a second later). A recurring
 * "job-reconciler" schedules any unfinished job that has no execution, so an accepted job is never
 * lost.
 *
 * <p>On stop, this lifecycle runs before the scheduler shuts down: it tells running jobs to
 * checkpoint and waits for them (nalu.jobs.shutdown-wait).
 */
@Configuration(proxyBeanMethods = false)
public class JobEngine implements SmartLifecycle {
    static final String TRAINING_TASK = "training-job";
    static final String RECONCILER_TASK = "job-reconciler";
    /** How soon a job interrupted by a stopping replica may run again. */
    private static final Duration RETRY_AFTER_STOP = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(JobEngine.class);

    private final ObjectProvider<Scheduler> scheduler;
    private final JobsProperties properties;
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean running;
    private volatile boolean stopping;

    public JobEngine(ObjectProvider<Scheduler> scheduler, JobsProperties properties) {
        this.scheduler = scheduler;
        this.properties = properties;
    }

    /**
     * One execution per job. A job released by a stopping replica, or whose attempt failed with attempts
     * left, is rescheduled by its completion handler (no exception, so db-scheduler logs no failure):
     * the first after {@link #RETRY_AFTER_STOP}, the second after the runner's growing delay. One whose
     * replica died is revived once its heartbeat is stale, and its next run counts that attempt. An
     * exception that escapes the runner (it could not even record the failure) retries after
     * {@link #RETRY_AFTER_STOP}; that run counts as an attempt too, so even this ends.
     */
    @Bean
    CustomTask<Void> trainingTask(ObjectProvider<JobRunner> runner) {
        return Tasks.custom(TRAINING_TASK, Void.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(RETRY_AFTER_STOP))
                .onDeadExecutionRevive()
                .execute((instance, context) -> {
                    JobRunner.Next next = runner.getObject().run(Long.parseLong(instance.getId()),
                            context.getExecution().pickedBy, context.getExecution().version);
                    if (next.done()) {
                        return new CompletionHandler.OnCompleteRemove<>();
                    }
                    Duration after = next.released() ? RETRY_AFTER_STOP : next.after();
                    return (complete, operations) -> runAgain(complete, operations, after);
                });
    }

    private static void runAgain(ExecutionComplete complete, ExecutionOperations<Void> operations, Duration after) {
        operations.reschedule(complete, Instant.now().plus(after));
    }

    @Bean
    RecurringTask<Void> reconcilerTask(ObjectProvider<JobStore> store) {
        return Tasks.recurring(RECONCILER_TASK, FixedDelay.ofSeconds(30))
                .execute((instance, context) -> {
                    for (long id : store.getObject().unfinished()) {
                        schedule(id);
                    }
                    expireIdempotencyKeys(store.getObject());
                });
    }

    /** Forgets the Idempotency-Keys older than nalu.jobs.idempotency-key-retention; returns how many. */
    int expireIdempotencyKeys(JobStore store) {
        int forgotten = store.forgetIdempotencyKeysBefore(JobStore.now().minus(properties.idempotencyKeyRetention()));
        if (forgotten > 0) {
            log.info("forgot {} Idempotency-Key(s) older than {}", forgotten, properties.idempotencyKeyRetention());
        }
        return forgotten;
    }

    /**
     * db-scheduler runs as many jobs at once as this replica has workers (nalu.jobs.workers), and
     * starts only once the context is ready (after Flyway has made its table and the tasks exist).
     */
    @Bean
    static BeanPostProcessor workersAsSchedulerThreads(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) throws BeansException {
                if (bean instanceof DbSchedulerProperties p) {
                    int workers = Binder.get(environment).bind("nalu.jobs.workers", Integer.class).orElse(0);
                    p.setThreads(workers > 0 ? workers : Runtime.getRuntime().availableProcessors());
                    p.setDelayStartupUntilContextReady(true);
                }
                return bean;
            }
        };
    }

    /** Queues the job's execution unless it has one. */
    void schedule(long jobId) {
        try {
            scheduler.getObject().scheduleIfNotExists(new TaskInstance<Void>(TRAINING_TASK, Long.toString(jobId)),
                    Instant.now());
        } catch (RuntimeException e) {
            log.warn("could not schedule job {} now; the reconciler will: {}", jobId, e.getMessage());
        }
    }

    /** Removes a queued job's execution (best effort: a worker that picked it meanwhile sees the job cancelled). */
    void unschedule(long jobId) {
        try {
            scheduler.getObject().cancel(TaskInstanceId.of(TRAINING_TASK, Long.toString(jobId)));
        } catch (RuntimeException e) {
            log.debug("job {} had no execution to cancel: {}", jobId, e.getMessage());
        }
    }

    /** True once the service is stopping: running jobs checkpoint and hand their execution back. */
    boolean stopping() {
        return stopping;
    }

    void workerStarted() {
        active.incrementAndGet();
    }

    void workerStopped() {
        synchronized (active) {
            active.decrementAndGet();
            active.notifyAll();
        }
    }

    @Override
    public void start() {
        stopping = false;
        running = true;
    }

    @Override
    public void stop() {
        stopping = true;
        long deadline = System.nanoTime() + properties.shutdownWait().toNanos();
        synchronized (active) {
            while (active.get() > 0 && System.nanoTime() < deadline) {
                try {
                    active.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (active.get() > 0) {
            log.warn("{} jobs still running after {}; they resume from their last checkpoint", active.get(),
                    properties.shutdownWait());
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
