package dev.vpcflowlogs.recorder.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpcflowlogs.recorder.TestDatabase;
import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AlarmCleared;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AlarmRaised;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.DeadlineReached;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.FlowLogsCreated;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.FlowLogsDeleted;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.OptimisticLockingFailureException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the recording module's stores must do on every database the recorder supports: H2 in the fast tier
 * ({@link RecordingStoreTest}), PostgreSQL in the integration tier ({@link RecordingStorePostgresIT}).
 */
abstract class RecordingStoreContract {

    static final String GW = "nat-0a1b2c3d4e5f60718";
    static final Instant T0 = Instant.parse("2026-11-20T09:14:41.123456Z");
    static final RecordingPolicy POLICY =
            new RecordingPolicy(Duration.ofMinutes(2), Duration.ofMinutes(15), 0, Duration.ofSeconds(30));

    TestDatabase database;
    RecordingStore recordings;
    GatewayStore gateways;
    HandledEvents handled;

    abstract TestDatabase newDatabase();

    @BeforeEach
    void migrate() {
        database = newDatabase();
        recordings = new RecordingStore(database.jdbc(), JsonMapper.builder().build(), TestProperties.places());
        gateways = new GatewayStore(database.jdbc(), recordings, TestProperties.places());
        handled = new HandledEvents(database.jdbc());
    }

    @AfterEach
    void drop() {
        database.close();
    }

    Recording step(RecordingEvent event, Instant now) {
        GatewaySnapshot gateway = gateways.snapshot(GW);
        return gateways.apply(gateway, Transitions.decide(gateway, event, now, POLICY));
    }

    @Test
    void createsAGatewayRowOnFirstSight() {
        GatewaySnapshot gateway = gateways.snapshot(GW);

        assertThat(gateway.active()).isNull();
        assertThat(gateway.recordingsStarted()).isZero();
        assertThat(gateway.lastStateTime()).isNull();
        assertThat(gateways.snapshot(GW).version()).isEqualTo(gateway.version());
    }

    @Test
    void storesEachStepAndReadsEveryFieldBack() {
        Recording starting = step(new AlarmRaised("e1", T0, "r1", TestProperties.HOME), T0);
        GatewaySnapshot afterAlarm = gateways.snapshot(GW);
        assertThat(afterAlarm.active()).isEqualTo(starting);
        assertThat(afterAlarm.recordingsStarted()).isEqualTo(1);
        assertThat(afterAlarm.lastStateTime()).isEqualTo(T0);

        ResourceFailure failure = new ResourceFailure("eni-c", "FlowLogAlreadyExists", "exists \"quoted\"");
        step(
                new FlowLogsCreated(
                        "r1",
                        GatewayMode.ZONAL,
                        List.of("eni-a", "eni-b", "eni-c"),
                        List.of("fl-1", "fl-2"),
                        List.of(failure)),
                T0.plusSeconds(1));
        Recording tailing = step(new AlarmCleared("e2", T0.plusSeconds(60)), T0.plusSeconds(61));

        Recording read = recordings.find("r1").orElseThrow();
        assertThat(read).isEqualTo(tailing);
        assertThat(read.state()).isEqualTo(RecordingState.TAILING);
        assertThat(read.resourceIds()).containsExactly("eni-a", "eni-b", "eni-c");
        assertThat(read.recordedResourceIds()).containsExactly("eni-a", "eni-b");
        assertThat(read.flowLogIds()).containsExactly("fl-1", "fl-2");
        assertThat(read.resourceFailures()).containsExactly(failure);
        assertThat(read.tailEndsAt()).isEqualTo(T0.plusSeconds(61 + 120));
        assertThat(read.createdAt()).isEqualTo(T0.truncatedTo(ChronoUnit.MICROS));
    }

    @Test
    void aRegionalRecordingKeepsItsModeAndReadsItsStreamsUnderTheGatewayAndItsFlowLog() {
        step(new AlarmRaised("e1", T0, "r1", TestProperties.HOME), T0);
        step(
                new FlowLogsCreated("r1", GatewayMode.REGIONAL, List.of(GW), List.of("fl-1"), List.of()),
                T0.plusSeconds(1));

        Recording read = recordings.find("r1").orElseThrow();

        assertThat(read.mode()).isEqualTo(GatewayMode.REGIONAL);
        assertThat(read.resourceIds()).containsExactly(GW);
        assertThat(read.streamSources()).containsExactly(java.util.Map.entry(GW, List.of(GW, "fl-1")));
    }

