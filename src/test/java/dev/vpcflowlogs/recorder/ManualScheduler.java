package dev.vpcflowlogs.recorder;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;

/** A scheduler that runs nothing by itself: a test sees what was scheduled for when, and runs what is due. */
public final class ManualScheduler implements TaskScheduler {

    /** One scheduled task. */
    public static final class Task implements ScheduledFuture<Object> {
        public final Runnable work;
        public final Instant at;
        private volatile boolean cancelled;
        private volatile boolean done;

        Task(Runnable work, Instant at) {
            this.work = work;
            this.at = at;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed o) {
            return 0;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }

    private final List<Task> tasks = new ArrayList<>();

    /** The tasks that are neither cancelled nor run, soonest first. */
    public synchronized List<Task> pending() {
        return tasks.stream()
                .filter(t -> !t.isDone())
                .sorted(Comparator.comparing(t -> t.at))
                .toList();
    }

    /** Runs every pending task due by {@code now}, soonest first, and those they schedule that are due too. */
    public void runDue(Instant now) {
        while (true) {
            Task next;
            synchronized (this) {
                next = pending().stream()
                        .filter(t -> !t.at.isAfter(now))
                        .findFirst()
                        .orElse(null);
                if (next == null) {
                    return;
                }
                next.done = true;
            }
            next.work.run();
        }
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
        Task t = new Task(task, startTime);
        tasks.add(t);
        return t;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
        throw new UnsupportedOperationException("no triggers here");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
        throw new UnsupportedOperationException("no periodic tasks here");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
        throw new UnsupportedOperationException("no periodic tasks here");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
        throw new UnsupportedOperationException("no periodic tasks here");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
        throw new UnsupportedOperationException("no periodic tasks here");
    }
}
