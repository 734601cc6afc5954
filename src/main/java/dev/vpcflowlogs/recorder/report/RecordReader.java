package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.FlowLogFormat;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.config.RecorderProperties.Report.Engine;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.report.FlowLogQueries.QueryFailed;
import dev.vpcflowlogs.recorder.report.LogGroupVolume.Volume;
import dev.vpcflowlogs.recorder.report.engine.FlowLogAnalyzer;
import dev.vpcflowlogs.recorder.report.engine.NextHop;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Reads a recording's records within {@code recorder.report.timeout}, by the engine that suits it: streaming them
 * through the recorder (FilterLogEvents, about 10,000 records a second at 4 calls a second), or CloudWatch Logs
 * Insights, which sums them beside the data at $0.005 a GB scanned. The choice is made before reading, from what AWS
 * says of the log group: its class (Infrequent Access is read by Insights only) and the records it received in the
 * recording's window (AWS/Logs IncomingLogEvents, every stream of the group: an upper bound of the recording's own).
 * When Insights fails, is throttled or refuses the query, the records are streamed in the time left, if the class
 * allows it; the report says so.
 */
@Component
class RecordReader {

    private static final Logger log = LoggerFactory.getLogger(RecordReader.class);

    /** What was read, and how. */
    record Read(
            SpikeReport report,
            Map<String, Long> internalHostTotals,
            FlowLogSource.Delivery delivery,
            ReadBy by,
            Map<String, NextHop> nextHops) {}

    /** No engine could read the records; {@code getMessage()} says why. */
    static final class ReadFailed extends Exception {
        private final boolean interrupted;

        ReadFailed(String why, boolean interrupted) {
            super(why);
            this.interrupted = interrupted;
        }

        boolean interrupted() {
            return interrupted;
        }
    }

    private final FlowLogSource source;
    private final FlowLogQueries queries;
    private final LogGroupVolume volumes;
    private final RecorderProperties.Report settings;
    private final FlowLogFormat format;
    private final Places places;
    private final AsyncTaskExecutor readers;
    private final Clock clock;
    private final MeterRegistry meters;

    RecordReader(
            FlowLogSource source,
            FlowLogQueries queries,
            LogGroupVolume volumes,
            RecorderProperties properties,
            Places places,
            @Qualifier("reportReaders") AsyncTaskExecutor readers,
            Clock clock,
            MeterRegistry meters) {
        this.source = source;
        this.queries = queries;
        this.volumes = volumes;
        this.settings = properties.report();
        this.format = properties.flowLogs().format();
        this.places = places;
        this.readers = readers;
        this.clock = clock;
        this.meters = meters;
    }

