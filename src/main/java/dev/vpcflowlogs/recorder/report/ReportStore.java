package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.system.Timestamps;
import java.time.Instant;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each recording's report: its JSON, and the summary (or the reason there is none) its notification carried. */
@Repository
class ReportStore {

    private final JdbcClient jdbc;

    ReportStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<StoredReport> find(String recordingId) {
        return jdbc.sql("select recording_id, status, detail, report, summary, attempts from recording_report"
                        + " where recording_id = :id")
                .param("id", recordingId)
                .query((rs, n) -> new StoredReport(
                        rs.getString("recording_id"),
                        StoredReport.Status.valueOf(rs.getString("status")),
                        rs.getString("detail"),
                        rs.getString("report"),
                        rs.getString("summary"),
                        rs.getInt("attempts")))
                .optional();
    }

    /** Stores the report, replacing one that was waiting; a final report is never replaced. */
    void save(StoredReport report, Instant at) {
        int replaced = jdbc.sql(
                        """
                        update recording_report set status = :status, detail = :detail, report = :report,
                            summary = :summary, attempts = :attempts, created_at = :at
                        where recording_id = :id and status = 'WAITING'
                        """)
                .param("status", report.status().name())
                .param("detail", report.detail())
                .param("report", report.json())
                .param("summary", report.summary())
                .param("attempts", report.attempts())
                .param("at", Timestamps.of(at))
                .param("id", report.recordingId())
                .update();
        if (replaced == 1) {
            return;
        }
        try {
            jdbc.sql(
                            """
                            insert into recording_report (recording_id, status, detail, report, summary, attempts,
                                created_at)
                            values (:id, :status, :detail, :report, :summary, :attempts, :at)
                            """)
                    .param("id", report.recordingId())
                    .param("status", report.status().name())
                    .param("detail", report.detail())
                    .param("report", report.json())
                    .param("summary", report.summary())
                    .param("attempts", report.attempts())
                    .param("at", Timestamps.of(at))
                    .update();
        } catch (DuplicateKeyException alreadyStored) {
            // another replica, or a retried notification, stored it first
        }
    }
}
