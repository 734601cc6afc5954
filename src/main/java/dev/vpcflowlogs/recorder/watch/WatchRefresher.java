package dev.vpcflowlogs.recorder.watch;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.recording.Recordings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * At start-up and every {@code recorder.discovery.refresh}: looks the tagged gateways up, then ends the recordings
 * of gateways no longer watched (deleted, untagged, or removed from the configuration), then says so with a
 * {@link WatchRefreshed}. A failed look-up keeps the previous answer: nothing is unwatched because EC2 did not answer.
 */
@Component
class WatchRefresher {

    private static final Logger log = LoggerFactory.getLogger(WatchRefresher.class);

    private final WatchedGateways watched;
    private final GatewayDiscovery discovery;
    private final Recordings recordings;
    private final ApplicationEventPublisher events;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final MeterRegistry meters;
    private final RecorderProperties.Discovery settings;
    private final Places places;
    private final AtomicBoolean first = new AtomicBoolean(true);

    WatchRefresher(
            WatchedGateways watched,
            GatewayDiscovery discovery,
            Recordings recordings,
            ApplicationEventPublisher events,
            TaskScheduler scheduler,
            Clock clock,
            MeterRegistry meters,
            RecorderProperties properties,
            Places places) {
        this.watched = watched;
        this.discovery = discovery;
        this.recordings = recordings;
        this.events = events;
        this.scheduler = scheduler;
        this.clock = clock;
        this.meters = meters;
        this.settings = properties.discovery();
        this.places = places;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStartUp() {
        scheduler.schedule(this::refresh, clock.instant());
    }

    @Scheduled(
            fixedDelayString = "${recorder.discovery.refresh:PT5M}",
            initialDelayString = "${recorder.discovery.refresh:PT5M}")
    synchronized void refresh() {
        boolean changed = false;
        if (settings.enabled()) {
            for (Place place : places.all()) {
                changed |= discoverIn(place);
            }
        }
        try {
            int ended = recordings.endUnwatched(watched::watches);
            if (ended > 0) {
                log.info("Ended {} recording(s) of gateways no longer watched.", ended);
            }
        } catch (RuntimeException e) {
            log.warn(
                    "The recordings of gateways no longer watched could not be ended now ({}); the next refresh tries"
                            + " again.",
                    e.getMessage());
        }
        events.publishEvent(new WatchRefreshed(first.getAndSet(false), changed));
    }

    /**
     * Looks the tagged gateways of one place up. A place that does not answer (its role cannot be assumed, its region
     * is unreachable) keeps its previous answer, and the others go on.
     */
    private boolean discoverIn(Place place) {
        Set<String> found;
        try {
            found = discovery.available(place, settings.tags());
        } catch (RuntimeException e) {
            meters.counter(
                            "recorder.discovery.runs",
                            "result",
                            "failed",
                            "account",
                            place.accountTag(),
                            "region",
                            place.region())
                    .increment();
            log.warn(
                    "The NAT gateways tagged {} in {} could not be looked up ({}); the {} found there before stay"
                            + " watched.",
                    settings.tags(),
                    place,
                    e.getMessage(),
                    watched.complete(place) ? "ones" : "none");
            return false;
        }
        meters.counter(
                        "recorder.discovery.runs",
                        "result",
                        "succeeded",
                        "account",
                        place.accountTag(),
                        "region",
                        place.region())
                .increment();
        WatchedGateways.Change change = watched.discovered(place, found);
        change.added()
                .forEach(id ->
                        log.info("Gateway {} in {} is watched: it carries the tags {}.", id, place, settings.tags()));
        change.removed().stream()
                .filter(id -> !watched.isListed(id))
                .forEach(id -> log.info(
                        "Gateway {} in {} is no longer watched: it is gone or no longer carries the tags {}.",
                        id,
                        place,
                        settings.tags()));
        return change.any();
    }
}
