package dev.vpcflowlogs.recorder.recording;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Recordings, gateways and handled events in the JDBC store (H2 or PostgreSQL). */
@Repository
class RecordingStore {

    private static final String RECORDING_COLUMNS =
            """
            id, gateway_id, state, trigger_event_id, created_at, started_at, tail_ends_at, max_ends_at, ended_at,
            next_deadline, stop_reason, failure, interface_ids, flow_log_ids, interface_failures, attempts, notify_at,
            notified_at, version
            """;

    private static final TypeReference<List<InterfaceFailure>> FAILURES = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    RecordingStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The gateway's row and its active recording; the row is created on first sight. */
    GatewaySnapshot gateway(String gatewayId) {
        Optional<GatewaySnapshot> found = findGateway(gatewayId);
        if (found.isPresent()) {
            return found.get();
        }
        try {
            jdbc.sql("insert into nat_gateway (gateway_id, recordings_started, version) values (:id, 0, 0)")
                    .param("id", gatewayId)
                    .update();
        } catch (DuplicateKeyException raced) {
            // another replica created it first: read theirs
        }
        return findGateway(gatewayId).orElseThrow();
    }

    private Optional<GatewaySnapshot> findGateway(String gatewayId) {
        return jdbc.sql(
                        """
                        select gateway_id, last_state_time, recordings_started, active_recording_id, version
                        from nat_gateway where gateway_id = :id
                        """)
                .param("id", gatewayId)
                .query((rs, n) -> {
                    String activeId = rs.getString("active_recording_id");
                    return new GatewaySnapshot(
                            rs.getString("gateway_id"),
                            instant(rs, "last_state_time"),
                            rs.getInt("recordings_started"),
                            activeId == null ? null : find(activeId).orElse(null),
                            rs.getLong("version"));
                })
                .optional();
    }

    /**
     * Stores a decision: the gateway's bookkeeping first, guarded by its version (so a concurrent change writes
     * nothing), then the changed recording, guarded by its own.
     */
    Recording apply(GatewaySnapshot gateway, Decision decision) {
        Recording changed = decision.recording();
        String activeId = gateway.active() == null ? null : gateway.active().id();
        if (changed != null) {
            if (changed.state().isActive()) {
                activeId = changed.id();
            } else if (changed.id().equals(activeId)) {
                activeId = null;
            }
        }
        int updated = jdbc.sql(
                        """
                        update nat_gateway
                        set last_state_time = :last, recordings_started = :started, active_recording_id = :active,
                            version = version + 1
                        where gateway_id = :id and version = :version
                        """)
                .param("last", timestamp(decision.lastStateTime()))
                .param("started", gateway.recordingsStarted() + (decision.countsNewRecording() ? 1 : 0))
                .param("active", activeId)
                .param("id", gateway.gatewayId())
                .param("version", gateway.version())
                .update();
        if (updated != 1) {
            throw new OptimisticLockingFailureException(
                    "gateway " + gateway.gatewayId() + " changed concurrently; the event will be retried");
        }
        return changed == null ? null : save(changed);
    }

    private Recording save(Recording r) {
        String sql = r.version() == 0
                ? "insert into recording (" + RECORDING_COLUMNS
                        + """
                        ) values (:id, :gatewayId, :state, :triggerEventId, :createdAt, :startedAt, :tailEndsAt,
                        :maxEndsAt, :endedAt, :nextDeadline, :stopReason, :failure, :interfaceIds, :flowLogIds,
                        :interfaceFailures, :attempts, :notifyAt, null, 1)
                        """
                : """
                        update recording set state = :state, started_at = :startedAt, tail_ends_at = :tailEndsAt,
                            ended_at = :endedAt, next_deadline = :nextDeadline, stop_reason = :stopReason,
                            failure = :failure, interface_ids = :interfaceIds, flow_log_ids = :flowLogIds,
                            interface_failures = :interfaceFailures, attempts = :attempts, notify_at = :notifyAt,
                            version = version + 1
                        where id = :id and version = :version
                        """;
        int updated = jdbc.sql(sql)
                .param("id", r.id())
                .param("gatewayId", r.gatewayId())
                .param("state", r.state().name())
                .param("triggerEventId", r.triggerEventId())
                .param("createdAt", timestamp(r.createdAt()))
                .param("startedAt", timestamp(r.startedAt()))
                .param("tailEndsAt", timestamp(r.tailEndsAt()))
                .param("maxEndsAt", timestamp(r.maxEndsAt()))
                .param("endedAt", timestamp(r.endedAt()))
                .param("nextDeadline", timestamp(r.nextDeadline()))
                .param(
                        "stopReason",
                        r.stopReason() == null ? null : r.stopReason().name())
                .param("failure", truncate(r.failure(), 4000))
                .param("interfaceIds", String.join(" ", r.interfaceIds()))
                .param("flowLogIds", String.join(" ", r.flowLogIds()))
                .param("interfaceFailures", json.writeValueAsString(r.interfaceFailures()))
                .param("attempts", r.attempts())
                .param("notifyAt", timestamp(r.notifyAt()))
                .param("version", r.version())
                .update();
        if (updated != 1) {
            throw new OptimisticLockingFailureException(
                    "recording " + r.id() + " changed concurrently; the event will be retried");
        }
        return r.toBuilder().version(r.version() + 1).build();
    }

