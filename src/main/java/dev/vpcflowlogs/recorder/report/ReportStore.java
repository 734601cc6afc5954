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
        return jdbc.sql("select recording_id, status, detail, report, summary from recording_report"
                        + " where recording_id = :id")
                .param("id", recordingId)
                .query((rs, n) -> new StoredReport(
                        rs.getString("recording_id"),
                        StoredReport.Status.valueOf(rs.getString("status")),
                        rs.getString("detail"),
                        rs.getString("report"),
                        rs.getString("summary")))
                .optional();
    }

    void save(StoredReport report, Instant at) {
        try {
            jdbc.sql(
                            """
                            insert into recording_report (recording_id, status, detail, report, summary, created_at)
                            values (:id, :status, :detail, :report, :summary, :at)
                            """)
                    .param("id", report.recordingId())
                    .param("status", report.status().name())
                    .param("detail", report.detail())
                    .param("report", report.json())
                    .param("summary", report.summary())
                    .param("at", Timestamps.of(at))
                    .update();
        } catch (DuplicateKeyException alreadyStored) {
            // a retried notification found its report already made
        }
    }
}
