package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingState;
import dev.vpcflowlogs.recorder.report.StoredReport.Status;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes a recording's report: reads and sums its records by the engine that suits it ({@link RecordReader}) within
 * {@code recorder.report.timeout}, prices them, and stores the result (or why there is none). CloudWatch Logs receives flow log records
 * minutes late, so a first attempt that found a flow log silent, or could not read at all, is stored as waiting and
 * made again once after {@code recorder.report.retry-delay}; the second attempt is final and says which flow logs
 * delivered nothing.
 */
@Component
class ReportBuilder {

    private static final Logger log = LoggerFactory.getLogger(ReportBuilder.class);
    static final int FINAL_ATTEMPT = 2;

    /** What the JSON of a stored report holds. */
    record ReportDocument(
            SpikeReport report,
            CostEstimate costs,
            DeliveryReport delivery,
            Owners owners,
            @org.jspecify.annotations.Nullable CrossAz crossAz,
            @org.jspecify.annotations.Nullable ReadBy readBy) {}

    /** How far back the gateway's own traffic is read to estimate a month. */
    static final Duration HISTORY = Duration.ofDays(30);

    private final RecordReader reader;
    private final ReportStore store;
    private final RecorderProperties properties;
    private final JsonMapper json;
    private final Clock clock;
    private final MeterRegistry meters;
    private final NetworkInterfaces interfaces;
    private final GatewayTraffic traffic;
    private final OwnerSnapshots snapshots;

