package dev.vpcflowlogs.recorder.notification;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.recording.GatewayMode;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingState;
import dev.vpcflowlogs.recorder.recording.StopReason;
import java.time.Instant;
import java.util.List;

/** Ended recordings for the notification tests. */
final class EndedRecordings {

    private EndedRecordings() {}

    static Recording completed(String id, Instant endedAt) {
        return new Recording(
                id,
                "nat-0a1b2c3d4e5f60718",
                Place.home("us-east-1"),
                RecordingState.COMPLETED,
                "e1",
                endedAt.minusSeconds(601),
                endedAt.minusSeconds(600),
                endedAt.minusSeconds(120),
                endedAt.plusSeconds(300),
                endedAt,
                null,
                StopReason.ALARM_CLEARED,
                null,
                GatewayMode.ZONAL,
                List.of("eni-a"),
                List.of("fl-1"),
                List.of(),
                0,
                List.of(),
                null,
                null,
                4);
    }

    static Recording failed(String id, Instant endedAt) {
        return new Recording(
                id,
                "nat-0a1b2c3d4e5f60718",
                Place.home("us-east-1"),
                RecordingState.FAILED,
                "e1",
                endedAt.minusSeconds(1),
                null,
                null,
                endedAt.plusSeconds(900),
                endedAt,
                null,
                StopReason.START_FAILED,
                "NatGatewayNotFound: nat-0a1b2c3d4e5f60718 does not exist",
                GatewayMode.ZONAL,
                List.of(),
                List.of(),
                List.of(),
                0,
                List.of(),
                null,
                null,
                3);
    }
}
