package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.system.Timestamps;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** One row per gateway: the last alarm state time handled, how many recordings it started, its active recording. */
@Repository
class GatewayStore {

    private record Row(
            String gatewayId,
            @Nullable Instant lastStateTime,
            int recordingsStarted,
            @Nullable String activeId,
            @Nullable PendingAlarm pending,
            long version) {}

    private final JdbcClient jdbc;
    private final RecordingStore recordings;
    private final Places places;

    GatewayStore(JdbcClient jdbc, RecordingStore recordings, Places places) {
        this.jdbc = jdbc;
        this.recordings = recordings;
        this.places = places;
    }

    /** The gateway's row and its active recording; the row is created on first sight. */
    GatewaySnapshot snapshot(String gatewayId) {
        Row row = find(gatewayId).orElseGet(() -> {
            try {
                jdbc.sql("insert into nat_gateway (gateway_id, recordings_started, version) values (:id, 0, 0)")
                        .param("id", gatewayId)
                        .update();
            } catch (DuplicateKeyException raced) {
                // another replica created it first: read theirs
            }
            return find(gatewayId).orElseThrow();
        });
        Recording active =
                row.activeId() == null ? null : recordings.find(row.activeId()).orElse(null);
        return new GatewaySnapshot(
                row.gatewayId(), row.lastStateTime(), row.recordingsStarted(), active, row.pending(), row.version());
    }

    private Optional<Row> find(String gatewayId) {
        return jdbc.sql(
                        """
                        select gateway_id, last_state_time, recordings_started, active_recording_id,
                            pending_alarm_event_id, pending_alarm_time, pending_alarm_account, pending_alarm_region,
                            version
                        from nat_gateway where gateway_id = :id
                        """)
                .param("id", gatewayId)
                .query((rs, n) -> {
                    String pendingId = rs.getString("pending_alarm_event_id");
                    Instant pendingTime = Timestamps.instant(rs, "pending_alarm_time");
                    String pendingRegion = rs.getString("pending_alarm_region");
                    Place pendingPlace = pendingRegion == null
                            ? places.home()
                            : new Place(rs.getString("pending_alarm_account"), pendingRegion);
                    return new Row(
                            rs.getString("gateway_id"),
                            Timestamps.instant(rs, "last_state_time"),
                            rs.getInt("recordings_started"),
                            rs.getString("active_recording_id"),
                            pendingId == null || pendingTime == null
                                    ? null
                                    : new PendingAlarm(pendingId, pendingTime, pendingPlace),
                            rs.getLong("version"));
                })
                .optional();
    }

    /** The gateways that keep an ALARM and have no recording: a crash came between a stop's end and the next start. */
    java.util.List<String> idleWithPendingAlarm() {
        return jdbc.sql(
                        """
                        select gateway_id from nat_gateway
                        where pending_alarm_event_id is not null and active_recording_id is null
                        """)
                .query((rs, n) -> Objects.requireNonNull(rs.getString(1)))
                .list();
    }

    /**
     * Stores a decision: the gateway's bookkeeping first, guarded by its version (so a concurrent change writes
     * nothing), then the changed recording, guarded by its own.
     *
     * @return the stored recording, or null if the decision changes none
     */
    @Nullable
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
                            pending_alarm_event_id = :pendingId, pending_alarm_time = :pendingTime,
                            pending_alarm_account = :pendingAccount, pending_alarm_region = :pendingRegion,
                            version = version + 1
                        where gateway_id = :id and version = :version
                        """)
                .param("last", Timestamps.of(decision.lastStateTime()))
                .param("started", gateway.recordingsStarted() + (decision.countsNewRecording() ? 1 : 0))
                .param("active", activeId)
                .param(
                        "pendingId",
                        decision.pendingAlarm() == null
                                ? null
                                : decision.pendingAlarm().eventId())
                .param(
                        "pendingTime",
                        decision.pendingAlarm() == null
                                ? null
                                : Timestamps.of(decision.pendingAlarm().stateTime()))
                .param(
                        "pendingAccount",
                        decision.pendingAlarm() == null
                                ? null
                                : decision.pendingAlarm().place().account())
                .param(
                        "pendingRegion",
                        decision.pendingAlarm() == null
                                ? null
                                : decision.pendingAlarm().place().region())
                .param("id", gateway.gatewayId())
                .param("version", gateway.version())
                .update();
        if (updated != 1) {
            throw new OptimisticLockingFailureException(
                    "gateway " + gateway.gatewayId() + " changed concurrently; the event will be retried");
        }
        return changed == null ? null : recordings.save(changed);
    }
}
