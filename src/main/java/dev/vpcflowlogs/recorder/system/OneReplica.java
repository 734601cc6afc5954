package dev.vpcflowlogs.recorder.system;

import java.time.Clock;
import java.time.Duration;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Runs a singleton task (a reconciler) on one replica at a time: a ShedLock lock in the store, held at most for a
 * while so that a replica that dies does not keep it. Another replica holding it means the run is skipped.
 */
@Component
public class OneReplica {

    private final LockingTaskExecutor locks;
    private final Clock clock;

    public OneReplica(LockingTaskExecutor locks, Clock clock) {
        this.locks = locks;
        this.clock = clock;
    }

    /**
     * @param lock the task's name, one lock per task
     * @param atMostFor how long the lock is held if this replica dies while running
     * @throws RuntimeException whatever the task threw, or the store's failure to lock
     */
    public void run(String lock, Duration atMostFor, Runnable task) {
        locks.executeWithLock(task, new LockConfiguration(clock.instant(), lock, atMostFor, Duration.ZERO));
    }
}
