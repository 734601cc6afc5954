package dev.vpcflowlogs.recorder.ops;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.vpcflowlogs.recorder.recording.InterfaceFailure;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingQueries;
import dev.vpcflowlogs.recorder.report.ReportQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    private final ReportQueries reports;

    RecordingsEndpoint(RecordingQueries recordings, ReportQueries reports) {
        this.recordings = recordings;
        this.reports = reports;
    }

    @ReadOperation
    Listing list() {
        return new Listing(
                recordings.active().stream().map(View::of).toList(),
                recordings.recent(RECENT).stream().map(View::of).toList());
    }

    /** One recording, with its spike report once it is made. */
    @ReadOperation
    Detail one(@Selector String id) {
        return recordings
                .find(id)
                .map(r -> new Detail(View.of(r), reports.find(id).orElse(null)))
                .orElse(null);
    }

    record Detail(@JsonUnwrapped View recording, Map<String, Object> report) {}

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
            int attempts,
            Instant notifyAt,
            Instant notifiedAt) {

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
                    r.attempts(),
                    r.notifyAt(),
                    r.notifiedAt());
        }
    }
}
