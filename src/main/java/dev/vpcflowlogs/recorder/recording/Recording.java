package dev.vpcflowlogs.recorder.recording;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One recording of one NAT gateway, as stored. Only {@link Transitions} makes new ones, with the {@code with...}
 * methods.
 *
 * @param triggerEventId the alarm event that started it
 * @param createdAt when the ALARM was taken (the clock of {@code max-duration} starts here)
 * @param startedAt when the flow logs were created
 * @param tailEndsAt set while the alarm is cleared: the recording stops then
 * @param maxEndsAt the hard stop, whatever the alarm says
 * @param endedAt when it completed, failed or was skipped
 * @param nextDeadline when the recorder must look at this recording again (stop, or retry a start or stop)
 * @param failure why the last attempt failed, or why the recording did
 * @param interfaceIds the interfaces looked up for it, those that failed included
 * @param attempts AWS calls that failed since the last success (a start or a stop)
 * @param deliveryFailures its flow logs that DescribeFlowLogs said were not delivering, checked before the delete
 * @param version optimistic lock; 0 for a recording not stored yet
 */
public record Recording(
        String id,
        String gatewayId,
        RecordingState state,
        @Nullable String triggerEventId,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant tailEndsAt,
        Instant maxEndsAt,
        @Nullable Instant endedAt,
        @Nullable Instant nextDeadline,
        @Nullable StopReason stopReason,
        @Nullable String failure,
        List<String> interfaceIds,
        List<String> flowLogIds,
        List<InterfaceFailure> interfaceFailures,
        int attempts,
        List<DeliveryFailure> deliveryFailures,
        long version) {

    public Recording {
        interfaceIds = List.copyOf(interfaceIds);
        flowLogIds = List.copyOf(flowLogIds);
        interfaceFailures = List.copyOf(interfaceFailures);
        deliveryFailures = List.copyOf(deliveryFailures);
    }

    /** A recording claimed for an ALARM: nothing exists in AWS yet. */
    static Recording starting(String id, String gatewayId, String eventId, Instant now, Instant maxEndsAt) {
        return new Recording(
                id,
                gatewayId,
                RecordingState.STARTING,
                eventId,
                now,
                null,
                null,
                maxEndsAt,
                null,
                null,
                null,
                null,
                List.of(),
                List.of(),
                List.of(),
                0,
                List.of(),
                0);
    }

    /** How long flow logs existed, or null if none did. */
    public @Nullable Duration recordedFor() {
        return startedAt == null || endedAt == null ? null : Duration.between(startedAt, endedAt);
    }

    /** The interfaces that have a flow log of this recording (those looked up, but for the failed ones). */
    public List<String> recordedInterfaceIds() {
        if (interfaceFailures.isEmpty()) {
            return interfaceIds;
        }
        List<String> failed =
                interfaceFailures.stream().map(InterfaceFailure::interfaceId).toList();
        return interfaceIds.stream().filter(id -> !failed.contains(id)).toList();
    }

    Recording withState(RecordingState value) {
        return copy(c -> c.state = value);
    }

    Recording withStartedAt(@Nullable Instant value) {
        return copy(c -> c.startedAt = value);
    }

    Recording withTailEndsAt(@Nullable Instant value) {
        return copy(c -> c.tailEndsAt = value);
    }

    Recording withEndedAt(@Nullable Instant value) {
        return copy(c -> c.endedAt = value);
    }

    Recording withNextDeadline(@Nullable Instant value) {
        return copy(c -> c.nextDeadline = value);
    }

    Recording withStopReason(@Nullable StopReason value) {
        return copy(c -> c.stopReason = value);
    }

    Recording withFailure(@Nullable String value) {
        return copy(c -> c.failure = value);
    }

    Recording withInterfaces(List<String> interfaces, List<String> flowLogs, List<InterfaceFailure> failures) {
        return copy(c -> {
            c.interfaceIds = interfaces;
            c.flowLogIds = flowLogs;
            c.interfaceFailures = failures;
        });
    }

    Recording withInterfaceFailures(List<InterfaceFailure> value) {
        return copy(c -> c.interfaceFailures = value);
    }

    Recording withAttempts(int value) {
        return copy(c -> c.attempts = value);
    }

    Recording withDeliveryFailures(List<DeliveryFailure> value) {
        return copy(c -> c.deliveryFailures = value);
    }

    Recording withVersion(long value) {
        return copy(c -> c.version = value);
    }

    private Recording copy(java.util.function.Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    /** The fields of a recording while one of them changes. */
    private static final class Copy {
        private final String id;
        private final String gatewayId;
        private RecordingState state;
        private final @Nullable String triggerEventId;
        private final Instant createdAt;
        private @Nullable Instant startedAt;
        private @Nullable Instant tailEndsAt;
        private final Instant maxEndsAt;
        private @Nullable Instant endedAt;
        private @Nullable Instant nextDeadline;
        private @Nullable StopReason stopReason;
        private @Nullable String failure;
        private List<String> interfaceIds;
        private List<String> flowLogIds;
        private List<InterfaceFailure> interfaceFailures;
        private int attempts;
        private List<DeliveryFailure> deliveryFailures;
        private long version;

        private Copy(Recording r) {
            id = r.id;
            gatewayId = r.gatewayId;
            state = r.state;
            triggerEventId = r.triggerEventId;
            createdAt = r.createdAt;
            startedAt = r.startedAt;
            tailEndsAt = r.tailEndsAt;
            maxEndsAt = r.maxEndsAt;
            endedAt = r.endedAt;
            nextDeadline = r.nextDeadline;
            stopReason = r.stopReason;
            failure = r.failure;
            interfaceIds = r.interfaceIds;
            flowLogIds = r.flowLogIds;
            interfaceFailures = r.interfaceFailures;
            attempts = r.attempts;
            deliveryFailures = r.deliveryFailures;
            version = r.version;
        }

        private Recording build() {
            return new Recording(
                    id,
                    gatewayId,
                    state,
                    triggerEventId,
                    createdAt,
                    startedAt,
                    tailEndsAt,
                    maxEndsAt,
                    endedAt,
                    nextDeadline,
                    stopReason,
                    failure,
                    interfaceIds,
                    flowLogIds,
                    interfaceFailures,
                    attempts,
                    deliveryFailures,
                    version);
        }
    }
}
