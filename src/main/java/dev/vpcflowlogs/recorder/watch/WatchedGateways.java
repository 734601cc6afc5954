package dev.vpcflowlogs.recorder.watch;

import dev.vpcflowlogs.recorder.config.AlarmSettings;
import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.config.RecorderProperties.NatGateway;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The gateways the recorder watches, each in its account and region: those listed in the configuration and those
 * discovered by their tags in each place.
 */
@Component
public class WatchedGateways {

    /** Whether a gateway is watched. */
    public enum Status {
        WATCHED,
        NOT_WATCHED,
        /** Not listed, and the tagged gateways have not been looked up yet since the start. */
        NOT_KNOWN_YET
    }

    private final RecorderProperties properties;
    private final Places places;
    private final Map<String, Place> listed = new HashMap<>();
    /** The gateways found by tag, by the place they were found in. */
    private volatile Map<Place, Set<String>> discovered = Map.of();

    private final Set<Place> discoveredOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public WatchedGateways(RecorderProperties properties, Places places, MeterRegistry meters) {
        this.properties = properties;
        this.places = places;
        for (NatGateway g : properties.natGateways()) {
            listed.put(g.id(), places.of(g));
        }
        Gauge.builder("recorder.gateways.watched", () -> listed.size())
                .description("NAT gateways watched, by where they come from")
                .tag("source", "listed")
                .register(meters);
        Gauge.builder(
                        "recorder.gateways.watched",
                        () -> discovered.values().stream().mapToInt(Set::size).sum())
                .description("NAT gateways watched, by where they come from")
                .tag("source", "discovered")
                .register(meters);
    }

    public Status status(String natGatewayId) {
        if (placeOf(natGatewayId).isPresent()) {
            return Status.WATCHED;
        }
        return complete() ? Status.NOT_WATCHED : Status.NOT_KNOWN_YET;
    }

    /** Where a watched gateway is: listed, or where it was found by its tags. */
    public Optional<Place> placeOf(String natGatewayId) {
        Place place = listed.get(natGatewayId);
        if (place != null) {
            return Optional.of(place);
        }
        for (Map.Entry<Place, Set<String>> found : discovered.entrySet()) {
            if (found.getValue().contains(natGatewayId)) {
                return Optional.of(found.getKey());
            }
        }
        return Optional.empty();
    }

    public boolean watches(String natGatewayId) {
        return status(natGatewayId) == Status.WATCHED;
    }

    /** Whether every watched gateway is known: discovery is off or has answered once in every place. */
    public boolean complete() {
        return !properties.discovery().enabled() || discoveredOnce.containsAll(places.all());
    }

    /** Whether the watched gateways of this place are known. */
    public boolean complete(Place place) {
        return !properties.discovery().enabled() || discoveredOnce.contains(place);
    }

    /** Every watched gateway, in order. */
    public SortedSet<String> ids() {
        SortedSet<String> all = new TreeSet<>(listed.keySet());
        discovered.values().forEach(all::addAll);
        return all;
    }

    /** The watched gateways of one place, in order. */
    public SortedSet<String> idsIn(Place place) {
        SortedSet<String> in = new TreeSet<>();
        listed.forEach((id, p) -> {
            if (p.equals(place)) {
                in.add(id);
            }
        });
        in.addAll(discovered.getOrDefault(place, Set.of()));
        return in;
    }

    /** The gateway of a managed alarm, known by its name ({@code <prefix><gateway id>}). */
    public Optional<String> gatewayOfAlarm(@Nullable String alarmName) {
        RecorderProperties.Alarms alarms = properties.alarms();
        if (!alarms.managed() || alarmName == null || !alarmName.startsWith(alarms.namePrefix())) {
            return Optional.empty();
        }
        String id = alarmName.substring(alarms.namePrefix().length());
        return id.matches(RecorderProperties.NAT_GATEWAY_ID) ? Optional.of(id) : Optional.empty();
    }

    /** The settings of a watched gateway's alarm: its own entry's, or the global ones for a discovered gateway. */
    public AlarmSettings alarmSettings(String natGatewayId) {
        return properties.alarms().settingsFor(properties.listed(natGatewayId).orElse(null));
    }

    /** Whether the gateway is listed in the configuration (else it was found by its tags). */
    public boolean isListed(String natGatewayId) {
        return listed.containsKey(natGatewayId);
    }

    /** Replaces the gateways discovered in one place; returns those that came and went there. */
    synchronized Change discovered(Place place, Set<String> found) {
        Set<String> before = discovered.getOrDefault(place, Set.of());
        SortedSet<String> added = new TreeSet<>(found);
        added.removeAll(before);
        SortedSet<String> removed = new TreeSet<>(before);
        removed.removeAll(found);
        Map<Place, Set<String>> next = new HashMap<>(discovered);
        next.put(place, Set.copyOf(new HashSet<>(found)));
        discovered = Map.copyOf(next);
        discoveredOnce.add(place);
        return new Change(added, removed);
    }

    record Change(SortedSet<String> added, SortedSet<String> removed) {
        boolean any() {
            return !added.isEmpty() || !removed.isEmpty();
        }
    }
}
