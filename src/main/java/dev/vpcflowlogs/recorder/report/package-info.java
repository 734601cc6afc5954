/**
 * The spike report: after a recording ends, its flow log records are read from a {@code FlowLogSource} (CloudWatch
 * Logs, implemented by the {@code aws} module), summed in one pass and bounded memory by the {@code engine}, priced,
 * and stored. {@code SpikeReports} gives the report to the notification; {@code ReportQueries} to the endpoints.
 */
@NullMarked
package dev.vpcflowlogs.recorder.report;

import org.jspecify.annotations.NullMarked;
