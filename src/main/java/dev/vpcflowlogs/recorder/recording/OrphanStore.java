package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.ManagedFlowLog;
import dev.vpcflowlogs.recorder.system.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Flow logs of the recorder's that no recording knows, with the deadline their tag gives: {@code due_at} is that
 * deadline, or the end of the lease of the replica deleting it. One deleted is marked ({@code deleted_at}) until the
 * reconciler's listing no longer shows it.
 */
@Repository
class OrphanStore {

    /** An orphan and where it is. */
    record Orphan(Place place, ManagedFlowLog flowLog) {}

    private final JdbcClient jdbc;
    private final Places places;

    OrphanStore(JdbcClient jdbc, Places places) {
        this.jdbc = jdbc;
        this.places = places;
    }

    /** Remembers an orphan and its deadline; one already known is left as it is. */
    boolean remember(Place place, ManagedFlowLog orphan, Instant now) {
        Instant expiresAt = Objects.requireNonNull(orphan.expiresAt());
        return jdbc.sql(
                                """
                                insert into orphan_flow_log (flow_log_id, resource_id, recording_id, expires_at, due_at,
                                    noticed_at, account, region)
                                select :id, :resource, :recording, :expires, :expires, :now, :account, :region
                                where not exists (select 1 from orphan_flow_log where flow_log_id = :id)
                                """)
                        .param("id", orphan.flowLogId())
                        .param("resource", orphan.resourceId())
                        .param("recording", orphan.recordingId())
                        .param("expires", Timestamps.of(expiresAt))
                        .param("now", Timestamps.of(now))
                        .param("account", place.account())
                        .param("region", place.region())
                        .update()
                == 1;
    }

    /** The orphans not deleted yet. */
    List<Orphan> all() {
        return rows("where deleted_at is null");
    }

    private List<Orphan> rows(String where) {
        return jdbc.sql(
                        "select flow_log_id, resource_id, recording_id, expires_at, account, region from orphan_flow_log "
                                + where)
                .query((rs, n) -> {
                    String region = rs.getString("region");
                    return new Orphan(
                            region == null ? places.home() : new Place(rs.getString("account"), region),
                            new ManagedFlowLog(
                                    rs.getString("flow_log_id"),
                                    rs.getString("resource_id"),
                                    rs.getString("recording_id"),
                                    Timestamps.instant(rs, "expires_at")));
                })
                .list();
    }

    List<String> due(Instant now) {
        return jdbc.sql(
                        "select flow_log_id from orphan_flow_log where deleted_at is null and due_at <= :now order by due_at")
                .param("now", Timestamps.of(now))
                .query((rs, n) -> Objects.requireNonNull(rs.getString(1)))
                .list();
    }

    /** Takes a due orphan for this replica until {@code leaseEnd}; false if it is not due, gone, or another's. */
    boolean claim(String flowLogId, Instant now, Instant leaseEnd) {
        return jdbc.sql(
                                """
                        update orphan_flow_log set due_at = :lease
                        where flow_log_id = :id and due_at <= :now and deleted_at is null
                        """)
                        .param("lease", Timestamps.of(leaseEnd))
                        .param("id", flowLogId)
                        .param("now", Timestamps.of(now))
                        .update()
                == 1;
    }

    /** Its flow log was deleted: no timer, sweep or replica acts on it again. */
    void deleted(String flowLogId, Instant now) {
        jdbc.sql("update orphan_flow_log set deleted_at = :now where flow_log_id = :id")
                .param("now", Timestamps.of(now))
                .param("id", flowLogId)
                .update();
    }

    /** Claims given back after a delete that failed: due again now. */
    void release(List<String> flowLogIds, Instant now) {
        if (!flowLogIds.isEmpty()) {
            jdbc.sql("update orphan_flow_log set due_at = :now where flow_log_id in (:ids) and deleted_at is null")
                    .param("now", Timestamps.of(now))
                    .param("ids", flowLogIds)
                    .update();
        }
    }

    /** Forgets this place's orphans whose flow logs a fresh listing of the place no longer shows. */
    void forgetAbsent(Place place, java.util.Set<String> listed) {
        for (Orphan o : rows("")) {
            if (o.place().equals(place) && !listed.contains(o.flowLog().flowLogId())) {
                forget(o.flowLog().flowLogId());
            }
        }
    }

    void forget(String flowLogId) {
        jdbc.sql("delete from orphan_flow_log where flow_log_id = :id")
                .param("id", flowLogId)
                .update();
    }
}
