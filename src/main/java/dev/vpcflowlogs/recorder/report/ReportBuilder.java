package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.FlowLogFormat;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.report.StoredReport.Status;
import dev.vpcflowlogs.recorder.report.engine.FlowLogAnalyzer;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport;
import dev.vpcflowlogs.recorder.system.DeploymentRegion;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes a recording's report once: reads its records from the {@link FlowLogSource} within
 * {@code recorder.report.timeout}, sums them, prices them, and stores the result (or why there is none).
 */
@Component
class ReportBuilder {

    private static final Logger log = LoggerFactory.getLogger(ReportBuilder.class);

    /** What the JSON of a stored report holds. */
    record ReportDocument(SpikeReport report, CostEstimate costs) {}

    private final FlowLogSource source;
    private final ReportStore store;
    private final RecorderProperties properties;
    private final FlowLogFormat format;
    private final DeploymentRegion region;
    private final AsyncTaskExecutor readers;
    private final JsonMapper json;
    private final Clock clock;
    private final MeterRegistry meters;

    ReportBuilder(
            FlowLogSource source,
            ReportStore store,
            RecorderProperties properties,
            DeploymentRegion region,
            @Qualifier("reportReaders") AsyncTaskExecutor readers,
            JsonMapper json,
            Clock clock,
            MeterRegistry meters) {
        this.source = source;
        this.store = store;
        this.properties = properties;
        this.format = properties.flowLogs().format();
        this.region = region;
        this.readers = readers;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    /** The recording's report, made now unless it was made before. */
    StoredReport reportOf(Recording r) {
        return store.find(r.id()).orElseGet(() -> {
            StoredReport made = make(r);
            store.save(made, clock.instant());
            meters.counter("recorder.reports", "status", made.status().name().toLowerCase(java.util.Locale.ROOT))
                    .increment();
            return made;
        });
    }

    private StoredReport make(Recording r) {
        RecorderProperties.Report settings = properties.report();
        Duration interval = properties.flowLogs().maxAggregationInterval();
        Instant from = r.startedAt().minus(interval);
        Instant to = r.endedAt().plus(interval);
        FlowLogAnalyzer analyzer = new FlowLogAnalyzer(format.fields(), settings.top(), settings.capacity());
        Future<?> reading = readers.submit(
                () -> source.read(properties.flowLogs().logGroup(), r.interfaceIds(), from, to, analyzer::accept));
        try {
            reading.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reading.cancel(true);
            return failed(r, "the report timed out after " + settings.timeout().toSeconds() + "s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return failed(r, "the flow log records could not be read: " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reading.cancel(true);
            return failed(r, "the report was interrupted");
        }
        SpikeReport report = analyzer.report();
        CostEstimate costs = CostEstimate.of(report, r.recordedFor(), region.id(), settings);
        String summary = ReportSummary.render(report, costs);
        log.info(
                "Gateway {} recording {}: report made from {} record(s), NAT processed {} bytes.",
                r.gatewayId(),
                r.id(),
                report.records(),
                report.natProcessedBytes());
        return new StoredReport(
                r.id(), Status.COMPLETE, null, json.writeValueAsString(new ReportDocument(report, costs)), summary);
    }

    private StoredReport failed(Recording r, String why) {
        log.warn("Gateway {} recording {}: no report ({}).", r.gatewayId(), r.id(), why);
        return new StoredReport(r.id(), Status.FAILED, why, null, null);
    }
}
