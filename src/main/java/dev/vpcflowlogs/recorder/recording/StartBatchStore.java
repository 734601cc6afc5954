package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.recording.FlowLogProvider.FlowLogBatch;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.FlowLogRequest;
import dev.vpcflowlogs.recorder.system.Timestamps;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The CreateFlowLogs calls recordings shared, member by member, written before the call: a retry or a restart repeats
 * the call to the letter, and the reconciler learns from them which recording a shared call's flow log belongs to.
 */
@Repository
class StartBatchStore {

    private final JdbcClient jdbc;

    StartBatchStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes a batch down before its call; a member already in one (it cannot be) keeps its first. */
    void save(FlowLogBatch batch) {
        for (int i = 0; i < batch.requests().size(); i++) {
            FlowLogRequest r = batch.requests().get(i);
            jdbc.sql(
                            """
                            insert into start_batch_member (recording_id, token, position, nat_gateway_id, mode,
                                resource_ids, expires_at)
                            select :recording, :token, :position, :gateway, :mode, :resources, :expires
                            where not exists (select 1 from start_batch_member where recording_id = :recording)
                            """)
                    .param("recording", r.recordingId())
                    .param("token", batch.token())
                    .param("position", i)
                    .param("gateway", r.natGatewayId())
                    .param("mode", r.mode().name())
                    .param("resources", String.join(" ", r.resourceIds()))
                    .param("expires", Timestamps.of(r.expiresAt()))
                    .update();
        }
    }

    /** The batch a recording's flow logs were asked for in, as it was sent. */
    Optional<FlowLogBatch> batchOf(String recordingId) {
        return jdbc.sql("select token from start_batch_member where recording_id = :id")
                .param("id", recordingId)
                .query(String.class)
                .optional()
                .map(this::batch);
    }

    private FlowLogBatch batch(String token) {
        List<FlowLogRequest> requests = jdbc.sql(
                        """
                        select recording_id, nat_gateway_id, mode, resource_ids, expires_at from start_batch_member
                        where token = :token order by position
                        """)
                .param("token", token)
                .query((rs, n) -> new FlowLogRequest(
                        rs.getString("recording_id"),
                        rs.getString("nat_gateway_id"),
                        GatewayMode.valueOf(rs.getString("mode")),
                        Arrays.asList(rs.getString("resource_ids").split(" ")),
                        Objects.requireNonNull(Timestamps.instant(rs, "expires_at"))))
                .list();
        return new FlowLogBatch(token, requests);
    }

    /** Which recording of a shared call a flow log on this resource belongs to. */
    Optional<String> ownerOf(String token, String resourceId) {
        return jdbc
                .sql("select recording_id, resource_ids from start_batch_member where token = :token")
                .param("token", token)
                .query((rs, n) ->
                        Arrays.asList(rs.getString("resource_ids").split(" ")).contains(resourceId)
                                ? rs.getString("recording_id")
                                : null)
                .list()
                .stream()
                .filter(Objects::nonNull)
                .findFirst();
    }
}
