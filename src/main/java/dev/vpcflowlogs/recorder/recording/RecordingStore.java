package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.system.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The recordings in the JDBC store (H2 or PostgreSQL), each row guarded by its version. */
@Repository
class RecordingStore {

    private static final String COLUMNS =
            """
            id, gateway_id, account, region, state, trigger_event_id, created_at, started_at, tail_ends_at,
            max_ends_at, ended_at, next_deadline, stop_reason, failure, gateway_mode, interface_ids, flow_log_ids,
            interface_failures, attempts, delivery_failures, started_by, stopped_by, version
            """;

    private static final String INSERT =
            """
            insert into recording (
                id, gateway_id, account, region, state, trigger_event_id, created_at, started_at, tail_ends_at,
                max_ends_at, ended_at, next_deadline, stop_reason, failure, gateway_mode, interface_ids, flow_log_ids,
                interface_failures, attempts, delivery_failures, started_by, stopped_by, version)
            values (:id, :gatewayId, :account, :region, :state, :triggerEventId, :createdAt, :startedAt, :tailEndsAt,
                :maxEndsAt,
                :endedAt, :nextDeadline, :stopReason, :failure, :mode, :resourceIds, :flowLogIds, :resourceFailures,
                :attempts, :deliveryFailures, :startedBy, :stoppedBy, 1)
            """;

    private static final String UPDATE =
            """
            update recording set state = :state, started_at = :startedAt, tail_ends_at = :tailEndsAt,
                ended_at = :endedAt, next_deadline = :nextDeadline, stop_reason = :stopReason, failure = :failure,
                gateway_mode = :mode, interface_ids = :resourceIds, flow_log_ids = :flowLogIds,
                interface_failures = :resourceFailures,
                attempts = :attempts, delivery_failures = :deliveryFailures, started_by = :startedBy,
                stopped_by = :stoppedBy, version = version + 1
            where id = :id and version = :version
            """;

    private static final String ACTIVE = "state in ('STARTING', 'RECORDING', 'TAILING', 'STOPPING')";
    private static final TypeReference<List<ResourceFailure>> FAILURES = new TypeReference<>() {};
    private static final TypeReference<List<DeliveryFailure>> DELIVERY_FAILURES = new TypeReference<>() {};
    private static final int FAILURE_LENGTH = 4000;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Places places;

    RecordingStore(JdbcClient jdbc, JsonMapper json, Places places) {
        this.jdbc = jdbc;
        this.json = json;
        this.places = places;
    }

    /** Inserts a new recording or updates one whose stored version is still {@code r.version()}. */
    Recording save(Recording r) {
        int updated = jdbc.sql(r.version() == 0 ? INSERT : UPDATE)
                .param("id", r.id())
                .param("gatewayId", r.gatewayId())
                .param("account", r.place().account())
                .param("region", r.place().region())
                .param("state", r.state().name())
                .param("triggerEventId", r.triggerEventId())
                .param("createdAt", Timestamps.of(r.createdAt()))
                .param("startedAt", Timestamps.of(r.startedAt()))
                .param("tailEndsAt", Timestamps.of(r.tailEndsAt()))
                .param("maxEndsAt", Timestamps.of(r.maxEndsAt()))
                .param("endedAt", Timestamps.of(r.endedAt()))
                .param("nextDeadline", Timestamps.of(r.nextDeadline()))
                .param(
                        "stopReason",
                        r.stopReason() == null ? null : r.stopReason().name())
                .param("failure", truncate(r.failure()))
                .param("mode", r.mode() == null ? null : r.mode().name())
                .param("resourceIds", String.join(" ", r.resourceIds()))
                .param("flowLogIds", String.join(" ", r.flowLogIds()))
                .param("resourceFailures", json.writeValueAsString(r.resourceFailures()))
                .param("attempts", r.attempts())
                .param("deliveryFailures", json.writeValueAsString(r.deliveryFailures()))
                .param("startedBy", r.startedBy())
                .param("stoppedBy", r.stoppedBy())
                .param("version", r.version())
                .update();
        if (updated != 1) {
            throw new OptimisticLockingFailureException(
                    "recording " + r.id() + " changed concurrently; the event will be retried");
        }
        return r.withVersion(r.version() + 1);
    }

    Optional<Recording> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from recording where id = :id")
                .param("id", id)
                .query(this::recording)
                .optional();
    }

    List<Recording> active() {
        return jdbc.sql("select " + COLUMNS + " from recording where " + ACTIVE + " order by created_at")
                .query(this::recording)
                .list();
    }

    long countActive() {
        return jdbc.sql("select count(*) from recording where " + ACTIVE)
                .query(Long.class)
                .single();
    }

    /** Recordings whose deadline has come by {@code now}. */
    List<Recording> due(Instant now) {
        return jdbc.sql("select " + COLUMNS + " from recording where next_deadline <= :now order by next_deadline")
                .param("now", Timestamps.of(now))
                .query(this::recording)
                .list();
    }

    List<Recording> recent(int limit) {
        return jdbc.sql("select " + COLUMNS + " from recording order by created_at desc limit :limit")
                .param("limit", limit)
                .query(this::recording)
                .list();
    }

    private Recording recording(ResultSet rs, int row) throws SQLException {
        String stopReason = rs.getString("stop_reason");
        String mode = rs.getString("gateway_mode");
        String region = rs.getString("region");
        return new Recording(
                rs.getString("id"),
                rs.getString("gateway_id"),
                // Recordings stored before accounts were known are the recorder's own, in its region.
                region == null ? places.home() : new Place(rs.getString("account"), region),
                RecordingState.valueOf(rs.getString("state")),
                rs.getString("trigger_event_id"),
                Timestamps.required(rs, "created_at"),
                Timestamps.instant(rs, "started_at"),
                Timestamps.instant(rs, "tail_ends_at"),
                Timestamps.required(rs, "max_ends_at"),
                Timestamps.instant(rs, "ended_at"),
                Timestamps.instant(rs, "next_deadline"),
                stopReason == null ? null : StopReason.valueOf(stopReason),
                rs.getString("failure"),
                mode == null ? null : GatewayMode.valueOf(mode),
                words(rs.getString("interface_ids")),
                words(rs.getString("flow_log_ids")),
                json.readValue(rs.getString("interface_failures"), FAILURES),
                rs.getInt("attempts"),
                json.readValue(rs.getString("delivery_failures"), DELIVERY_FAILURES),
                rs.getString("started_by"),
                rs.getString("stopped_by"),
                rs.getLong("version"));
    }

    private static List<String> words(@Nullable String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.asList(text.split(" "));
    }

    private static @Nullable String truncate(@Nullable String text) {
        return text == null || text.length() <= FAILURE_LENGTH ? text : text.substring(0, FAILURE_LENGTH - 3) + "...";
    }
}
