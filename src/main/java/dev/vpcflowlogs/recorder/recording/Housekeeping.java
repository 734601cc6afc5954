package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.system.Failures;
import dev.vpcflowlogs.recorder.system.StoreReadiness;
import dev.vpcflowlogs.recorder.system.StoreReady;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The recording module's periodic work. No deadline is lost: at start-up (or once the store is back) every stored
 * deadline is armed again, and every {@code recorder.recording.sweep-interval} the store is searched for deadlines
 * whose timer did not fire (and for kept ALARMs a crash left waiting). Every hour, handled event ids older than {@link HandledEvents#WINDOW} are forgotten.
 */
@Component
class Housekeeping {

    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private final RecordingStore recordings;
    private final HandledEvents handled;
    private final GatewayStore gateways;
    private final OrphanDeadlines orphans;
    private final RecordingService service;
    private final StoreReadiness store;
    private final Clock clock;

    Housekeeping(
            RecordingStore recordings,
            HandledEvents handled,
            GatewayStore gateways,
            OrphanDeadlines orphans,
            RecordingService service,
            StoreReadiness store,
            Clock clock) {
        this.recordings = recordings;
        this.handled = handled;
        this.gateways = gateways;
        this.orphans = orphans;
        this.service = service;
        this.store = store;
        this.clock = clock;
    }

    @EventListener(StoreReady.class)
    void resume() {
        try {
            List<Recording> active = recordings.active();
            active.forEach(service::arm);
            if (!active.isEmpty()) {
                log.info(
                        "Resumed {} active recording(s) from the store; their deadlines are armed again.",
                        active.size());
            }
        } catch (RuntimeException e) {
            log.warn(
                    "Active recordings could not be read at start-up ({}); the deadline sweep will find them.",
                    Failures.rootMessage(e));
        }
    }

    @Scheduled(
            fixedDelayString = "${recorder.recording.sweep-interval:PT30S}",
            initialDelayString = "${recorder.recording.sweep-interval:PT30S}")
    void sweep() {
        if (!store.isReady()) {
            return;
        }
        try {
            recordings.due(clock.instant()).forEach(r -> service.onDeadline(r.id()));
            gateways.idleWithPendingAlarm().forEach(service::startPending);
            orphans.endDue();
        } catch (RuntimeException e) {
            log.warn("The deadline sweep could not read the store ({}).", Failures.rootMessage(e));
        }
    }

    @Scheduled(fixedDelay = 1, timeUnit = TimeUnit.HOURS, initialDelay = 1)
    void forgetOldEvents() {
        if (store.isReady()) {
            int forgotten = handled.forgetBefore(clock.instant().minus(HandledEvents.WINDOW));
            log.debug("Forgot {} handled event id(s) older than {}.", forgotten, HandledEvents.WINDOW);
        }
    }
}