    Read read(Recording r, Instant from, Instant to) throws ReadFailed {
        Instant deadline = clock.instant().plus(settings.timeout());
        Future<Read> reading = readers.submit(() -> readNow(r, from, to, deadline));
        try {
            return reading.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reading.cancel(true);
            throw new ReadFailed(
                    "the report timed out after " + settings.timeout().toSeconds() + "s", false);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ReadFailed("the flow log records could not be read: " + cause.getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reading.cancel(true);
            throw new ReadFailed("the report was interrupted", true);
        }
    }

    private Read readNow(Recording r, Instant from, Instant to, Instant deadline) {
        String group = places.logGroup(r.place());
        Volume volume = null;
        String volumeUnknown = null;
        try {
            volume = volumes.of(r.place(), group, from, clock.instant());
        } catch (RuntimeException e) {
            volumeUnknown = e.getMessage();
        }
        String logGroupClass = volume == null ? Volume.STANDARD : volume.logGroupClass();
        Choice choice = choose(volume, volumeUnknown);
        if (!choice.insights()) {
            try {
                return stream(r, group, from, to, choice, null, logGroupClass, volume);
            } catch (TooBigToStream big) {
                log.info(
                        "Gateway {} recording {}: {}; Logs Insights reads it instead.",
                        r.gatewayId(),
                        r.id(),
                        big.getMessage());
                choice = new Choice(true, false, java.util.Objects.requireNonNull(big.getMessage()));
            }
        }
        return byInsights(r, group, from, to, deadline, choice, logGroupClass, volume);
    }

    /** The report by Logs Insights; when it gives no answer, by streaming in the time left (if the class allows). */
    private Read byInsights(
            Recording r,
            String group,
            Instant from,
            Instant to,
            Instant deadline,
            Choice choice,
            String logGroupClass,
            @Nullable Volume volume) {
        boolean infrequent = volume != null && volume.infrequentAccess();
        try {
            InsightsReader.Read read = new InsightsReader(
                            queries, format, settings.top(), settings.insights().maxQueries())
                    .read(r.place(), group, r.regional(), r.streamSources(), from, to, deadline);
            meters.counter("recorder.report.insights.scanned.bytes").increment(read.bytesScanned());
            return new Read(
                    read.report(),
                    read.internalHostTotals(),
                    read.delivery(),
                    readBy(
                            r,
                            ReadBy.INSIGHTS,
                            choice.why(),
                            null,
                            read.queries(),
                            read.bytesScanned(),
                            logGroupClass,
                            volume,
                            read.report().records(),
                            read.deliveredMessageBytes()),
                    read.nextHops());
        } catch (QueryFailed e) {
            meters.counter(
                            "recorder.report.insights.failures",
                            "kind",
                            e.kind().name().toLowerCase(Locale.ROOT))
                    .increment();
            if (infrequent || e.kind() == QueryFailed.Kind.TIMED_OUT) {
                throw e;
            }
            log.warn(
                    "Gateway {} recording {}: Logs Insights gave no answer ({}); its records are streamed instead.",
                    r.gatewayId(),
                    r.id(),
                    e.getMessage());
            return stream(
                    r,
                    group,
                    from,
                    to,
                    new Choice(false, false, choice.why()),
                    "Logs Insights gave no answer: " + e.getMessage(),
                    logGroupClass,
                    volume);
        }
    }

    /** Streaming found the recording too big for it: its records so far project past the threshold. */
    private static final class TooBigToStream extends RuntimeException {
        TooBigToStream(String message) {
            super(message, null, false, false);
        }
    }

    private Read stream(
            Recording r,
            String group,
            Instant from,
            Instant to,
            Choice choice,
            @Nullable String fallback,
            String logGroupClass,
            @Nullable Volume volume) {
        String why = choice.why();
        FlowLogAnalyzer analyzer = new FlowLogAnalyzer(format.fields(), settings.top(), settings.capacity());
        long[] size = new long[2];
        long above = settings.insights().above();
        long start = from.toEpochMilli();
        double window = Math.max(1, to.toEpochMilli() - start);
        FlowLogSource.Delivery delivery =
                source.read(r.place(), group, r.streamSources(), from, to, (timestamp, message) -> {
                    size[0] += message.length();
                    analyzer.accept(timestamp, message);
                    // Records come in time order: those read so far, spread over the window, tell its total.
                    if (choice.probe() && ++size[1] % PROBE_EVERY == 0) {
                        double projected = size[1] * window / Math.max(1, timestamp - start);
                        if (projected > above) {
                            throw new TooBigToStream(String.format(
                                    "streaming read %,d of its records in %.0f%% of the window, about %,.0f in"
                                            + " all, more than recorder.report.insights.above (%,d)",
                                    size[1], 100.0 * (timestamp - start) / window, projected, above));
                        }
                    }
                });
        SpikeReport report = analyzer.report();
        return new Read(
                report,
                analyzer.internalHostTotals(),
                delivery,
                readBy(r, ReadBy.STREAMING, why, fallback, 0, 0, logGroupClass, volume, report.records(), size[0]),
                analyzer.nextHopsOf(ReportBuilder.addressesOf(report)));
    }

    /** How often streaming checks whether the recording is too big for it, in records. */
    static final int PROBE_EVERY = 1_000;

    /**
     * Which engine, and why; {@code probe}: stream, but hand over to Insights once the recording's own records show it
     * is bigger than the threshold (the group's volume is an upper bound: other recordings write to it too).
     */
    record Choice(boolean insights, boolean probe, String why) {}

    Choice choose(@Nullable Volume volume, @Nullable String volumeUnknown) {
        if (volume != null && volume.infrequentAccess()) {
            return new Choice(
                    true, false, "the log group is of the Infrequent Access class, read by Logs Insights only");
        }
        if (!InsightsReader.canRead(format)) {
            return new Choice(
                    false, false, "the log format cannot tell the NAT's two sides apart, which Insights needs");
        }
        if (settings.engine() == Engine.INSIGHTS) {
            return new Choice(true, false, "recorder.report.engine is insights");
        }
        if (settings.engine() == Engine.STREAMING) {
            return new Choice(false, false, "recorder.report.engine is streaming");
        }
        if (volume == null) {
            return new Choice(false, true, "the log group's volume is unknown (" + volumeUnknown + ")");
        }
        long above = settings.insights().above();
        if (volume.events() == null) {
            // CloudWatch publishes a group's metrics a little late: no data point is no proof of a small recording.
            return new Choice(false, true, "the log group's IncomingLogEvents has no data point for the window yet");
        }
        long events = volume.events();
        return events > above
                ? new Choice(
                        false,
                        true,
                        String.format(
                                "the log group received %,d records in the window, more than"
                                        + " recorder.report.insights.above (%,d), but few were the recording's own",
                                events, above))
                : new Choice(
                        false,
                        false,
                        String.format(
                                "the log group received %,d records in the window, at most"
                                        + " recorder.report.insights.above (%,d)",
                                events, above));
    }

    private ReadBy readBy(
            Recording r,
            String engine,
            String why,
            @Nullable String fallback,
            int asked,
            long scanned,
            String logGroupClass,
            @Nullable Volume volume,
            long records,
            long messageBytes) {
        RecorderProperties.Prices prices = settings.pricesFor(r.place().region());
        long delivered = messageBytes;
        String deliveredFrom = "the size of its records";
        if (volume != null && volume.bytes() != null && volume.events() != null && volume.events() > 0) {
            if (records >= volume.events()) {
                delivered = volume.bytes();
                deliveredFrom = "AWS/Logs IncomingBytes of the log group in its window";
            } else {
                delivered = Math.round((double) volume.bytes() * records / volume.events());
                deliveredFrom = "its share by records of the log group's AWS/Logs IncomingBytes in its window";
            }
        }
        return new ReadBy(
                engine,
                why,
                fallback,
                asked,
                scanned,
                CostEstimate.cost(scanned, prices.insightsPerGb()),
                logGroupClass,
                delivered,
                deliveredFrom,
                CostEstimate.cost(delivered, prices.flowLogsPerGb(logGroupClass)));
    }
}
