package dev.vpcflowlogs.recorder.ops;

import dev.vpcflowlogs.recorder.recording.InterfaceFailure;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.stereotype.Component;

/** {@code /actuator/recordings}: active and recent recordings; {@code /actuator/recordings/{id}}: one. Read-only. */
@Component
@Endpoint(id = "recordings")
class RecordingsEndpoint {

    static final int RECENT = 50;

    private final RecordingQueries recordings;

    RecordingsEndpoint(RecordingQueries recordings) {
        this.recordings = recordings;
    }

    @ReadOperation
    Listing list() {
        return new Listing(
                recordings.active().stream().map(View::of).toList(),
                recordings.recent(RECENT).stream().map(View::of).toList());
    }

    @ReadOperation
    View one(@Selector String id) {
        return recordings.find(id).map(View::of).orElse(null);
    }

    record Listing(List<View> active, List<View> recent) {}

    record View(
            String id,
            String natGatewayId,
            String state,
            Instant alarmAt,
            Instant startedAt,
            Instant tailEndsAt,
            Instant maxEndsAt,
            Instant endedAt,
            Instant nextDeadline,
            Long durationSeconds,
            String stopReason,
            String failure,
            List<String> interfaceIds,
            List<String> flowLogIds,
            List<InterfaceFailure> interfaceFailures,
            int attempts) {

        static View of(Recording r) {
            Duration recorded = r.recordedFor();
            return new View(
                    r.id(),
                    r.gatewayId(),
                    r.state().name(),
                    r.createdAt(),
                    r.startedAt(),
                    r.tailEndsAt(),
                    r.maxEndsAt(),
                    r.endedAt(),
                    r.nextDeadline(),
                    recorded == null ? null : recorded.toSeconds(),
                    r.stopReason() == null ? null : r.stopReason().name(),
                    r.failure(),
                    r.interfaceIds(),
                    r.flowLogIds(),
                    r.interfaceFailures(),
                    r.attempts());
        }
    }
}
