package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.ManualScheduler;
import dev.vpcflowlogs.recorder.MutableClock;
import dev.vpcflowlogs.recorder.TestDatabase;
import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.system.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The recording module wired by hand on an H2 store, with a fake EC2, a clock and a scheduler the test drives: its
 * orchestrators tested without Spring, AWS or time passing.
 */
final class RecordingModule implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-20T09:14:41Z");
    static final RecordingPolicy POLICY =
            new RecordingPolicy(Duration.ofMinutes(2), Duration.ofMinutes(15), 0, Duration.ofSeconds(30));

    final TestDatabase database = TestDatabase.h2();
    final MutableClock clock = new MutableClock(T0);
    final ManualScheduler scheduler = new ManualScheduler();
    final FakeFlowLogProvider aws = new FakeFlowLogProvider();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<Object> published = Collections.synchronizedList(new ArrayList<>());
    final TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(database.dataSource()));
    final RecordingStore recordings =
            new RecordingStore(database.jdbc(), JsonMapper.builder().build(), TestProperties.places());
    final GatewayStore gateways = new GatewayStore(database.jdbc(), recordings, TestProperties.places());
    final HandledEvents handled = new HandledEvents(database.jdbc());
    final DeadlineTimers timers = new DeadlineTimers(scheduler);
    final OrphanStore orphanStore = new OrphanStore(database.jdbc(), TestProperties.places());
    final OrphanDeadlines orphans = new OrphanDeadlines(orphanStore, recordings, aws, timers, clock, meters);
    final StartBatchStore batches = new StartBatchStore(database.jdbc());
    final StartBatches starts = new StartBatches(aws, batches, tx, TestProperties.defaults());
    final RecordingService service;

    RecordingModule() {
        this(POLICY);
    }

    RecordingModule(RecordingPolicy policy) {
        service = new RecordingService(
                gateways,
                recordings,
                handled,
                new ActionRunner(aws, starts),
                timers,
                new GatewayLocks(database.dataSource(), new Database(database.dataSource())),
                tx,
                published::add,
                new RecordingMetrics(meters, recordings),
                () -> true,
                clock,
                policy);
    }

    /** Moves the clock and fires what is due by then, as the scheduler's threads would; then lets starts settle. */
    void advance(Duration by) {
        clock.advance(by);
        scheduler.runDue(clock.instant());
        settle();
    }

    /** Handles a signal as the queue's listener does, then lets the start it may have begun settle. */
    SignalOutcome handle(AlarmSignal signal) {
        SignalOutcome outcome = service.handle(signal);
        settle();
        return outcome;
    }

    /** Waits until every start sent to the fake EC2 has its answer stored (starts go on in the background). */
    void settle() {
        org.awaitility.Awaitility.await("starts and stops answered and stored")
                .atMost(Duration.ofSeconds(10))
                .until(() -> service.callsPending() == 0);
    }

    List<RecordingEnded> ended() {
        synchronized (published) {
            return published.stream()
                    .filter(RecordingEnded.class::isInstance)
                    .map(RecordingEnded.class::cast)
                    .toList();
        }
    }

    Recording only() {
        List<Recording> all = recordings.recent(10);
        if (all.size() != 1) {
            throw new AssertionError("expected one recording, found " + all);
        }
        return all.get(0);
    }

    double count(String meter, String... tags) {
        return meters.find(meter).tags(tags).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
    }

    @Override
    public void close() {
        service.stopAnswering();
        starts.stopBatching();
        database.close();
    }
}
