package dev.vpcflowlogs.recorder.recording;

import static dev.vpcflowlogs.recorder.recording.RecordingModule.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.recording.AlarmSignal.AlarmState;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.ManagedFlowLog;
import dev.vpcflowlogs.recorder.system.OneReplica;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One reconciler pass against the recordings of an H2 store and a fake EC2. */
class FlowLogReconcilerTest {

    static final String GW = "nat-0a1b2c3d4e5f60718";

    final RecordingModule module = new RecordingModule();
    final FlowLogReconciler reconciler = new FlowLogReconciler(
            module.aws,
            module.recordings,
            module.orphans,
            new OneReplica(new DefaultLockingTaskExecutor(configuration -> Optional.of(() -> {})), module.clock),
            module.scheduler,
            () -> true,
            module.clock,
            module.meters,
            TestProperties.defaults(),
            TestProperties.places(),
            module.batches);

    {
        module.aws.gateway(GW, "eni-a");
    }

    @AfterEach
    void close() {
        module.close();
    }

    void plant(String id, String recordingId, java.time.Instant expiresAt) {
        module.aws.flowLogs.put(id, new ManagedFlowLog(id, "eni-a", recordingId, expiresAt));
    }

    double deleted(String reason) {
        return module.count("recorder.reconciler.deleted", "reason", reason);
    }

    @Test
    void deletesWhatAFinishedRecordingLeftBehind() {
        module.handle(new AlarmSignal("e1", GW, AlarmState.ALARM, T0, TestProperties.HOME));
        String recordingId = module.only().id();
        module.advance(Duration.ofMinutes(15));
        assertThat(module.only().state()).isEqualTo(RecordingState.COMPLETED);
        plant("fl-00000000000000099", recordingId, T0.plus(Duration.ofMinutes(15)));

        reconciler.reconcile();

        assertThat(module.aws.flowLogs).isEmpty();
        assertThat(deleted("recording-finished")).isEqualTo(1);
    }

    @Test
    void aRecordingThatCompletesWhileThePassListsIsLeftToItsOwnDeletes() {
        module.handle(new AlarmSignal("e1", GW, AlarmState.ALARM, T0, TestProperties.HOME));
        module.handle(new AlarmSignal("e2", GW, AlarmState.OK, T0.plusSeconds(1), TestProperties.HOME));
        // The pass lists the recording's flow logs; meanwhile its tail ends and its own stop deletes them.
        module.aws.afterListing = () -> module.advance(Duration.ofMinutes(3));

        reconciler.reconcile();

        assertThat(module.only().state()).isEqualTo(RecordingState.COMPLETED);
        assertThat(deleted("recording-finished")).isZero();
        assertThat(module.aws.deletes).as("only the stop's own").hasSize(1);
    }

    @Test
    void keepsAnActiveRecordingsOwnFlowLogsAndDeletesOneNotPartOfIt() {
        module.handle(new AlarmSignal("e1", GW, AlarmState.ALARM, T0, TestProperties.HOME));
        Recording active = module.only();
        plant("fl-00000000000000098", active.id(), active.maxEndsAt());

        reconciler.reconcile();

        assertThat(module.aws.flowLogs.keySet()).containsExactlyElementsOf(active.flowLogIds());
        assertThat(deleted("not-part-of-its-recording")).isEqualTo(1);
    }

    @Test
    void aFlowLogTaggedOnlyWithItsBatchBelongsToTheMemberOnItsResource() {
        module.handle(new AlarmSignal("e1", GW, AlarmState.ALARM, T0, TestProperties.HOME));
        String finished = module.only().id();
        module.advance(Duration.ofMinutes(15));
        String batch = module.batches.batchOf(finished).orElseThrow().token();
        // A shared call's tags name no recording: its members in the store say whose it is.
        module.aws.flowLogs.put(
                "fl-00000000000000095",
                new ManagedFlowLog("fl-00000000000000095", "eni-a", null, T0.plus(Duration.ofHours(1)), batch));

        reconciler.reconcile();

        assertThat(module.aws.flowLogs).doesNotContainKey("fl-00000000000000095");
        assertThat(deleted("recording-finished")).isEqualTo(1);
    }

