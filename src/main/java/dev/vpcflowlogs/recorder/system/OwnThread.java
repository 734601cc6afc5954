package dev.vpcflowlogs.recorder.system;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * A scheduler of one thread for work that grows with the number of accounts and regions (setting up each place's log
 * group, probing each place): with an organization of a thousand accounts it runs for minutes, and on the shared
 * scheduler it would hold up the recordings' own timers, reports and notifications. Delayed tasks are dropped at
 * shutdown, as on the shared scheduler.
 */
public final class OwnThread {

    private OwnThread() {}

    /** Started; its owner shuts it down. */
    public static ThreadPoolTaskScheduler scheduler(String name) {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(1);
        scheduler.setThreadNamePrefix(name + "-");
        scheduler.setDaemon(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        scheduler.initialize();
        return scheduler;
    }
}
