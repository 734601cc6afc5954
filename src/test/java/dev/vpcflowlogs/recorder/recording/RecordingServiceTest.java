package dev.vpcflowlogs.recorder.recording;

import static dev.vpcflowlogs.recorder.recording.RecordingModule.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.recording.AlarmSignal.AlarmState;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handling loop with its store, timers and action runner, against a fake EC2 and a hand-moved clock. */
class RecordingServiceTest {

    static final String GW = "nat-0a1b2c3d4e5f60718";

    final RecordingModule module = new RecordingModule();

    {
        module.aws.gateway(GW, "eni-a", "eni-b");
    }

    @AfterEach
    void close() {
        module.close();
    }

    SignalOutcome signal(String eventId, AlarmState state, Instant stateTime) {
        return module.handle(new AlarmSignal(eventId, GW, state, stateTime, TestProperties.HOME));
    }

    @Test
    void theStartsPendingGaugeStillReadsAfterTheCollectorRuns() {
        // The service hands the gauge a method reference nothing else holds; a gauge keeps its object weakly.
        for (int i = 0; i < 5; i++) {
            System.gc();
        }

        assertThat(module.meters.get("recorder.starts.pending").gauge().value()).isZero();
    }

    @Test
    void storesTheRecordingAsStartingBeforeItAsksForFlowLogs() {
        module.aws.onCreate = request -> assertThat(module.recordings.find(request.recordingId()))
                .hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(RecordingState.STARTING));

        SignalOutcome outcome = signal("e1", AlarmState.ALARM, T0);

