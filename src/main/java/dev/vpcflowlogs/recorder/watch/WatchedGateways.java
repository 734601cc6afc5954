package dev.vpcflowlogs.recorder.watch;

import dev.vpcflowlogs.recorder.config.AlarmSettings;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.config.RecorderProperties.NatGateway;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** The gateways the recorder watches: those listed in the configuration and those discovered by their tags. */
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
    private final Set<String> listed;
    private volatile Set<String> discovered = Set.of();
    private volatile boolean discoveredOnce;

    public WatchedGateways(RecorderProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.listed =
                Set.copyOf(properties.natGateways().stream().map(NatGateway::id).toList());
        Gauge.builder("recorder.gateways.watched", () -> listed.size())
                .description("NAT gateways watched, by where they come from")
                .tag("source", "listed")
                .register(meters);
        Gauge.builder("recorder.gateways.watched", () -> discovered.size())
                .description("NAT gateways watched, by where they come from")
                .tag("source", "discovered")
                .register(meters);
    }

    public Status status(String natGatewayId) {
        if (listed.contains(natGatewayId) || discovered.contains(natGatewayId)) {
            return Status.WATCHED;
        }
        return complete() ? Status.NOT_WATCHED : Status.NOT_KNOWN_YET;
    }

    public boolean watches(String natGatewayId) {
        return status(natGatewayId) == Status.WATCHED;
    }

    /** Whether every watched gateway is known: discovery is off or has answered once. */
    public boolean complete() {
        return !properties.discovery().enabled() || discoveredOnce;
    }

    /** Every watched gateway, in order. */
    public SortedSet<String> ids() {
        SortedSet<String> all = new TreeSet<>(listed);
        all.addAll(discovered);
        return all;
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

    boolean isListed(String natGatewayId) {
        return listed.contains(natGatewayId);
    }

    /** Replaces the discovered gateways; returns those that came and went. */
    synchronized Change discovered(Set<String> found) {
        Set<String> before = discovered;
        SortedSet<String> added = new TreeSet<>(found);
        added.removeAll(before);
        SortedSet<String> removed = new TreeSet<>(before);
        removed.removeAll(found);
        discovered = Set.copyOf(found);
        discoveredOnce = true;
        return new Change(added, removed);
    }

    record Change(SortedSet<String> added, SortedSet<String> removed) {
        boolean any() {
            return !added.isEmpty() || !removed.isEmpty();
        }
    }
}
