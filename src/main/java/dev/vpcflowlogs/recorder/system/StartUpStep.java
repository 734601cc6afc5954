package dev.vpcflowlogs.recorder.system;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.springframework.boot.health.contributor.Health;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * A start-up step that needs something outside the process (the database, the queue, AWS): it is tried, and while it
 * fails it is tried again with exponential backoff, the daemon stays up, and {@link #health} says why it is not done.
 */
public final class StartUpStep {

    /** The work of one attempt. */
    @FunctionalInterface
    public interface Attempt {
        void run();
    }

    private final Logger log;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final Function<RuntimeException, String> problemOf;
    private final BackOffExecution backOff;
    private volatile @Nullable String problem;
    private volatile boolean done;

    /**
     * @param pending what health says before the first attempt
     * @param maxBackOff the longest wait between attempts (they start 1 s apart and double)
     * @param problemOf how a failed attempt is told in health and the log
     */
    public StartUpStep(
            Logger log,
            TaskScheduler scheduler,
            Clock clock,
            String pending,
            Duration maxBackOff,
            Function<RuntimeException, String> problemOf) {
        this.log = log;
        this.scheduler = scheduler;
        this.clock = clock;
        this.problemOf = problemOf;
        this.problem = pending;
        ExponentialBackOff exponential = new ExponentialBackOff(1000, 2.0);
        exponential.setMaxInterval(maxBackOff.toMillis());
        this.backOff = exponential.start();
    }

    /** Tries now on this thread; a failure schedules the next attempt. */
    public void tryNow(Attempt attempt) {
        tryNow(attempt, () -> {});
    }

    /**
     * Tries now on this thread; a failure schedules the next attempt. {@code afterwards} runs once the step is done,
     * so that whoever it tells (a listener) finds it done.
     */
    public void tryNow(Attempt attempt, Runnable afterwards) {
        synchronized (this) {
            try {
                attempt.run();
            } catch (RuntimeException e) {
                problem = problemOf.apply(e);
                long delay = backOff.nextBackOff();
                log.warn("{}; retrying in {} ms.", problem, delay);
                scheduler.schedule(
                        () -> tryNow(attempt, afterwards), clock.instant().plusMillis(delay));
                return;
            }
            problem = null;
            done = true;
        }
        afterwards.run();
    }

    /** Tries on the scheduler's thread: something that may hang must not hold up the caller. */
    public void tryOffThread(Attempt attempt) {
        scheduler.schedule(() -> tryNow(attempt), clock.instant());
    }

    public boolean done() {
        return done;
    }

    /** Why the step is not done, or null once it is. */
    public @Nullable String problem() {
        return problem;
    }

    /** UP once done, else DOWN with the reason. */
    public Health.Builder health() {
        String why = problem;
        return why == null ? Health.up() : Health.down().withDetail("reason", why);
    }
}