    @Test
    void aRecordingStoredBeforeRegionalGatewaysReadsItsInterfaceFailuresBack() {
        step(new AlarmRaised("e1", T0, "r1", TestProperties.HOME), T0);
        step(
                new FlowLogsCreated("r1", GatewayMode.ZONAL, List.of("eni-a", "eni-b"), List.of("fl-1"), List.of()),
                T0.plusSeconds(1));
        // As V5 stored it: failures keyed by interfaceId.
        database.jdbc()
                .sql("update recording set interface_failures = :json where id = 'r1'")
                .param("json", "[{\"interfaceId\":\"eni-b\",\"code\":\"FlowLogsLimitExceeded\",\"message\":\"limit\"}]")
                .update();

        Recording read = recordings.find("r1").orElseThrow();

        assertThat(read.resourceFailures())
                .containsExactly(new ResourceFailure("eni-b", "FlowLogsLimitExceeded", "limit"));
        assertThat(read.recordedResourceIds()).containsExactly("eni-a");
    }

    @Test
    void aFinishedRecordingReleasesItsGateway() {
        step(new AlarmRaised("e1", T0, "r1", TestProperties.HOME), T0);
        step(
                new FlowLogsCreated("r1", GatewayMode.ZONAL, List.of("eni-a"), List.of("fl-1"), List.of()),
                T0.plusSeconds(1));
        step(new DeadlineReached("r1"), T0.plus(Duration.ofMinutes(16)));
        Recording completed = step(new FlowLogsDeleted("r1"), T0.plus(Duration.ofMinutes(16)));

        assertThat(completed.state()).isEqualTo(RecordingState.COMPLETED);
        assertThat(gateways.snapshot(GW).active()).isNull();
        assertThat(recordings.active()).isEmpty();
        assertThat(recordings.recent(10)).extracting(Recording::state).containsExactly(RecordingState.COMPLETED);
    }

    @Test
    void aStaleSnapshotOfTheGatewayIsRefused() {
        GatewaySnapshot stale = gateways.snapshot(GW);
        step(new AlarmRaised("e1", T0, "r1", TestProperties.HOME), T0);

        Decision late = Transitions.decide(stale, new AlarmRaised("e2", T0, "r2", TestProperties.HOME), T0, POLICY);
        assertThatThrownBy(() -> gateways.apply(stale, late)).isInstanceOf(OptimisticLockingFailureException.class);
        assertThat(recordings.find("r2")).isEmpty();
    }

    @Test
    void aStaleVersionOfARecordingIsRefused() {
        step(new AlarmRaised("e1", T0, "r1", TestProperties.HOME), T0);
        GatewaySnapshot gateway = gateways.snapshot(GW);
        Recording outdated = gateway.active().withVersion(gateway.active().version() + 5);
        GatewaySnapshot forged = new GatewaySnapshot(GW, T0, 1, outdated, null, gateway.version());

        Decision d = Transitions.decide(forged, new AlarmCleared("e2", T0.plusSeconds(1)), T0.plusSeconds(1), POLICY);
        assertThatThrownBy(() -> gateways.apply(forged, d)).isInstanceOf(OptimisticLockingFailureException.class);
    }

    @Test
    void findsTheRecordingsWhoseDeadlineHasCome() {
        Recording starting = step(new AlarmRaised("e1", T0, "r1", TestProperties.HOME), T0);

        assertThat(recordings.due(starting.nextDeadline().minusMillis(1))).isEmpty();
        assertThat(recordings.due(starting.nextDeadline()))
                .extracting(Recording::id)
                .containsExactly("r1");
        assertThat(recordings.countActive()).isEqualTo(1);
    }

    @Test
    void remembersHandledEventsPerGatewayAndForgetsOldOnes() {
        SignalOutcome acted = new SignalOutcome(Verdict.ACTED, Reason.RECORDING_STARTED);
        handled.add("e1", GW, acted, T0);
        handled.add("e1", GW, acted, T0);

        assertThat(handled.contains("e1", GW)).isTrue();
        assertThat(handled.contains("e1", "nat-0000000000000000f")).isFalse();
        assertThat(handled.contains("e2", GW)).isFalse();
        assertThat(handled.forgetBefore(T0.plusSeconds(1))).isEqualTo(1);
        assertThat(handled.contains("e1", GW)).isFalse();
    }
}
