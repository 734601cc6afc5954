package dev.vpcflowlogs.recorder.notification;

import dev.vpcflowlogs.recorder.system.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Each recording's notification: due when, held by whom (the lease moves {@code due_at} forward while a replica
 * delivers it), and how it ended.
 */
@Repository
class NotificationStore {

    /** Where a notification is; the lower-case name is what the endpoints show. */
    enum Status {
        PENDING,
        SENT,
        /** A channel refused it for good: it is not tried again. */
        REJECTED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One notification as stored. */
    record Stored(
            String recordingId,
            Status status,
            Instant dueAt,
            int attempts,
            @Nullable String subject,
            @Nullable String body,
            @Nullable String error,
            @Nullable Instant sentAt) {}

    private static final String COLUMNS = "recording_id, status, due_at, attempts, subject, body, error, sent_at";

    private final JdbcClient jdbc;

    NotificationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A notification due at {@code dueAt}; a second insert for the same recording changes nothing. */
    void add(String recordingId, Instant dueAt, Instant now) {
        try {
            jdbc.sql(
                            """
                            insert into notification (recording_id, status, due_at, attempts, created_at)
                            values (:id, 'PENDING', :due, 0, :now)
                            """)
                    .param("id", recordingId)
                    .param("due", Timestamps.of(dueAt))
                    .param("now", Timestamps.of(now))
                    .update();
        } catch (DuplicateKeyException already) {
            // announced before (a retried transaction): the first stands
        }
    }

    Optional<Stored> find(String recordingId) {
        return jdbc.sql("select " + COLUMNS + " from notification where recording_id = :id")
                .param("id", recordingId)
                .query(this::stored)
                .optional();
    }

    /** Pending notifications due by {@code until}. */
    List<Stored> due(Instant until) {
        return jdbc.sql("select " + COLUMNS
                        + " from notification where status = 'PENDING' and due_at <= :until order by due_at")
                .param("until", Timestamps.of(until))
                .query(this::stored)
                .list();
    }

    /** Every pending notification, due or not. */
    List<Stored> pending() {
        return jdbc.sql("select " + COLUMNS + " from notification where status = 'PENDING' order by due_at")
                .query(this::stored)
                .list();
    }

    /**
     * Claims a due notification for this replica until {@code leaseEnd}: false if another replica has it, it is not
     * due, or it ended. A replica that dies while delivering leaves it to be claimed again once the lease ends.
     */
    boolean claim(String recordingId, Instant now, Instant leaseEnd) {
        return jdbc.sql(
                                """
                                update notification set due_at = :leaseEnd, attempts = attempts + 1
                                where recording_id = :id and status = 'PENDING' and due_at <= :now
                                """)
                        .param("leaseEnd", Timestamps.of(leaseEnd))
                        .param("id", recordingId)
                        .param("now", Timestamps.of(now))
                        .update()
                == 1;
    }

    /** It went out with this text; false if it had already ended. */
    boolean sent(String recordingId, Notification text, Instant at) {
        return jdbc.sql(
                                """
                                update notification set status = 'SENT', sent_at = :at, subject = :subject,
                                    body = :body, error = null
                                where recording_id = :id and status = 'PENDING'
                                """)
                        .param("at", Timestamps.of(at))
                        .param("subject", text.subject())
                        .param("body", text.body())
                        .param("id", recordingId)
                        .update()
                == 1;
    }

    /** A channel refused it for good, with this text: it ends here. */
    boolean rejected(String recordingId, Notification text, String error) {
        return jdbc.sql(
                                """
                                update notification set status = 'REJECTED', subject = :subject, body = :body,
                                    error = :error
                                where recording_id = :id and status = 'PENDING'
                                """)
                        .param("subject", text.subject())
                        .param("body", text.body())
                        .param("error", shortened(error))
                        .param("id", recordingId)
                        .update()
                == 1;
    }

    /** Makes a sent or rejected notification due again now; false if the recording has none, or it is pending. */
    boolean again(String recordingId, Instant now) {
        return jdbc.sql(
                                """
                                update notification set status = 'PENDING', due_at = :now, attempts = 0, error = null
                                where recording_id = :id and status <> 'PENDING'
                                """)
                        .param("now", Timestamps.of(now))
                        .param("id", recordingId)
                        .update()
                == 1;
    }

    /** A failed attempt: due again at {@code until}, with what went wrong. */
    void postpone(String recordingId, Instant until, String error) {
        jdbc.sql(
                        """
                        update notification set due_at = :until, error = :error
                        where recording_id = :id and status = 'PENDING'
                        """)
                .param("until", Timestamps.of(until))
                .param("error", shortened(error))
                .param("id", recordingId)
                .update();
    }

    /**
     * Notifications that replicas of the previous version stored on the recording itself and have not sent yet,
     * taken over: a rolling update loses none.
     */
    int adoptLegacy(Instant now) {
        return jdbc.sql(
                        """
                        insert into notification (recording_id, status, due_at, attempts, created_at)
                        select r.id, 'PENDING', r.notify_at, 0, :now from recording r
                        where r.notify_at is not null and r.notified_at is null
                          and not exists (select 1 from notification n where n.recording_id = r.id)
                        """)
                .param("now", Timestamps.of(now))
                .update();
    }

    private Stored stored(ResultSet rs, int row) throws SQLException {
        return new Stored(
                rs.getString("recording_id"),
                Status.valueOf(rs.getString("status")),
                Timestamps.required(rs, "due_at"),
                rs.getInt("attempts"),
                rs.getString("subject"),
                rs.getString("body"),
                rs.getString("error"),
                Timestamps.instant(rs, "sent_at"));
    }

    private static String shortened(String error) {
        return error.length() > 4000 ? error.substring(0, 3997) + "..." : error;
    }
}
