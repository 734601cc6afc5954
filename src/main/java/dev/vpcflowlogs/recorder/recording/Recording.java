package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.Place;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One recording of one NAT gateway, as stored. Only {@link Transitions} makes new ones, with the {@code with...}
 * methods.
 *
 * @param place the gateway's account and region: every AWS call of the recording is made there
 * @param triggerEventId the alarm event that started it
 * @param createdAt when the ALARM was taken (the clock of {@code max-duration} starts here)
 * @param startedAt when the flow logs were created
 * @param tailEndsAt set while the alarm is cleared: the recording stops then
 * @param maxEndsAt the hard stop, whatever the alarm says
 * @param endedAt when it completed, failed or was skipped
 * @param nextDeadline when the recorder must look at this recording again (stop, or retry a start or stop)
 * @param failure why the last attempt failed, or why the recording did
 * @param mode how the gateway is deployed, known once its flow logs were asked for
 * @param resourceIds what the flow logs were asked for on: the interfaces of a zonal gateway, the gateway itself for a
 *     regional one; those that failed included
 * @param attempts AWS calls that failed since the last success (a start or a stop)
 * @param deliveryFailures its flow logs that DescribeFlowLogs said were not delivering, checked before the delete
 * @param startedBy the operator who started it by hand; null when its alarm did
 * @param stoppedBy the operator who stopped it by hand
 * @param version optimistic lock; 0 for a recording not stored yet
 */
public record Recording(
        String id,
        String gatewayId,
        Place place,
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
        @Nullable GatewayMode mode,
        List<String> resourceIds,
        List<String> flowLogIds,
        List<ResourceFailure> resourceFailures,
        int attempts,
        List<DeliveryFailure> deliveryFailures,
        @Nullable String startedBy,
        @Nullable String stoppedBy,
        long version) {

    public Recording {
        resourceIds = List.copyOf(resourceIds);
        flowLogIds = List.copyOf(flowLogIds);
        resourceFailures = List.copyOf(resourceFailures);
        deliveryFailures = List.copyOf(deliveryFailures);
    }

    /** A recording claimed for an ALARM: nothing exists in AWS yet. */
    static Recording starting(
            String id, String gatewayId, Place place, @Nullable String eventId, Instant now, Instant maxEndsAt) {
        return new Recording(
                id,
                gatewayId,
                place,
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
                null,
                List.of(),
                List.of(),
                List.of(),
                0,
                List.of(),
                null,
                null,
                0);
    }

    /** How long flow logs existed, or null if none did. */
    public @Nullable Duration recordedFor() {
        return startedAt == null || endedAt == null ? null : Duration.between(startedAt, endedAt);
    }

    public boolean regional() {
        return mode == GatewayMode.REGIONAL;
    }

    /** The resources that have a flow log of this recording (those asked for, but for the failed ones). */
    public List<String> recordedResourceIds() {
        if (resourceFailures.isEmpty()) {
            return resourceIds;
        }
        List<String> failed =
                resourceFailures.stream().map(ResourceFailure::resourceId).toList();
        return resourceIds.stream().filter(id -> !failed.contains(id)).toList();
    }

    /**
     * Where each flow log's records are delivered, by the name the report gives it: the prefixes its CloudWatch Logs
     * streams are named from. An interface's stream is {@code <eni>-all}. AWS does not document the stream names of a
     * regional gateway's flow log: they are looked for under the gateway's id and under the flow log's own.
     */
    public Map<String, List<String>> streamSources() {
        Map<String, List<String>> sources = new LinkedHashMap<>();
        if (regional()) {
            if (!flowLogIds.isEmpty()) {
                List<String> prefixes = new ArrayList<>(List.of(gatewayId));
                prefixes.addAll(flowLogIds);
                sources.put(gatewayId, List.copyOf(prefixes));
            }
            return sources;
        }
        recordedResourceIds().forEach(eni -> sources.put(eni, List.of(eni)));
        return sources;
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

    Recording withResources(
            GatewayMode mode, List<String> resources, List<String> flowLogs, List<ResourceFailure> failures) {
        return copy(c -> {
            c.mode = mode;
            c.resourceIds = resources;
            c.flowLogIds = flowLogs;
            c.resourceFailures = failures;
        });
    }

    Recording withResourceFailures(List<ResourceFailure> value) {
        return copy(c -> c.resourceFailures = value);
    }

    Recording withAttempts(int value) {
        return copy(c -> c.attempts = value);
    }

    Recording withDeliveryFailures(List<DeliveryFailure> value) {
        return copy(c -> c.deliveryFailures = value);
    }

    Recording withStartedBy(@Nullable String value) {
        return copy(c -> c.startedBy = value);
    }

    Recording withStoppedBy(@Nullable String value) {
        return copy(c -> c.stoppedBy = value);
    }

    /** Started by hand rather than by an alarm. */
    public boolean manual() {
        return startedBy != null;
    }

    Recording withVersion(long value) {
        return copy(c -> c.version = value);
    }

    private Recording copy(java.util.function.Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    /** The fields of a recording while some of them change. */
    private static final class Copy {
        private final String id;
        private final String gatewayId;
        private final Place place;
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
        private @Nullable GatewayMode mode;
        private List<String> resourceIds;
        private List<String> flowLogIds;
        private List<ResourceFailure> resourceFailures;
        private int attempts;
        private List<DeliveryFailure> deliveryFailures;
        private @Nullable String startedBy;
        private @Nullable String stoppedBy;
        private long version;

        private Copy(Recording r) {
            id = r.id;
            gatewayId = r.gatewayId;
            place = r.place;
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
            mode = r.mode;
            resourceIds = r.resourceIds;
            flowLogIds = r.flowLogIds;
            resourceFailures = r.resourceFailures;
            attempts = r.attempts;
            deliveryFailures = r.deliveryFailures;
            startedBy = r.startedBy;
            stoppedBy = r.stoppedBy;
            version = r.version;
        }

        private Recording build() {
            return new Recording(
                    id,
                    gatewayId,
                    place,
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
                    mode,
                    resourceIds,
                    flowLogIds,
                    resourceFailures,
                    attempts,
                    deliveryFailures,
                    startedBy,
                    stoppedBy,
                    version);
        }
    }
}
