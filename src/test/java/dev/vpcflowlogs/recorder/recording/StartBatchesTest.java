package dev.vpcflowlogs.recorder.recording;

import static dev.vpcflowlogs.recorder.recording.RecordingModule.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.recording.AlarmSignal.AlarmState;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.FlowLogBatch;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.ManagedFlowLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Gateways alarming together share CreateFlowLogs calls; each recording still owns exactly its own flow logs. */
class StartBatchesTest {

    static final int GATEWAYS = 40;

    final RecordingModule module = new RecordingModule();

    static String gateway(int n) {
        return String.format("nat-%017d", n);
    }

    {
        IntStream.range(0, GATEWAYS).forEach(n -> module.aws.gateway(gateway(n), "eni-" + n + "a", "eni-" + n + "b"));
    }

    @AfterEach
    void close() {
        module.close();
    }

    /** Every gateway alarms at once, each from a thread of its own, as the queue's listener threads do. */
    void alarmTogether() {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService listeners = Executors.newFixedThreadPool(GATEWAYS);
        List<CompletableFuture<SignalOutcome>> handled = IntStream.range(0, GATEWAYS)
                .mapToObj(n -> CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                go.await();
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                            return module.handle(
                                    new AlarmSignal("e" + n, gateway(n), AlarmState.ALARM, T0, TestProperties.HOME));
                        },
                        java.util.concurrent.Executors.newCachedThreadPool()))
                .toList();
        go.countDown();
        CompletableFuture.allOf(handled.toArray(CompletableFuture[]::new)).join();
        listeners.shutdown();
    }

    @Test
    void gatewaysAlarmingTogetherShareCreateFlowLogsAndEachRecordingOwnsItsOwnInterfaces() {
        alarmTogether();

        List<Recording> recordings = module.recordings.active();
        assertThat(recordings).hasSize(GATEWAYS).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo(RecordingState.RECORDING);
            assertThat(r.flowLogIds()).hasSize(2).allSatisfy(id -> assertThat(
                            module.aws.flowLogs.get(id).resourceId())
                    .startsWith("eni-" + Integer.parseInt(r.gatewayId().substring(4)) + ""));
        });
        assertThat(module.aws.batches).hasSizeLessThan(GATEWAYS);
        assertThat(module.aws.batches)
                .allSatisfy(b -> assertThat(b.resourceIds()).hasSizeLessThanOrEqualTo(300));
        assertThat(module.aws.flowLogs).hasSize(2 * GATEWAYS);
    }

    @Test
    void aSharedStartRetriedLaterSendsTheSameCallAgainToTheLetter() {
        module.aws.failNext(
                "CreateFlowLogs",
                new ProviderException("CreateFlowLogs", "RequestLimitExceeded", "throttled", true, null));
        alarmTogether();
        FlowLogBatch failed = module.aws.batches.get(0);

        module.advance(Duration.ofMinutes(1));

        // Each member retried at its own deadline; every call carrying the failed batch's token is that batch.
        assertThat(module.aws.batches.stream().filter(b -> b.token().equals(failed.token())))
                .hasSizeGreaterThan(1)
                .allSatisfy(b -> assertThat(b).isEqualTo(failed));
        assertThat(module.recordings.active()).hasSize(GATEWAYS).allSatisfy(r -> assertThat(r.state())
                .isEqualTo(RecordingState.RECORDING));
        assertThat(module.aws.flowLogs).hasSize(2 * GATEWAYS);
    }

    @Test
    void theReconcilerKnowsTheOwnerOfAFlowLogMadeByASharedCall() {
        alarmTogether();
        ManagedFlowLog shared = module.aws.flowLogs.values().stream()
                .filter(f -> f.batch() != null && f.batch().startsWith("vfr-b-"))
                .findFirst()
                .orElseThrow();

        String owner =
                module.batches.ownerOf(shared.batch(), shared.resourceId()).orElseThrow();

        assertThat(module.recordings.find(owner))
                .hasValueSatisfying(r -> assertThat(r.flowLogIds()).contains(shared.flowLogId()));
    }
}