        assertThat(outcome).isEqualTo(new SignalOutcome(Verdict.ACTED, Reason.RECORDING_STARTED));
        Recording r = module.only();
        assertThat(r.state()).isEqualTo(RecordingState.RECORDING);
        assertThat(r.flowLogIds()).hasSize(2);
        assertThat(module.aws.creates).singleElement().satisfies(request -> {
            assertThat(request.resourceIds()).containsExactly("eni-a", "eni-b");
            assertThat(request.expiresAt()).isEqualTo(r.maxEndsAt());
        });
        assertThat(module.count("recorder.recordings", "result", "started")).isEqualTo(1);
    }

    @Test
    void recordsARegionalGatewayWithOneFlowLogOnTheGatewayAndDeletesItAfterTheTail() {
        String regional = "nat-0feedfacecafe0001";
        module.aws.regionalGateway(regional);

        module.handle(new AlarmSignal("e1", regional, AlarmState.ALARM, T0, TestProperties.HOME));
        Recording recording = module.only();
        module.handle(new AlarmSignal("e2", regional, AlarmState.OK, T0.plusSeconds(60), TestProperties.HOME));
        module.advance(Duration.ofMinutes(2));

        assertThat(recording.mode()).isEqualTo(GatewayMode.REGIONAL);
        assertThat(recording.flowLogIds()).hasSize(1);
        assertThat(module.aws.creates).singleElement().satisfies(request -> {
            assertThat(request.mode()).isEqualTo(GatewayMode.REGIONAL);
            assertThat(request.resourceIds()).containsExactly(regional);
        });
        assertThat(module.only().state()).isEqualTo(RecordingState.COMPLETED);
        assertThat(module.aws.deletes).containsExactly(recording.flowLogIds());
        assertThat(module.aws.flowLogs).isEmpty();
    }

    @Test
    void aRedeliveredAlarmMakesNoSecondAwsCall() {
        signal("e1", AlarmState.ALARM, T0);
        SignalOutcome again = signal("e1", AlarmState.ALARM, T0);

        assertThat(again.verdict()).isEqualTo(Verdict.DUPLICATE);
        assertThat(module.aws.calls).containsExactly("DescribeNatGateways", "CreateFlowLogs");
    }

    @Test
    void stopsAtTheEndOfTheTailDeletesTheFlowLogsAndAnnouncesTheEndOnce() {
        signal("e1", AlarmState.ALARM, T0);
        signal("e2", AlarmState.OK, T0.plusSeconds(60));
        assertThat(module.only().state()).isEqualTo(RecordingState.TAILING);

        module.advance(Duration.ofMinutes(1).plusSeconds(59));
        assertThat(module.aws.deletes).isEmpty();
        module.advance(Duration.ofSeconds(1));

        Recording done = module.only();
        assertThat(done.state()).isEqualTo(RecordingState.COMPLETED);
        assertThat(done.stopReason()).isEqualTo(StopReason.ALARM_CLEARED);
        assertThat(module.aws.deletes).containsExactly(done.flowLogIds());
        assertThat(module.aws.flowLogs).isEmpty();
        assertThat(module.ended()).singleElement().satisfies(e -> assertThat(e.recording())
                .isEqualTo(done));
        assertThat(module.scheduler.pending()).as("no deadline left armed").isEmpty();
    }

    @Test
    void awsUnavailableAtTheStartHandlesTheMessageOnceAndRetriesByTheStoredDeadline() {
        module.aws.failNext(
                "CreateFlowLogs",
                new ProviderException("CreateFlowLogs", "RequestLimitExceeded", "throttled", true, null));

        SignalOutcome outcome = signal("e1", AlarmState.ALARM, T0);

        assertThat(outcome.verdict()).isEqualTo(Verdict.ACTED);
        Recording waiting = module.only();
        assertThat(waiting.state()).isEqualTo(RecordingState.STARTING);
        assertThat(waiting.attempts()).isEqualTo(1);
        assertThat(waiting.failure()).contains("RequestLimitExceeded");
        assertThat(module.scheduler.pending()).singleElement().satisfies(t -> assertThat(t.at)
                .isEqualTo(waiting.nextDeadline()));

        module.advance(Duration.ofSeconds(30));

        assertThat(module.only().state()).isEqualTo(RecordingState.RECORDING);
        assertThat(module.aws.count("CreateFlowLogs")).isEqualTo(2);
        assertThat(module.aws.creates.get(0)).isEqualTo(module.aws.creates.get(1));
    }

    @Test
    void aGatewayThatIsGoneFailsTheRecordingAndAnnouncesItsEnd() {
        module.handle(new AlarmSignal("e1", "nat-0000000000000000f", AlarmState.ALARM, T0, TestProperties.HOME));

        Recording failed = module.only();
        assertThat(failed.state()).isEqualTo(RecordingState.FAILED);
        assertThat(failed.failure()).contains("NatGatewayNotFound");
        assertThat(module.ended()).singleElement().satisfies(e -> assertThat(e.recording())
                .isEqualTo(failed));
        assertThat(module.aws.count("CreateFlowLogs")).isZero();
    }

    @Test
    void anAlarmWhileThePreviousStopIsBeingRetriedIsKeptAndStartsItsOwnRecordingOnceTheStopEnds() {
        signal("e1", AlarmState.ALARM, T0);
        module.aws.failNext(
                "DeleteFlowLogs", new ProviderException("DeleteFlowLogs", "InternalError", "500", true, null));
        signal("e2", AlarmState.OK, T0.plusSeconds(10));
        module.advance(Duration.ofMinutes(2));
        Recording first = module.only();
        assertThat(first.state()).isEqualTo(RecordingState.STOPPING);

        SignalOutcome outcome = signal("e3", AlarmState.ALARM, T0.plusSeconds(200));

        assertThat(outcome).isEqualTo(new SignalOutcome(Verdict.ACTED, Reason.QUEUED_UNTIL_STOP_ENDS));
        assertThat(module.handled.contains("e3", GW)).as("acknowledged").isTrue();
        assertThat(module.aws.count("CreateFlowLogs")).isEqualTo(1);

        module.advance(Duration.ofSeconds(30));

        assertThat(module.recordings.find(first.id()))
                .hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(RecordingState.COMPLETED));
        assertThat(module.recordings.active()).singleElement().satisfies(second -> {
            assertThat(second.triggerEventId()).isEqualTo("e3");
            assertThat(second.state()).isEqualTo(RecordingState.RECORDING);
        });
        assertThat(module.aws.count("CreateFlowLogs")).isEqualTo(2);
        assertThat(module.gateways.snapshot(GW).pendingAlarm()).isNull();
    }

    @Test
    void aKeptAlarmLeftWaitingByACrashStartsAtTheNextSweep() {
        module.database
                .jdbc()
                .sql(
                        """
                        insert into nat_gateway (gateway_id, recordings_started, version, pending_alarm_event_id,
                            pending_alarm_time, last_state_time)
                        values (:gw, 1, 7, 'e9', :at, :at)
                        """)
                .param("gw", GW)
                .param("at", T0.atOffset(java.time.ZoneOffset.UTC))
                .update();

        module.service.startPending(GW);
        module.settle();

        assertThat(module.only().triggerEventId()).isEqualTo("e9");
        assertThat(module.gateways.snapshot(GW).pendingAlarm()).isNull();
    }

    @Test
    void flowLogsThatDoNotDeliverAreNamedWithTheRecordingBeforeTheyAreDeleted() {
        signal("e1", AlarmState.ALARM, T0);
        String silent = module.only().flowLogIds().get(0);
        module.aws.deliveryErrors.put(silent, "Access error");

        module.advance(Duration.ofMinutes(15));

        Recording done = module.only();
        assertThat(done.state()).isEqualTo(RecordingState.COMPLETED);
        assertThat(done.deliveryFailures()).singleElement().satisfies(f -> assertThat(f.toString())
                .isEqualTo(silent + " on eni-a: Access error"));
        assertThat(module.count("recorder.flowlogs.delivery.failed")).isEqualTo(1);
        assertThat(module.ended())
                .singleElement()
                .satisfies(e -> assertThat(e.recording().deliveryFailures()).hasSize(1));
    }

    @Test
    void aFailureToReadTheDeliveryStatusNeverHoldsUpTheStop() {
        signal("e1", AlarmState.ALARM, T0);
        module.aws.failNext(
                "DescribeFlowLogs",
                new ProviderException("DescribeFlowLogs", "UnauthorizedOperation", "denied", false, null));

        module.advance(Duration.ofMinutes(15));

        assertThat(module.only().state()).isEqualTo(RecordingState.COMPLETED);
        assertThat(module.aws.flowLogs).isEmpty();
    }

    @Test
    void endsOnlyTheRecordingsOfGatewaysNoLongerWatched() {
        module.aws.gateway("nat-0000000000000000b", "eni-c");
        signal("e1", AlarmState.ALARM, T0);
        module.handle(new AlarmSignal("e2", "nat-0000000000000000b", AlarmState.ALARM, T0, TestProperties.HOME));

        int ended = module.service.endUnwatched(Set.of("nat-0000000000000000b")::contains);
        module.settle(); // the stop's calls go on in the background

        assertThat(ended).isEqualTo(1);
        assertThat(module.recordings.recent(10))
                .extracting(Recording::gatewayId, Recording::state, Recording::stopReason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(GW, RecordingState.COMPLETED, StopReason.GATEWAY_UNWATCHED),
                        org.assertj.core.groups.Tuple.tuple("nat-0000000000000000b", RecordingState.RECORDING, null));
    }
}
