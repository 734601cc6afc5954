package dev.vpcflowlogs.recorder.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpcflowlogs.recorder.e2e.RecorderHarness;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AlarmCleared;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AlarmRaised;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.DeadlineReached;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.FlowLogsCreated;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.FlowLogsDeleted;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import tools.jackson.databind.json.JsonMapper;

/** What the store must do on every database it supports: each test runs on H2 and on PostgreSQL. */
@ParameterizedClass(name = "{0}")
@MethodSource("databases")
class RecordingStoreTest {

    static final String GW = "nat-0a1b2c3d4e5f60718";
    static final Instant T0 = Instant.parse("2026-11-20T09:14:41.123456Z");
    static final RecordingPolicy POLICY = new RecordingPolicy(
            Duration.ofMinutes(2), Duration.ofMinutes(15), 0, Duration.ofSeconds(30), Duration.ofMinutes(5));

    /** A database to test on: a fresh, empty one (or schema) per test. */
    interface Database {
        DataSource create(String name);

        /** The schema Flyway migrates into, or null for the connection's default. */
        String schema(String name);

        void drop(DataSource dataSource, String name);
    }

    static Stream<Named<Database>> databases() {
        Database h2 = new Database() {
            public DataSource create(String name) {
                return new SimpleDriverDataSource(
                        new org.h2.Driver(), "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
            }

            public String schema(String name) {
                return null;
            }

            public void drop(DataSource dataSource, String name) {
                JdbcClient.create(dataSource).sql("shutdown").update();
            }
        };
        Database postgres = new Database() {
            public DataSource create(String name) {
                return new SimpleDriverDataSource(
                        new org.postgresql.Driver(),
                        RecorderHarness.postgresUrl() + "?currentSchema=" + name,
                        RecorderHarness.postgresUser(),
                        RecorderHarness.postgresPassword());
            }

            public String schema(String name) {
                return name;
            }

            public void drop(DataSource dataSource, String name) {
                JdbcClient.create(dataSource)
                        .sql("drop schema " + name + " cascade")
                        .update();
            }
        };
        return Stream.of(Named.of("H2", h2), Named.of("PostgreSQL", postgres));
    }

    @Parameter
    Database database;

    final String name = "store_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    DataSource dataSource;
    RecordingStore store;

    @BeforeEach
    void migrate() {
        dataSource = database.create(name);
        var flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
        if (database.schema(name) != null) {
            flyway.schemas(database.schema(name)).createSchemas(true);
        }
        flyway.load().migrate();
        store = new RecordingStore(
                JdbcClient.create(dataSource), JsonMapper.builder().build());
    }

    @AfterEach
    void drop() {
        database.drop(dataSource, name);
    }

    Recording step(RecordingEvent event, Instant now) {
        GatewaySnapshot gateway = store.gateway(GW);
        return store.apply(gateway, Transitions.decide(gateway, event, now, POLICY));
    }

    @Test
    void createsAGatewayRowOnFirstSight() {
        GatewaySnapshot gateway = store.gateway(GW);

        assertThat(gateway.active()).isNull();
        assertThat(gateway.recordingsStarted()).isZero();
        assertThat(gateway.lastStateTime()).isNull();
        assertThat(store.gateway(GW).version()).isEqualTo(gateway.version());
    }

    @Test
    void storesEachStepAndReadsEveryFieldBack() {
        Recording starting = step(new AlarmRaised("e1", T0, "r1"), T0);
        GatewaySnapshot afterAlarm = store.gateway(GW);
        assertThat(afterAlarm.active()).isEqualTo(starting);
        assertThat(afterAlarm.recordingsStarted()).isEqualTo(1);
        assertThat(afterAlarm.lastStateTime()).isEqualTo(T0);

        InterfaceFailure failure = new InterfaceFailure("eni-c", "FlowLogAlreadyExists", "exists \"quoted\"");
        step(
                new FlowLogsCreated(
                        "r1", List.of("eni-a", "eni-b", "eni-c"), List.of("fl-1", "fl-2"), List.of(failure)),
                T0.plusSeconds(1));
        Recording tailing = step(new AlarmCleared("e2", T0.plusSeconds(60)), T0.plusSeconds(61));

        Recording read = store.find("r1").orElseThrow();
        assertThat(read).isEqualTo(tailing);
        assertThat(read.state()).isEqualTo(RecordingState.TAILING);
        assertThat(read.interfaceIds()).containsExactly("eni-a", "eni-b", "eni-c");
        assertThat(read.flowLogIds()).containsExactly("fl-1", "fl-2");
        assertThat(read.interfaceFailures()).containsExactly(failure);
        assertThat(read.tailEndsAt()).isEqualTo(T0.plusSeconds(61 + 120));
        assertThat(read.createdAt()).isEqualTo(T0.truncatedTo(ChronoUnit.MICROS));
    }

    @Test
    void aFinishedRecordingReleasesItsGateway() {
        step(new AlarmRaised("e1", T0, "r1"), T0);
        step(new FlowLogsCreated("r1", List.of("eni-a"), List.of("fl-1"), List.of()), T0.plusSeconds(1));
        step(new DeadlineReached("r1"), T0.plus(Duration.ofMinutes(16)));
        Recording completed = step(new FlowLogsDeleted("r1"), T0.plus(Duration.ofMinutes(16)));

        assertThat(completed.state()).isEqualTo(RecordingState.COMPLETED);
        assertThat(store.gateway(GW).active()).isNull();
        assertThat(store.active()).isEmpty();
        assertThat(store.recent(10)).extracting(Recording::state).containsExactly(RecordingState.COMPLETED);
    }

    @Test
    void remembersWhichNotificationsAreDueAndWhichWentOut() {
        step(new AlarmRaised("e1", T0, "r1"), T0);
        step(new FlowLogsCreated("r1", List.of("eni-a"), List.of("fl-1"), List.of()), T0.plusSeconds(1));
        step(new DeadlineReached("r1"), T0.plus(Duration.ofMinutes(16)));
        Recording completed = step(new FlowLogsDeleted("r1"), T0.plus(Duration.ofMinutes(16)));
        Instant due = completed.notifyAt();

        assertThat(store.notificationsDue(due.minusMillis(1))).isEmpty();
        assertThat(store.notificationsDue(due)).extracting(Recording::id).containsExactly("r1");

        assertThat(store.claimNotification("r1", due.minusMillis(1), due.plusSeconds(30)))
                .isFalse();
        assertThat(store.claimNotification("r1", due, due.plusSeconds(30))).isTrue();
        assertThat(store.claimNotification("r1", due, due.plusSeconds(30)))
                .as("claimed by another")
                .isFalse();
        store.postponeNotification("r1", due.plusSeconds(60));
        assertThat(store.notificationsDue(due)).isEmpty();
        assertThat(store.notificationsPending()).extracting(Recording::id).containsExactly("r1");
        assertThat(store.markNotified("r1", due.plusSeconds(61))).isTrue();
        assertThat(store.markNotified("r1", due.plusSeconds(62))).isFalse();
        assertThat(store.notificationsPending()).isEmpty();
        assertThat(store.find("r1").orElseThrow().notifiedAt()).isEqualTo(due.plusSeconds(61));
    }

    @Test
    void aStaleSnapshotOfTheGatewayIsRefused() {
        GatewaySnapshot stale = store.gateway(GW);
        step(new AlarmRaised("e1", T0, "r1"), T0);

        Decision late = Transitions.decide(stale, new AlarmRaised("e2", T0, "r2"), T0, POLICY);
        assertThatThrownBy(() -> store.apply(stale, late)).isInstanceOf(OptimisticLockingFailureException.class);
        assertThat(store.find("r2")).isEmpty();
    }

    @Test
    void aStaleVersionOfARecordingIsRefused() {
        step(new AlarmRaised("e1", T0, "r1"), T0);
        GatewaySnapshot gateway = store.gateway(GW);
        Recording outdated = gateway.active().toBuilder()
                .version(gateway.active().version() + 5)
                .build();
        GatewaySnapshot forged = new GatewaySnapshot(GW, T0, 1, outdated, gateway.version());

        Decision d = Transitions.decide(forged, new AlarmCleared("e2", T0.plusSeconds(1)), T0.plusSeconds(1), POLICY);
        assertThatThrownBy(() -> store.apply(forged, d)).isInstanceOf(OptimisticLockingFailureException.class);
    }

    @Test
    void findsTheRecordingsWhoseDeadlineHasCome() {
        Recording starting = step(new AlarmRaised("e1", T0, "r1"), T0);

        assertThat(store.due(starting.nextDeadline().minusMillis(1))).isEmpty();
        assertThat(store.due(starting.nextDeadline())).extracting(Recording::id).containsExactly("r1");
        assertThat(store.countActive()).isEqualTo(1);
    }

    @Test
    void remembersHandledEventsPerGatewayAndForgetsOldOnes() {
        SignalOutcome acted = new SignalOutcome(Verdict.ACTED, "recording-started");
        store.markHandled("e1", GW, acted, T0);
        store.markHandled("e1", GW, acted, T0);

        assertThat(store.isHandled("e1", GW)).isTrue();
        assertThat(store.isHandled("e1", "nat-0000000000000000f")).isFalse();
        assertThat(store.isHandled("e2", GW)).isFalse();
        assertThat(store.forgetHandledBefore(T0.plusSeconds(1))).isEqualTo(1);
        assertThat(store.isHandled("e1", GW)).isFalse();
    }
}