    @Test
    void anUnknownRecordingsFlowLogIsDeletedOnlyOnceItsDeadlinePassed() {
        plant("fl-00000000000000097", "lost-recording", T0.plusSeconds(60));

        reconciler.reconcile();
        assertThat(module.aws.flowLogs).containsKey("fl-00000000000000097");

        module.clock.advance(Duration.ofSeconds(61));
        reconciler.reconcile();
        assertThat(module.aws.flowLogs).isEmpty();
        assertThat(deleted("unknown-recording-expired")).isEqualTo(1);
    }

    @Test
    void anUnknownRecordingsFlowLogEndsAtItsOwnDeadlineNotAtTheNextPass() {
        plant("fl-00000000000000096", "lost-recording", T0.plusSeconds(90));

        reconciler.reconcile();
        assertThat(module.orphanStore.all())
                .extracting(o -> o.flowLog().flowLogId())
                .containsExactly("fl-00000000000000096");
        assertThat(module.scheduler.pending()).singleElement().satisfies(t -> assertThat(t.at)
                .isEqualTo(T0.plusSeconds(90)));

        module.advance(Duration.ofSeconds(89));
        assertThat(module.aws.flowLogs).containsKey("fl-00000000000000096");
        module.advance(Duration.ofSeconds(1));

        assertThat(module.aws.flowLogs).isEmpty();
        assertThat(module.orphanStore.all()).isEmpty();
        assertThat(deleted("unknown-recording-expired")).isEqualTo(1);
    }

    @Test
    void anOrphanDeletedAtItsDeadlineIsNotDeletedAndCountedAgainByAPassThatStillListsIt() {
        ManagedFlowLog orphan = new ManagedFlowLog("fl-00000000000000093", "eni-a", "lost", T0.plusSeconds(60));
        plant(orphan.flowLogId(), "lost", orphan.expiresAt());
        reconciler.reconcile();
        module.advance(Duration.ofSeconds(60));
        assertThat(module.aws.deletes).hasSize(1);

        // DescribeFlowLogs answered just before the delete: the pass still sees it, past its deadline.
        module.aws.flowLogs.put(orphan.flowLogId(), orphan);
        reconciler.reconcile();
        assertThat(module.aws.deletes).as("deleted once").hasSize(1);
        assertThat(deleted("unknown-recording-expired")).isEqualTo(1);
    }

    @Test
    void anOrphanDeadlineIsKeptInTheStoreForAnyReplicasSweep() {
        plant("fl-00000000000000095", "lost-recording", T0.plusSeconds(60));
        reconciler.reconcile();

        // Another replica, whose timer this one is not: only the stored deadline tells it.
        OrphanDeadlines other = new OrphanDeadlines(
                module.orphanStore,
                module.recordings,
                module.aws,
                new DeadlineTimers(new dev.vpcflowlogs.recorder.ManualScheduler()),
                module.clock,
                module.meters);
        module.clock.advance(Duration.ofSeconds(60));
        other.endDue();

        assertThat(module.aws.flowLogs).isEmpty();
        assertThat(module.aws.deletes).hasSize(1);
        module.scheduler.runDue(module.clock.instant());
        assertThat(module.aws.deletes).as("deleted once").hasSize(1);
    }

    @Test
    void aDeleteAwsRefusesIsNotCountedAsDoneAndIsTriedAgainAtTheNextPass() {
        plant("fl-00000000000000094", "lost", T0.minusSeconds(1));
        module.aws.failNext(
                "DeleteFlowLogs",
                new ProviderException("DeleteFlowLogs", "UnauthorizedOperation", "denied", false, null));

        reconciler.reconcile();
        assertThat(module.count("recorder.reconciler.runs", "result", "failed")).isEqualTo(1);
        assertThat(deleted("unknown-recording-expired")).isZero();

        reconciler.reconcile();
        assertThat(module.aws.flowLogs).isEmpty();
        assertThat(deleted("unknown-recording-expired")).isEqualTo(1);
    }

    @Test
    void deletesInCallsOfAtMostAThousandIds() {
        for (int i = 0; i < 2500; i++) {
            plant(String.format("fl-%017d", i), "lost", T0.minusSeconds(1));
        }

        reconciler.reconcile();

        assertThat(module.aws.deletes).extracting(List::size).containsExactly(1000, 1000, 500);
        assertThat(module.count("recorder.reconciler.runs", "result", "succeeded"))
                .isEqualTo(1);
    }
}
