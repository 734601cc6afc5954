package dev.vpcflowlogs.recorder.recording;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Fires each recording's next deadline on time, in this process. The deadlines themselves are stored with the
 * recordings; {@link Housekeeping} arms them again at start-up and finds any that were missed.
 */
@Component
class DeadlineTimers {

    private final TaskScheduler scheduler;
    private final Map<String, ScheduledFuture<?>> armed = new ConcurrentHashMap<>();

    DeadlineTimers(TaskScheduler scheduler) {
        this.scheduler = scheduler;
    }

    void arm(String recordingId, Instant at, Runnable task) {
        armed.compute(recordingId, (id, previous) -> {
            if (previous != null) {
                previous.cancel(false);
            }
            return scheduler.schedule(task, at);
        });
    }

    void disarm(String recordingId) {
        ScheduledFuture<?> previous = armed.remove(recordingId);
        if (previous != null) {
            previous.cancel(false);
        }
    }
}