    ReportBuilder(
            RecordReader reader,
            ReportStore store,
            RecorderProperties properties,
            JsonMapper json,
            Clock clock,
            MeterRegistry meters,
            NetworkInterfaces interfaces,
            GatewayTraffic traffic,
            OwnerSnapshots snapshots) {
        this.interfaces = interfaces;
        this.traffic = traffic;
        this.snapshots = snapshots;
        this.reader = reader;
        this.store = store;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    /** The recording's report, made now unless a final one was made before. */
    ReportOutcome reportOf(Recording r) {
        Optional<StoredReport> stored = store.find(r.id());
        if (stored.isPresent() && stored.get().isFinal()) {
            return new ReportOutcome.Ready(stored.get());
        }
        int attempt = stored.map(StoredReport::attempts).orElse(0) + 1;
        StoredReport made = make(r, attempt);
        if (made.status() == Status.WAITING) {
            Instant at = clock.instant().plus(properties.report().retryDelay());
            store.save(made, clock.instant());
            log.info(
                    "Gateway {} recording {}: {}; the report is made again at {}.",
                    r.gatewayId(),
                    r.id(),
                    made.detail(),
                    at);
            return new ReportOutcome.Later(at, Objects.requireNonNull(made.detail()));
        }
        store.save(made, clock.instant());
        meters.counter("recorder.reports", "status", made.status().name().toLowerCase(Locale.ROOT))
                .increment();
        return new ReportOutcome.Ready(made);
    }

    private StoredReport make(Recording r, int attempt) {
        RecorderProperties.Report settings = properties.report();
        Duration interval = properties.flowLogs().maxAggregationInterval();
        Instant from = Objects.requireNonNull(r.startedAt()).minus(interval);
        Instant to = Objects.requireNonNull(r.endedAt()).plus(interval);
        RecordReader.Read read;
        try {
            read = reader.read(r, from, to);
        } catch (RecordReader.ReadFailed e) {
            return failed(r, e.interrupted() ? FINAL_ATTEMPT : attempt, Objects.requireNonNull(e.getMessage()));
        }
        FlowLogSource.Delivery delivery = read.delivery();
        List<String> silent = delivery.silent();
        if (!silent.isEmpty() && attempt < FINAL_ATTEMPT && mayWait(r)) {
            return new StoredReport(
                    r.id(), Status.WAITING, "no record yet from " + String.join(", ", silent), null, null, attempt);
        }
        SpikeReport report = read.report();
        NetworkInterfaces.GatewayNetwork network = null;
        String networkUnknown = null;
        try {
            network = interfaces.networkOf(r.place(), r.gatewayId());
        } catch (RuntimeException e) {
            networkUnknown = "the gateway's VPC could not be read: " + e.getMessage();
        }
        Owners everyAddress = owners(r, report, network, networkUnknown).withNextHops(read.nextHops(), clock.instant());
        Owners owners = everyAddress.only(addressesOf(report));
        CrossAz crossAz = network == null
                ? null
                : CrossAz.of(
                        r.regional(),
                        network.zones(),
                        read.internalHostTotals(),
                        everyAddress.zones(),
                        settings.pricesFor(r.place().region()).interAzPerGb());
        Long last30 = null;
        String last30Unknown = null;
        try {
            last30 = traffic.processedBytes(r.place(), r.gatewayId(), HISTORY);
        } catch (RuntimeException e) {
            last30Unknown = "its metrics could not be read: " + e.getMessage();
        }
        CostEstimate costs = CostEstimate.of(
                report,
                r.place().region(),
                settings,
                last30,
                last30Unknown,
                network == null ? 1 : network.zones().size());
        // The recording was started by its alarm: the gateway was busy, so a source without a record is odd.
        DeliveryReport deliveryReport = DeliveryReport.of(delivery, r.triggerEventId() != null);
        String summary = ReportSummary.render(report, costs, deliveryReport, owners, crossAz, read.by());
        log.info(
                "Gateway {} recording {}: report made by {} from {} record(s), NAT processed {} bytes{}.",
                r.gatewayId(),
                r.id(),
                read.by().engine(),
                report.records(),
                report.natProcessedBytes(),
                silent.isEmpty() ? "" : "; nothing delivered by " + silent);
        return new StoredReport(
                r.id(),
                Status.COMPLETE,
                null,
                json.writeValueAsString(new ReportDocument(report, costs, deliveryReport, owners, crossAz, read.by())),
                summary,
                attempt);
    }

    /**
     * Who held the report's internal addresses (its top hosts, and those of its top conversations): as kept while the
     * recording ran, every address of the VPC, which also gives every host's zone; and as found now.
     */
    private Owners owners(
            Recording r,
            SpikeReport report,
            NetworkInterfaces.@org.jspecify.annotations.Nullable GatewayNetwork network,
            @org.jspecify.annotations.Nullable String networkUnknown) {
        java.util.Set<String> wanted = addressesOf(report);
        Optional<OwnerSnapshots.Snapshot> kept = snapshots.of(r.id());
        List<AddressOwner> now = List.of();
        String note = networkUnknown;
        if (network != null) {
            try {
                now = interfaces.holding(r.place(), network.vpcId(), wanted);
            } catch (RuntimeException e) {
                note = "owners could not be read now: " + e.getMessage();
            }
        }
        if (kept.isEmpty() && note == null) {
            note = "no owners were kept while it recorded: those found when the report was made";
        }
        // Every kept address, not only those wanted: the zones of all hosts come from them.
        java.util.Set<String> addresses = new java.util.LinkedHashSet<>(wanted);
        kept.ifPresent(k -> k.owners().forEach(o -> addresses.add(o.address())));
        Owners all = Owners.of(
                addresses,
                kept.map(OwnerSnapshots.Snapshot::takenAt).orElse(null),
                kept.map(OwnerSnapshots.Snapshot::owners).orElse(List.of()),
                clock.instant(),
                now,
                note);
        return all;
    }

    /** The internal addresses a report names: its top hosts, and those of its top conversations. */
    static java.util.Set<String> addressesOf(SpikeReport report) {
        java.util.Set<String> wanted = new java.util.LinkedHashSet<>();
        report.internalHosts().forEach(h -> wanted.add(h.address()));
        report.conversations().forEach(c -> wanted.add(c.internalHost()));
        return wanted;
    }

    /**
     * Only a completed recording's notification waits for a second look: a failed one (its flow logs could not be
     * deleted) must reach its readers now.
     */
    private static boolean mayWait(Recording r) {
        return r.state() == RecordingState.COMPLETED;
    }

    /** Could not read: tried again once, then given up on. */
    private StoredReport failed(Recording r, int attempt, String why) {
        if (attempt < FINAL_ATTEMPT && mayWait(r)) {
            return new StoredReport(r.id(), Status.WAITING, why, null, null, attempt);
        }
        log.warn("Gateway {} recording {}: no report ({}).", r.gatewayId(), r.id(), why);
        return new StoredReport(r.id(), Status.FAILED, why, null, null, attempt);
    }
}
