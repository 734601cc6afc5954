package dev.vpcflowlogs.recorder.notification;

import dev.vpcflowlogs.recorder.TestDatabase;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingState;
import dev.vpcflowlogs.recorder.recording.StopReason;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Ended recordings for the notification tests. */
final class EndedRecordings {

    private EndedRecordings() {}

    static Recording completed(String id, Instant endedAt) {
        return new Recording(
                id,
                "nat-0a1b2c3d4e5f60718",
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
                List.of("eni-a"),
                List.of("fl-1"),
                List.of(),
                0,
                4);
    }

    static Recording failed(String id, Instant endedAt) {
        return new Recording(
                id,
                "nat-0a1b2c3d4e5f60718",
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
                List.of(),
                List.of(),
                List.of(),
                0,
                3);
    }

    /** A row of the recording table, for the notification's foreign key. */
    static void insertEnded(TestDatabase database, String id, Instant endedAt) {
        database.jdbc()
                .sql(
                        """
                        insert into nat_gateway (gateway_id, recordings_started, version)
                        select 'nat-0a1b2c3d4e5f60718', 0, 0 where not exists
                            (select 1 from nat_gateway where gateway_id = 'nat-0a1b2c3d4e5f60718')
                        """)
                .update();
        database.jdbc()
                .sql(
                        """
                        insert into recording (id, gateway_id, state, created_at, max_ends_at, ended_at, interface_ids,
                            flow_log_ids, interface_failures, attempts, version)
                        values (:id, 'nat-0a1b2c3d4e5f60718', 'COMPLETED', :at, :at, :at, '', '', '[]', 0, 1)
                        """)
                .param("id", id)
                .param("at", endedAt.atOffset(ZoneOffset.UTC))
                .update();
    }
}
