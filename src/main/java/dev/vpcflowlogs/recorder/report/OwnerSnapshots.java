package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingStarted;
import dev.vpcflowlogs.recorder.system.Batcher;
import dev.vpcflowlogs.recorder.system.Failures;
import dev.vpcflowlogs.recorder.system.Timestamps;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who held each address of the gateway's VPC while the recording ran: once its flow logs exist, every interface of
 * the VPC is read (off the recording's path) and kept with the recording. The report names those owners, and those
 * it finds when it is made: an address handed to another owner in between shows both.
 *
 * <p>Recordings of one VPC that start within {@link #SHARED_FOR} of a reading share it: a burst of spikes in a VPC
 * costs one DescribeNatGateways per 200 gateways and one reading of the VPC, kept once, not one per recording.
 */
@Component
class OwnerSnapshots {

    private static final Logger log = LoggerFactory.getLogger(OwnerSnapshots.class);
    /** Addresses kept per reading at most: a VPC's interfaces, whatever its size, cost a bounded row. */
    static final int MAX_ADDRESSES = 20_000;
    /**
     * How old a reading of a VPC may be to serve a recording that starts now. Addresses change hands over minutes to
     * days; the report also asks who holds them when it is made.
     */
    static final Duration SHARED_FOR = Duration.ofMinutes(1);
    /** During a burst, how long starts wait to be read together (a start alone is read at once). */
    static final Duration WINDOW = Duration.ofSeconds(1);
    /** Recordings served by one turn of reading. */
    static final int MAX_RECORDINGS_PER_TURN = 1_000;

    private static final TypeReference<List<AddressOwner>> OWNERS = new TypeReference<>() {};

    private final NetworkInterfaces interfaces;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Batcher<Recording, Boolean> batcher;
    /** The latest reading of each VPC in this process, while it may be shared. */
    private final Map<Vpc, Reading> recent = new ConcurrentHashMap<>();
    /** A NAT gateway stays in the VPC it was made in. */
    private final Map<Gateway, String> vpcOfGateway = new ConcurrentHashMap<>();

    private record Vpc(Place place, String vpcId) {}

    private record Gateway(Place place, String natGatewayId) {}

    private record Reading(String id, Instant takenAt, int addresses) {}

    private final Workloads workloads;

    @org.springframework.beans.factory.annotation.Autowired
    OwnerSnapshots(
            NetworkInterfaces interfaces,
            JdbcClient jdbc,
            JsonMapper json,
            Clock clock,
            MeterRegistry meters,
            org.springframework.beans.factory.ObjectProvider<Workloads> workloads) {
        this(interfaces, jdbc, json, clock, meters, workloads.getIfAvailable(() -> Workloads.NONE));
    }

    OwnerSnapshots(NetworkInterfaces interfaces, JdbcClient jdbc, JsonMapper json, Clock clock, MeterRegistry meters) {
        this(interfaces, jdbc, json, clock, meters, Workloads.NONE);
    }

    OwnerSnapshots(
            NetworkInterfaces interfaces,
            JdbcClient jdbc,
            JsonMapper json,
            Clock clock,
            MeterRegistry meters,
            Workloads workloads) {
        this.workloads = workloads;
        this.interfaces = interfaces;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
        this.batcher = new Batcher<>("owner-snapshots", WINDOW, MAX_RECORDINGS_PER_TURN, this::takeAll);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void onStarted(RecordingStarted started) {
        batcher.submitAsync(List.of(started.recording()));
    }

    /** Keeps the owners of the VPC of each of these recordings; waits until it is done. */
    void take(List<Recording> recordings) {
        batcher.submit(recordings);
    }

    @PreDestroy
    void close() {
        batcher.close();
    }

    /** One turn: the gateways' VPCs, then one reading per VPC (or a recent one), named by each recording. */
    private Map<Recording, Boolean> takeAll(List<Recording> recordings) {
        Map<Place, List<Recording>> byPlace = new LinkedHashMap<>();
        recordings.forEach(
                r -> byPlace.computeIfAbsent(r.place(), p -> new ArrayList<>()).add(r));
        byPlace.forEach((place, started) -> {
            Map<String, List<Recording>> byVpc;
            try {
                byVpc = byVpc(place, started);
            } catch (RuntimeException e) {
                started.forEach(r -> failed(r, e));
                return;
            }
            byVpc.forEach((vpcId, ofVpc) -> {
                try {
                    Reading reading = readingOf(new Vpc(place, vpcId));
                    ofVpc.forEach(r -> keep(r, vpcId, reading));
                } catch (RuntimeException e) {
                    ofVpc.forEach(r -> failed(r, e));
                }
            });
        });
        return Map.of();
    }

    private Map<String, List<Recording>> byVpc(Place place, List<Recording> started) {
        List<String> unknown = started.stream()
                .map(Recording::gatewayId)
                .filter(id -> !vpcOfGateway.containsKey(new Gateway(place, id)))
                .distinct()
                .toList();
        if (!unknown.isEmpty()) {
            interfaces.vpcsOf(place, unknown).forEach((id, vpc) -> vpcOfGateway.put(new Gateway(place, id), vpc));
        }
        Map<String, List<Recording>> byVpc = new LinkedHashMap<>();
        for (Recording r : started) {
            String vpc = vpcOfGateway.get(new Gateway(place, r.gatewayId()));
            if (vpc == null) {
                failed(r, new IllegalStateException("DescribeNatGateways does not list " + r.gatewayId()));
            } else {
                byVpc.computeIfAbsent(vpc, v -> new ArrayList<>()).add(r);
            }
        }
        return byVpc;
    }

    private Reading readingOf(Vpc vpc) {
        Instant now = clock.instant();
        recent.values().removeIf(r -> r.takenAt().isBefore(now.minus(SHARED_FOR)));
        Reading shared = recent.get(vpc);
        if (shared != null) {
            return shared;
        }
        List<AddressOwner> owners = WorkloadOwners.attach(
                interfaces.everyAddressOf(vpc.place(), vpc.vpcId(), MAX_ADDRESSES), workloads.byAddress());
        Reading reading = new Reading(UUID.randomUUID().toString(), now, owners.size());
        jdbc.sql(
                        """
                        insert into owner_snapshot (id, vpc_id, taken_at, owners)
                        values (:id, :vpc, :at, :owners)
                        """)
                .param("id", reading.id())
                .param("vpc", vpc.vpcId())
                .param("at", Timestamps.of(reading.takenAt()))
                .param("owners", json.writeValueAsString(owners))
                .update();
        meters.counter("recorder.owners.readings").increment();
        recent.put(vpc, reading);
        return reading;
    }

    private void keep(Recording r, String vpcId, Reading reading) {
        try {
            jdbc.sql(
                            """
                            insert into recording_owners (recording_id, taken_at, snapshot_id)
                            values (:id, :at, :snapshot)
                            """)
                    .param("id", r.id())
                    .param("at", Timestamps.of(reading.takenAt()))
                    .param("snapshot", reading.id())
                    .update();
        } catch (DuplicateKeyException again) {
            return; // taken before (a redelivered start)
        }
        meters.counter("recorder.owners.snapshots", "result", "taken").increment();
        log.info(
                "Gateway {} recording {}: the owners of {} address(es) of {} are kept for its report.",
                r.gatewayId(),
                r.id(),
                reading.addresses(),
                vpcId);
    }

    private void failed(Recording r, RuntimeException e) {
        meters.counter("recorder.owners.snapshots", "result", "failed").increment();
        log.warn(
                "Gateway {} recording {}: the owners of its VPC's addresses could not be read ({}); its report"
                        + " names those found when it is made.",
                r.gatewayId(),
                r.id(),
                Failures.rootMessage(e));
    }

    /** The owners kept for a recording, and when they were read. */
    record Snapshot(Instant takenAt, List<AddressOwner> owners) {}

    Optional<Snapshot> of(String recordingId) {
        return jdbc.sql(
                        """
                        select o.taken_at, coalesce(o.owners, s.owners) as owners
                        from recording_owners o left join owner_snapshot s on s.id = o.snapshot_id
                        where o.recording_id = :id
                        """)
                .param("id", recordingId)
                .query((rs, n) -> new Snapshot(
                        Timestamps.required(rs, "taken_at"), json.readValue(rs.getString("owners"), OWNERS)))
                .optional();
    }
}
