package dev.vpcflowlogs.recorder.recording;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One recording of one NAT gateway, as stored.
 *
 * @param createdAt when the ALARM was taken (the clock of {@code max-duration} starts here)
 * @param startedAt when the flow logs were created
 * @param tailEndsAt set while the alarm is cleared: the recording stops then
 * @param maxEndsAt the hard stop, whatever the alarm says
 * @param nextDeadline when the recorder must look at this recording again (stop, or retry a start or stop)
 * @param notifyAt when the end-of-recording notification is due; null while the recording runs
 * @param notifiedAt when it went out
 * @param version optimistic lock; 0 for a recording not stored yet
 */
public record Recording(
        String id,
        String gatewayId,
        RecordingState state,
        String triggerEventId,
        Instant createdAt,
        Instant startedAt,
        Instant tailEndsAt,
        Instant maxEndsAt,
        Instant endedAt,
        Instant nextDeadline,
        StopReason stopReason,
        String failure,
        List<String> interfaceIds,
        List<String> flowLogIds,
        List<InterfaceFailure> interfaceFailures,
        int attempts,
        Instant notifyAt,
        Instant notifiedAt,
        long version) {

    public Recording {
        interfaceIds = interfaceIds == null ? List.of() : List.copyOf(interfaceIds);
        flowLogIds = flowLogIds == null ? List.of() : List.copyOf(flowLogIds);
        interfaceFailures = interfaceFailures == null ? List.of() : List.copyOf(interfaceFailures);
    }

    /** How long flow logs existed, or null if none did. */
    public Duration recordedFor() {
        return startedAt == null || endedAt == null ? null : Duration.between(startedAt, endedAt);
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    static Builder builder() {
        return new Builder();
    }

    /** Copies with changes; only {@link Transitions} makes recordings. */
    static final class Builder {
        private String id;
        private String gatewayId;
        private RecordingState state;
        private String triggerEventId;
        private Instant createdAt;
        private Instant startedAt;
        private Instant tailEndsAt;
        private Instant maxEndsAt;
        private Instant endedAt;
        private Instant nextDeadline;
        private StopReason stopReason;
        private String failure;
        private List<String> interfaceIds = List.of();
        private List<String> flowLogIds = List.of();
        private List<InterfaceFailure> interfaceFailures = List.of();
        private int attempts;
        private Instant notifyAt;
        private Instant notifiedAt;
        private long version;

        private Builder() {}

        private Builder(Recording r) {
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
            notifyAt = r.notifyAt;
            notifiedAt = r.notifiedAt;
            version = r.version;
        }

        Builder id(String v) {
            id = v;
            return this;
        }

        Builder gatewayId(String v) {
            gatewayId = v;
            return this;
        }

        Builder state(RecordingState v) {
            state = v;
            return this;
        }

        Builder triggerEventId(String v) {
            triggerEventId = v;
            return this;
        }

        Builder createdAt(Instant v) {
            createdAt = v;
            return this;
        }

        Builder startedAt(Instant v) {
            startedAt = v;
            return this;
        }

        Builder tailEndsAt(Instant v) {
            tailEndsAt = v;
            return this;
        }

        Builder maxEndsAt(Instant v) {
            maxEndsAt = v;
            return this;
        }

        Builder endedAt(Instant v) {
            endedAt = v;
            return this;
        }

        Builder nextDeadline(Instant v) {
            nextDeadline = v;
            return this;
        }

        Builder stopReason(StopReason v) {
            stopReason = v;
            return this;
        }

        Builder failure(String v) {
            failure = v;
            return this;
        }

        Builder interfaceIds(List<String> v) {
            interfaceIds = v;
            return this;
        }

        Builder flowLogIds(List<String> v) {
            flowLogIds = v;
            return this;
        }

        Builder interfaceFailures(List<InterfaceFailure> v) {
            interfaceFailures = v;
            return this;
        }

        Builder attempts(int v) {
            attempts = v;
            return this;
        }

        Builder notifyAt(Instant v) {
            notifyAt = v;
            return this;
        }

        Builder version(long v) {
            version = v;
            return this;
        }

        Recording build() {
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
                    notifyAt,
                    notifiedAt,
                    version);
        }
    }
}