    Optional<Recording> find(String id) {
        return jdbc.sql("select " + RECORDING_COLUMNS + " from recording where id = :id")
                .param("id", id)
                .query(this::recording)
                .optional();
    }

    List<Recording> active() {
        return jdbc.sql("select " + RECORDING_COLUMNS
                        + " from recording where state in ('STARTING', 'RECORDING', 'TAILING', 'STOPPING')"
                        + " order by created_at")
                .query(this::recording)
                .list();
    }

    List<Recording> due(Instant now) {
        return jdbc.sql("select " + RECORDING_COLUMNS
                        + " from recording where next_deadline <= :now order by next_deadline")
                .param("now", timestamp(now))
                .query(this::recording)
                .list();
    }

    List<Recording> recent(int limit) {
        return jdbc.sql("select " + RECORDING_COLUMNS + " from recording order by created_at desc limit :limit")
                .param("limit", limit)
                .query(this::recording)
                .list();
    }

    /** Recordings whose notification is due by {@code until} and has not gone out. */
    List<Recording> notificationsDue(Instant until) {
        return jdbc.sql("select " + RECORDING_COLUMNS
                        + " from recording where notify_at <= :until and notified_at is null order by notify_at")
                .param("until", timestamp(until))
                .query(this::recording)
                .list();
    }

    /** Every notification that has not gone out, due or not. */
    List<Recording> notificationsPending() {
        return jdbc.sql("select " + RECORDING_COLUMNS
                        + " from recording where notify_at is not null and notified_at is null order by notify_at")
                .query(this::recording)
                .list();
    }

    /**
     * Claims a due notification for this replica until {@code leaseEnd}: false if another replica has it or it went
     * out. A replica that dies while delivering leaves it to be claimed again once the lease ends.
     */
    boolean claimNotification(String id, Instant now, Instant leaseEnd) {
        return jdbc.sql(
                                """
                                update recording set notify_at = :leaseEnd
                                where id = :id and notified_at is null and notify_at <= :now
                                """)
                        .param("leaseEnd", timestamp(leaseEnd))
                        .param("id", id)
                        .param("now", timestamp(now))
                        .update()
                == 1;
    }

    /** Records that the notification went out; false if it already had. */
    boolean markNotified(String id, Instant at) {
        return jdbc.sql("update recording set notified_at = :at where id = :id and notified_at is null")
                        .param("at", timestamp(at))
                        .param("id", id)
                        .update()
                == 1;
    }

    void postponeNotification(String id, Instant until) {
        jdbc.sql("update recording set notify_at = :until where id = :id and notified_at is null")
                .param("until", timestamp(until))
                .param("id", id)
                .update();
    }

    long countActive() {
        return jdbc.sql(
                        "select count(*) from recording where state in ('STARTING', 'RECORDING', 'TAILING', 'STOPPING')")
                .query(Long.class)
                .single();
    }

    boolean isHandled(String eventId, String gatewayId) {
        return jdbc.sql("select count(*) from processed_event where event_id = :event and gateway_id = :gateway")
                        .param("event", eventId)
                        .param("gateway", gatewayId)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    void markHandled(String eventId, String gatewayId, SignalOutcome outcome, Instant at) {
        try {
            jdbc.sql(
                            """
                            insert into processed_event (event_id, gateway_id, verdict, reason, handled_at)
                            values (:event, :gateway, :verdict, :reason, :at)
                            """)
                    .param("event", eventId)
                    .param("gateway", gatewayId)
                    .param("verdict", outcome.verdict().name())
                    .param("reason", outcome.reason())
                    .param("at", timestamp(at))
                    .update();
        } catch (DuplicateKeyException alreadyMarked) {
            // a redelivery raced this one; the first mark stands
        }
    }

    int forgetHandledBefore(Instant cutoff) {
        return jdbc.sql("delete from processed_event where handled_at < :cutoff")
                .param("cutoff", timestamp(cutoff))
                .update();
    }

    private Recording recording(ResultSet rs, int row) throws SQLException {
        String stopReason = rs.getString("stop_reason");
        return new Recording(
                rs.getString("id"),
                rs.getString("gateway_id"),
                RecordingState.valueOf(rs.getString("state")),
                rs.getString("trigger_event_id"),
                instant(rs, "created_at"),
                instant(rs, "started_at"),
                instant(rs, "tail_ends_at"),
                instant(rs, "max_ends_at"),
                instant(rs, "ended_at"),
                instant(rs, "next_deadline"),
                stopReason == null ? null : StopReason.valueOf(stopReason),
                rs.getString("failure"),
                words(rs.getString("interface_ids")),
                words(rs.getString("flow_log_ids")),
                json.readValue(rs.getString("interface_failures"), FAILURES),
                rs.getInt("attempts"),
                instant(rs, "notify_at"),
                instant(rs, "notified_at"),
                rs.getLong("version"));
    }

    private static List<String> words(String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.asList(text.split(" "));
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
