package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.system.Timestamps;
import java.time.Duration;
import java.time.Instant;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The alarm events already handled, per gateway, so that a redelivered event makes no second AWS call. */
@Repository
class HandledEvents {

    /** How long a handled event id is remembered; SQS keeps a message at most 14 days. */
    static final Duration WINDOW = Duration.ofDays(14);

    private final JdbcClient jdbc;

    HandledEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean contains(String eventId, String gatewayId) {
        return jdbc.sql("select count(*) from processed_event where event_id = :event and gateway_id = :gateway")
                        .param("event", eventId)
                        .param("gateway", gatewayId)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    void add(String eventId, String gatewayId, SignalOutcome outcome, Instant at) {
        try {
            jdbc.sql(
                            """
                            insert into processed_event (event_id, gateway_id, verdict, reason, handled_at)
                            values (:event, :gateway, :verdict, :reason, :at)
                            """)
                    .param("event", eventId)
                    .param("gateway", gatewayId)
                    .param("verdict", outcome.verdict().name())
                    .param("reason", outcome.reason().tag())
                    .param("at", Timestamps.of(at))
                    .update();
        } catch (DuplicateKeyException alreadyMarked) {
            // a redelivery raced this one; the first mark stands
        }
    }

    int forgetBefore(Instant cutoff) {
        return jdbc.sql("delete from processed_event where handled_at < :cutoff")
                .param("cutoff", Timestamps.of(cutoff))
                .update();
    }
}
