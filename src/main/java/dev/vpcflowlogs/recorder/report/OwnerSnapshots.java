package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingStarted;
import dev.vpcflowlogs.recorder.system.Failures;
import dev.vpcflowlogs.recorder.system.Timestamps;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
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
 */
@Component
class OwnerSnapshots {

    private static final Logger log = LoggerFactory.getLogger(OwnerSnapshots.class);
    /** Addresses kept per recording at most: a VPC's interfaces, whatever its size, cost a bounded row. */
    static final int MAX_ADDRESSES = 20_000;

    private static final TypeReference<List<AddressOwner>> OWNERS = new TypeReference<>() {};

    private final NetworkInterfaces interfaces;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final AsyncTaskExecutor executor;
    private final Clock clock;
    private final MeterRegistry meters;

    OwnerSnapshots(
            NetworkInterfaces interfaces,
            JdbcClient jdbc,
            JsonMapper json,
            @Qualifier("reportReaders") AsyncTaskExecutor executor,
            Clock clock,
            MeterRegistry meters) {
        this.interfaces = interfaces;
        this.jdbc = jdbc;
        this.json = json;
        this.executor = executor;
        this.clock = clock;
        this.meters = meters;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void onStarted(RecordingStarted started) {
        Recording r = started.recording();
        executor.execute(() -> take(r));
    }

    void take(Recording r) {
        try {
            String vpc = interfaces.networkOf(r.place(), r.gatewayId()).vpcId();
            List<AddressOwner> owners = interfaces.everyAddressOf(r.place(), vpc, MAX_ADDRESSES);
            jdbc.sql("insert into recording_owners (recording_id, taken_at, owners) values (:id, :at, :owners)")
                    .param("id", r.id())
                    .param("at", Timestamps.of(clock.instant()))
                    .param("owners", json.writeValueAsString(owners))
                    .update();
            meters.counter("recorder.owners.snapshots", "result", "taken").increment();
            log.info(
                    "Gateway {} recording {}: the owners of {} address(es) of {} are kept for its report.",
                    r.gatewayId(),
                    r.id(),
                    owners.size(),
                    vpc);
        } catch (DuplicateKeyException again) {
            // taken before (a redelivered start)
        } catch (RuntimeException e) {
            meters.counter("recorder.owners.snapshots", "result", "failed").increment();
            log.warn(
                    "Gateway {} recording {}: the owners of its VPC's addresses could not be read ({}); its report"
                            + " names those found when it is made.",
                    r.gatewayId(),
                    r.id(),
                    Failures.rootMessage(e));
        }
    }

    /** The owners kept for a recording, and when they were read. */
    record Snapshot(Instant takenAt, List<AddressOwner> owners) {}

    Optional<Snapshot> of(String recordingId) {
        return jdbc.sql("select taken_at, owners from recording_owners where recording_id = :id")
                .param("id", recordingId)
                .query((rs, n) -> new Snapshot(
                        Timestamps.instant(rs, "taken_at"), json.readValue(rs.getString("owners"), OWNERS)))
                .optional();
    }
}
