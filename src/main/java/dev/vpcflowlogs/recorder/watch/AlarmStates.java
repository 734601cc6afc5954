package dev.vpcflowlogs.recorder.watch;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** The last state CloudWatch gave each managed alarm, as the alarm reconciler last read it. */
@Component
public class AlarmStates {

    /** A state and when it was read. */
    public record Seen(String state, Instant at) {}

    private final Map<String, Seen> byGateway = new ConcurrentHashMap<>();
    private final Clock clock;

    public AlarmStates(Clock clock) {
        this.clock = clock;
    }

    void saw(String gatewayId, String state) {
        byGateway.put(gatewayId, new Seen(state, clock.instant()));
    }

    public Optional<Seen> of(String gatewayId) {
        return Optional.ofNullable(byGateway.get(gatewayId));
    }
}
