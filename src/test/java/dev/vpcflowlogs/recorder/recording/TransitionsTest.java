package dev.vpcflowlogs.recorder.recording;

import static dev.vpcflowlogs.recorder.recording.RecordingState.COMPLETED;
import static dev.vpcflowlogs.recorder.recording.RecordingState.FAILED;
import static dev.vpcflowlogs.recorder.recording.RecordingState.RECORDING;
import static dev.vpcflowlogs.recorder.recording.RecordingState.SKIPPED;
import static dev.vpcflowlogs.recorder.recording.RecordingState.STARTING;
import static dev.vpcflowlogs.recorder.recording.RecordingState.STOPPING;
import static dev.vpcflowlogs.recorder.recording.RecordingState.TAILING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.recording.Action.CreateFlowLogs;
import dev.vpcflowlogs.recorder.recording.Action.DeleteFlowLogs;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AlarmCleared;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AlarmRaised;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AwsUnavailable;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.DeadlineReached;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.DeliveryChecked;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.FlowLogsCreated;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.FlowLogsDeleted;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.OperatorStart;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.OperatorStop;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.StartFailed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every rule of a recording's life, as a pure function of (gateway, event, now). */
class TransitionsTest {

    static final String GW = "nat-0a1b2c3d4e5f60718";
    static final Instant T0 = Instant.parse("2026-11-20T09:14:41Z");
    static final Duration TAIL = Duration.ofMinutes(2);
    static final Duration MAX = Duration.ofMinutes(15);
    static final RecordingPolicy POLICY = new RecordingPolicy(TAIL, MAX, 0, Duration.ofSeconds(30));

    static GatewaySnapshot idle() {
        return new GatewaySnapshot(GW, null, 0, null, null, 3);
    }

    static GatewaySnapshot with(Recording active) {
        return new GatewaySnapshot(GW, T0, 1, active, null, 3);
    }

    static Decision decide(GatewaySnapshot gateway, RecordingEvent event, Instant now) {
        return Transitions.decide(gateway, event, now, POLICY);
    }

    static Recording starting() {
        return decide(idle(), new AlarmRaised("e1", T0, "r1", TestProperties.HOME), T0)
                .recording()
                .withVersion(1);
    }

    static Recording recording() {
        Decision d = decide(with(starting()), created("eni-a", "eni-b"), T0.plusSeconds(1));
        return d.recording().withVersion(2);
    }

    static Recording tailing(Instant okAt) {
        return decide(with(recording()), new AlarmCleared("e2", T0.plusSeconds(60)), okAt)
                .recording()
                .withVersion(3);
    }

    static FlowLogsCreated created(String... interfaces) {
        List<String> ids = List.of(interfaces).stream().map(i -> "fl-" + i).toList();
        return new FlowLogsCreated("r1", GatewayMode.ZONAL, List.of(interfaces), ids, List.of());
    }

    @Nested
    class Alarm {

        @Test
        void startsARecordingAndAsksForFlowLogsWhenNoneIsActive() {
            Decision d = decide(idle(), new AlarmRaised("e1", T0, "r1", TestProperties.HOME), T0.plusSeconds(5));

            assertThat(d.verdict()).isEqualTo(Verdict.ACTED);
            assertThat(d.countsNewRecording()).isTrue();
            assertThat(d.lastStateTime()).isEqualTo(T0);
            Recording r = d.recording();
            assertThat(r.state()).isEqualTo(STARTING);
            assertThat(r.id()).isEqualTo("r1");
            assertThat(r.maxEndsAt()).isEqualTo(T0.plusSeconds(5).plus(MAX));
            assertThat(r.nextDeadline()).isEqualTo(T0.plusSeconds(35));
            assertThat(d.actions()).containsExactly(CreateFlowLogs.first(r));
        }

        @Test
        void createsNoSecondFlowLogWhileRecording() {
            Decision d = decide(
                    with(recording()),
                    new AlarmRaised("e9", T0.plusSeconds(90), "r2", TestProperties.HOME),
                    T0.plusSeconds(90));

            assertThat(d.verdict()).isEqualTo(Verdict.IGNORED);
            assertThat(d.reason()).isEqualTo(Reason.ALREADY_RECORDING);
            assertThat(d.recording()).isNull();
            assertThat(d.actions()).isEmpty();
            assertThat(d.countsNewRecording()).isFalse();
        }

        @Test
        void retriesTheCreateOfARecordingStillStarting() {
            Recording starting = starting();
            Decision d = decide(
                    with(starting),
                    new AlarmRaised("e9", T0.plusSeconds(9), "r2", TestProperties.HOME),
                    T0.plusSeconds(9));

            assertThat(d.recording().id()).isEqualTo("r1");
            assertThat(d.actions())
                    .as("asked again: its earlier call, if written down, is sent again")
                    .containsExactly(new CreateFlowLogs(d.recording(), false));
            assertThat(d.countsNewRecording()).isFalse();
        }

        @Test
        void resumesTheSameRecordingWhenTheAlarmReturnsDuringTheTail() {
            Recording tailing = tailing(T0.plusSeconds(60));
            Decision d = decide(
                    with(tailing),
                    new AlarmRaised("e3", T0.plusSeconds(100), "r2", TestProperties.HOME),
                    T0.plusSeconds(100));

            assertThat(d.verdict()).isEqualTo(Verdict.ACTED);
            assertThat(d.recording().id()).isEqualTo("r1");
            assertThat(d.recording().state()).isEqualTo(RECORDING);
            assertThat(d.recording().tailEndsAt()).isNull();
            assertThat(d.recording().nextDeadline()).isEqualTo(tailing.maxEndsAt());
            assertThat(d.actions()).isEmpty();
        }

        @Test
        void isKeptWhileThePreviousRecordingIsStillStoppingAndActedOnOnceItHasEnded() {
            Recording stopping = recording().withState(STOPPING).withStopReason(StopReason.MAX_DURATION);
            Decision kept = decide(
                    with(stopping),
                    new AlarmRaised("e3", T0.plusSeconds(100), "r2", TestProperties.HOME),
                    T0.plusSeconds(100));

            assertThat(kept.verdict()).as("acknowledged, never retried").isEqualTo(Verdict.ACTED);
            assertThat(kept.reason()).isEqualTo(Reason.QUEUED_UNTIL_STOP_ENDS);
            assertThat(kept.recording()).isNull();
            assertThat(kept.pendingAlarm()).isEqualTo(new PendingAlarm("e3", T0.plusSeconds(100), TestProperties.HOME));
            assertThat(kept.lastStateTime()).isEqualTo(T0.plusSeconds(100));

            GatewaySnapshot waiting = new GatewaySnapshot(GW, T0.plusSeconds(100), 1, stopping, kept.pendingAlarm(), 4);
            Decision ended = decide(waiting, new FlowLogsDeleted("r1"), T0.plusSeconds(101));
            assertThat(ended.recording().state()).isEqualTo(COMPLETED);
            assertThat(ended.replay()).isEqualTo(kept.pendingAlarm());

            GatewaySnapshot free = new GatewaySnapshot(GW, T0.plusSeconds(100), 1, null, kept.pendingAlarm(), 5);
            Decision started = decide(
                    free, new AlarmRaised("e3", T0.plusSeconds(100), "r2", TestProperties.HOME), T0.plusSeconds(101));
            assertThat(started.reason()).isEqualTo(Reason.RECORDING_STARTED);
            assertThat(started.recording().triggerEventId()).isEqualTo("e3");
            assertThat(started.pendingAlarm()).as("no longer kept").isNull();
        }

        @Test
        void aKeptAlarmIsDroppedWhenItsOkComesFirst() {
            Recording stopping = recording().withState(STOPPING).withStopReason(StopReason.MAX_DURATION);
            PendingAlarm pending = new PendingAlarm("e3", T0.plusSeconds(100), TestProperties.HOME);
            GatewaySnapshot waiting = new GatewaySnapshot(GW, T0.plusSeconds(100), 1, stopping, pending, 4);

            Decision d = decide(waiting, new AlarmCleared("e4", T0.plusSeconds(130)), T0.plusSeconds(130));

            assertThat(d.reason()).isEqualTo(Reason.QUEUED_ALARM_CLEARED);
            assertThat(d.pendingAlarm()).isNull();
            assertThat(decide(waiting, new FlowLogsDeleted("r1"), T0.plusSeconds(131))
                            .replay())
                    .as("while it is still kept, the end of the stop acts on it")
                    .isEqualTo(pending);
        }

        @Test
        void isSkippedOnceTheGatewayReachedItsRecordingLimit() {
            RecordingPolicy limited = new RecordingPolicy(TAIL, MAX, 2, Duration.ofSeconds(30));
            GatewaySnapshot twoDone = new GatewaySnapshot(GW, T0, 2, null, null, 7);
            Decision d = Transitions.decide(
                    twoDone,
                    new AlarmRaised("e5", T0.plusSeconds(60), "r3", TestProperties.HOME),
                    T0.plusSeconds(60),
                    limited);

            assertThat(d.recording().state()).isEqualTo(SKIPPED);
            assertThat(d.recording().stopReason()).isEqualTo(StopReason.RECORDING_LIMIT);
            assertThat(d.verdict()).isEqualTo(Verdict.IGNORED);
            assertThat(d.actions()).isEmpty();
            assertThat(d.countsNewRecording()).isFalse();
        }

        @Test
        void zeroMeansNoRecordingLimit() {
            GatewaySnapshot manyDone = new GatewaySnapshot(GW, T0, 500, null, null, 7);
            Decision d = decide(
                    manyDone, new AlarmRaised("e5", T0.plusSeconds(60), "r3", TestProperties.HOME), T0.plusSeconds(60));

            assertThat(d.recording().state()).isEqualTo(STARTING);
        }

        @Test
        void olderThanTheLastHandledStateIsStale() {
            Decision d = decide(with(null), new AlarmRaised("e0", T0.minusSeconds(1), "r0", TestProperties.HOME), T0);

            assertThat(d.verdict()).isEqualTo(Verdict.STALE);
            assertThat(d.recording()).isNull();
            assertThat(d.lastStateTime()).isEqualTo(T0);
        }
    }

    @Nested
    class Ok {

        @Test
        void startsTheTailAndMovesTheDeadlineToItsEnd() {
            Instant okAt = T0.plusSeconds(60);
            Decision d = decide(with(recording()), new AlarmCleared("e2", okAt), okAt);

            assertThat(d.recording().state()).isEqualTo(TAILING);
            assertThat(d.recording().tailEndsAt()).isEqualTo(okAt.plus(TAIL));
            assertThat(d.recording().nextDeadline()).isEqualTo(okAt.plus(TAIL));
            assertThat(d.actions()).isEmpty();
            assertThat(d.lastStateTime()).isEqualTo(okAt);
        }

        @Test
        void neverPushesTheStopPastTheMaximumDuration() {
            Recording r = recording();
            Instant okAt = r.maxEndsAt().minusSeconds(10);
            Decision d = decide(with(r), new AlarmCleared("e2", okAt), okAt);

            assertThat(d.recording().nextDeadline()).isEqualTo(r.maxEndsAt());
        }

        @Test
        void arrivingBeforeTheFlowLogsExistIsKeptForWhenTheyDo() {
            Decision cleared = decide(with(starting()), new AlarmCleared("e2", T0.plusSeconds(1)), T0.plusSeconds(1));
            assertThat(cleared.recording().state()).isEqualTo(STARTING);
            assertThat(cleared.recording().tailEndsAt())
                    .isEqualTo(T0.plusSeconds(1).plus(TAIL));

            Recording stored = cleared.recording().withVersion(2);
            Decision started = decide(with(stored), created("eni-a"), T0.plusSeconds(2));
            assertThat(started.recording().state()).isEqualTo(TAILING);
            assertThat(started.recording().nextDeadline())
                    .isEqualTo(T0.plusSeconds(1).plus(TAIL));
        }

        @Test
        void withoutAnActiveRecordingIsIgnoredButRemembered() {
            Decision d = decide(idle(), new AlarmCleared("e2", T0), T0);

            assertThat(d.verdict()).isEqualTo(Verdict.IGNORED);
            assertThat(d.reason()).isEqualTo(Reason.NO_ACTIVE_RECORDING);
            assertThat(d.lastStateTime()).isEqualTo(T0);
        }

        @Test
        void olderThanTheAlarmItWouldEndIsStale() {
            Decision d = decide(with(recording()), new AlarmCleared("e2", T0.minusSeconds(600)), T0.plusSeconds(60));

            assertThat(d.verdict()).isEqualTo(Verdict.STALE);
            assertThat(d.recording()).isNull();
        }
    }

    @Nested
    class Start {

        @Test
        void recordsUntilTheMaximumDurationOnceFlowLogsExist() {
            Recording starting = starting();
            Decision d = decide(with(starting), created("eni-a", "eni-b"), T0.plusSeconds(1));

            Recording r = d.recording();
            assertThat(r.state()).isEqualTo(RECORDING);
            assertThat(r.startedAt()).isEqualTo(T0.plusSeconds(1));
            assertThat(r.flowLogIds()).containsExactly("fl-eni-a", "fl-eni-b");
            assertThat(r.resourceIds()).containsExactly("eni-a", "eni-b");
            assertThat(r.nextDeadline()).isEqualTo(starting.maxEndsAt());
        }

        @Test
        void keepsEveryInterfaceThatFailed() {
            ResourceFailure failure = new ResourceFailure("eni-b", "FlowLogAlreadyExists", "exists");
            FlowLogsCreated partial = new FlowLogsCreated(
                    "r1", GatewayMode.ZONAL, List.of("eni-a", "eni-b"), List.of("fl-1"), List.of(failure));
            Decision d = decide(with(starting()), partial, T0.plusSeconds(1));

            assertThat(d.recording().state()).isEqualTo(RECORDING);
            assertThat(d.recording().resourceFailures()).containsExactly(failure);
        }

        @Test
        void failsAndNotifiesWhenNoInterfaceSucceeded() {
            ResourceFailure failure = new ResourceFailure("eni-a", "FlowLogsLimitExceeded", "too many");
            FlowLogsCreated none =
                    new FlowLogsCreated("r1", GatewayMode.ZONAL, List.of("eni-a"), List.of(), List.of(failure));
            Decision d = decide(with(starting()), none, T0.plusSeconds(1));

            Recording r = d.recording();
            assertThat(r.state()).isEqualTo(FAILED);
            assertThat(r.stopReason()).isEqualTo(StopReason.START_FAILED);
            assertThat(r.failure()).contains("eni-a: FlowLogsLimitExceeded");
            assertThat(r.nextDeadline()).isNull();
            assertThat(d.endsRecording()).isTrue();
            assertThat(d.actions()).isEmpty();
        }

        @Test
        void failsAndNotifiesOnAPermanentError() {
            Decision d = decide(with(starting()), new StartFailed("r1", "NatGatewayNotFound"), T0.plusSeconds(1));

            assertThat(d.recording().state()).isEqualTo(FAILED);
            assertThat(d.recording().failure()).isEqualTo("NatGatewayNotFound");
            assertThat(d.endsRecording()).isTrue();
            assertThat(d.actions()).isEmpty();
        }

        @Test
        void retriesLaterWithGrowingDelaysWhenAwsIsUnavailable() {
            Decision first = decide(with(starting()), new AwsUnavailable("r1", "throttled"), T0.plusSeconds(1));
            assertThat(first.reason()).isEqualTo(Reason.AWS_UNAVAILABLE);
            assertThat(first.recording().state()).isEqualTo(STARTING);
            assertThat(first.recording().attempts()).isEqualTo(1);
            assertThat(first.recording().nextDeadline()).isEqualTo(T0.plusSeconds(31));

            Recording once = first.recording().withVersion(2);
            Decision second = decide(with(once), new AwsUnavailable("r1", "throttled"), T0.plusSeconds(31));
            assertThat(second.recording().nextDeadline()).isEqualTo(T0.plusSeconds(31 + 60));
        }

        @Test
        void failsAndNotifiesWhenAwsStaysUnavailableUntilTheMaximumDuration() {
            Recording starting = starting();
            Decision d = decide(with(starting), new AwsUnavailable("r1", "throttled"), starting.maxEndsAt());

            assertThat(d.recording().state()).isEqualTo(FAILED);
            assertThat(d.recording().failure()).contains("could not start before its maximum duration (throttled)");
            assertThat(d.endsRecording()).isTrue();
            assertThat(d.actions()).isEmpty();
        }

        @Test
        void retriesTheCreateWhenItsRetryDeadlineComes() {
            Recording retrying = starting().withAttempts(1).withNextDeadline(T0.plusSeconds(31));
            assertThat(decide(with(retrying), new DeadlineReached("r1"), T0.plusSeconds(30))
                            .actions())
                    .isEmpty();
            Decision retried = decide(with(retrying), new DeadlineReached("r1"), T0.plusSeconds(31));
            assertThat(retried.actions())
                    .as("asked again: its earlier call, if written down, is sent again")
                    .containsExactly(new CreateFlowLogs(retried.recording(), false));
        }

        @Test
        void aRetriedStartWaitsForItsAnswerUntilTheNextRetryNotAtOnce() {
            Recording retrying = starting().withAttempts(1).withNextDeadline(T0.plusSeconds(31));

            Decision d = decide(with(retrying), new DeadlineReached("r1"), T0.plusSeconds(31));

            // The start goes on in the background: a deadline left in the past would fire again at once.
            assertThat(d.recording().nextDeadline()).isEqualTo(T0.plusSeconds(61));
            assertThat(d.actions()).singleElement().isInstanceOf(CreateFlowLogs.class);
        }

        @Test
        void stopsAtOnceWhenFlowLogsAppearAfterTheMaximumDuration() {
            Recording starting = starting();
            Decision d = decide(
                    with(starting), created("eni-a"), starting.maxEndsAt().plusSeconds(1));

            assertThat(d.recording().state()).isEqualTo(STOPPING);
            assertThat(d.recording().stopReason()).isEqualTo(StopReason.MAX_DURATION);
            assertThat(d.actions()).singleElement().isInstanceOf(DeleteFlowLogs.class);
        }
    }

    @Nested
    class Unwatched {

        @Test
        void deletesTheFlowLogsOfARecordingWhoseGatewayIsNoLongerWatched() {
            Decision d = decide(with(recording()), new RecordingEvent.GatewayUnwatched("r1"), T0.plusSeconds(30));

            assertThat(d.recording().state()).isEqualTo(RecordingState.STOPPING);
            assertThat(d.recording().stopReason()).isEqualTo(StopReason.GATEWAY_UNWATCHED);
            assertThat(d.actions()).singleElement().isInstanceOf(Action.DeleteFlowLogs.class);
        }

        @Test
        void endsARecordingStillStartingAsFailedAndNotifies() {
            Decision d = decide(with(starting()), new RecordingEvent.GatewayUnwatched("r1"), T0.plusSeconds(1));

            assertThat(d.recording().state()).isEqualTo(RecordingState.FAILED);
            assertThat(d.recording().stopReason()).isEqualTo(StopReason.GATEWAY_UNWATCHED);
            assertThat(d.endsRecording()).isTrue();
            assertThat(d.actions()).isEmpty();
        }

        @Test
        void leavesARecordingThatIsAlreadyStoppingAlone() {
            Recording stopping = decide(with(recording()), new RecordingEvent.DeadlineReached("r1"), T0.plus(MAX))
                    .recording();

            Decision d = decide(with(stopping), new RecordingEvent.GatewayUnwatched("r1"), T0.plus(MAX));

            assertThat(d.recording()).isNull();
            assertThat(d.actions()).isEmpty();
        }
    }

    @Nested
    class Operator {

        static final Duration TEN = Duration.ofMinutes(10);

        OperatorStart start() {
            return new OperatorStart("r1", TestProperties.HOME, TEN, "alice");
        }

        Recording manual() {
            Recording starting = decide(idle(), start(), T0).recording().withVersion(1);
            return decide(with(starting), created("eni-a"), T0.plusSeconds(1))
                    .recording()
                    .withVersion(2);
        }

        @Test
        void startsARecordingNowForTheDurationAskedNamingWhoAsked() {
            Decision d = decide(idle(), start(), T0);

            assertThat(d.reason()).isEqualTo(Reason.OPERATOR_STARTED);
            assertThat(d.recording().state()).isEqualTo(STARTING);
            assertThat(d.recording().startedBy()).isEqualTo("alice");
            assertThat(d.recording().triggerEventId()).isNull();
            assertThat(d.recording().maxEndsAt()).isEqualTo(T0.plus(TEN));
            assertThat(d.actions()).containsExactly(CreateFlowLogs.first(d.recording()));
            assertThat(d.countsNewRecording()).isFalse();
            assertThat(d.lastStateTime()).as("no alarm state was seen").isNull();
        }

        @Test
        void aSecondStartWhileRecordingExtendsNothing() {
            Recording r = manual();
            Decision d = decide(with(r), new OperatorStart("r2", TestProperties.HOME, TEN, "bob"), T0.plusSeconds(30));

            assertThat(d.verdict()).isEqualTo(Verdict.IGNORED);
            assertThat(d.reason()).isEqualTo(Reason.ALREADY_RECORDING);
            assertThat(d.recording()).isNull();
            assertThat(d.actions()).isEmpty();
        }

        @Test
        void aStartWhileAnotherStartsOrStopsIsRefusedWithItsReason() {
            assertThat(decide(with(starting()), start(), T0.plusSeconds(1)).reason())
                    .isEqualTo(Reason.STILL_STARTING);
            Recording stopping = recording().withState(STOPPING);
            assertThat(decide(with(stopping), start(), T0.plusSeconds(1)).reason())
                    .isEqualTo(Reason.PREVIOUS_RECORDING_STOPPING);
        }

        @Test
        void countsAgainstTheGatewaysLimitOnlyWhenConfiguredTo() {
            GatewaySnapshot full = new GatewaySnapshot(GW, T0, 2, null, null, 3);
            RecordingPolicy counting = new RecordingPolicy(TAIL, MAX, 2, Duration.ofSeconds(30), true);
            RecordingPolicy free = new RecordingPolicy(TAIL, MAX, 2, Duration.ofSeconds(30), false);

            Decision refused = Transitions.decide(full, start(), T0, counting);
            assertThat(refused.reason()).isEqualTo(Reason.RECORDING_LIMIT_REACHED);
            assertThat(refused.actions()).isEmpty();

            Decision started = Transitions.decide(full, start(), T0, free);
            assertThat(started.reason()).isEqualTo(Reason.OPERATOR_STARTED);
            assertThat(started.countsNewRecording()).isFalse();
            assertThat(Transitions.decide(idle(), start(), T0, counting).countsNewRecording())
                    .isTrue();
        }

        @Test
        void anOkLeavesARecordingByHandToItsDuration() {
            Recording r = manual();
            Decision d = decide(with(r), new AlarmCleared("e2", T0.plusSeconds(60)), T0.plusSeconds(60));

            assertThat(d.reason()).isEqualTo(Reason.RECORDING_BY_HAND);
            assertThat(d.recording()).isNull();
        }

        @Test
        void endsAtTheDurationAskedAndSaysSo() {
            Recording r = manual();
            assertThat(r.nextDeadline()).isEqualTo(T0.plus(TEN));

            Decision d = decide(with(r), new DeadlineReached("r1"), T0.plus(TEN));
            assertThat(d.recording().state()).isEqualTo(STOPPING);
            assertThat(d.recording().stopReason()).isEqualTo(StopReason.OPERATOR_DURATION);
            assertThat(d.actions()).singleElement().isInstanceOf(DeleteFlowLogs.class);
        }

        @Test
        void aStopDeletesTheFlowLogsNowAndNamesWhoStopped() {
            Recording r = recording();
            Decision d = decide(with(r), new OperatorStop("r1", "bob"), T0.plusSeconds(90));

            assertThat(d.reason()).isEqualTo(Reason.OPERATOR_STOPPED);
            assertThat(d.recording().state()).isEqualTo(STOPPING);
            assertThat(d.recording().stopReason()).isEqualTo(StopReason.OPERATOR);
            assertThat(d.recording().stoppedBy()).isEqualTo("bob");
            assertThat(d.actions()).containsExactly(new DeleteFlowLogs(d.recording()));
        }

        @Test
        void aStopOfARecordingStoppingOrEndedChangesNothing() {
            Recording stopping = recording().withState(STOPPING);
            assertThat(decide(with(stopping), new OperatorStop("r1", "bob"), T0.plusSeconds(90))
                            .reason())
                    .isEqualTo(Reason.ALREADY_STOPPING);
            assertThat(decide(idle(), new OperatorStop("r1", "bob"), T0.plusSeconds(90))
                            .reason())
                    .isEqualTo(Reason.RECORDING_NOT_ACTIVE);
        }
    }

    @Nested
    class Stop {

        @Test
        void nothingHappensBeforeTheDeadline() {
            Recording r = recording();
            Decision d =
                    decide(with(r), new DeadlineReached("r1"), r.nextDeadline().minusMillis(1));

            assertThat(d.recording()).isNull();
            assertThat(d.actions()).isEmpty();
        }

        @Test
        void deletesFlowLogsWhenTheTailEnds() {
            Recording tailing = tailing(T0.plusSeconds(60));
            Decision d = decide(with(tailing), new DeadlineReached("r1"), tailing.tailEndsAt());

            assertThat(d.recording().state()).isEqualTo(STOPPING);
            assertThat(d.recording().stopReason()).isEqualTo(StopReason.ALARM_CLEARED);
            assertThat(d.actions()).containsExactly(new DeleteFlowLogs(d.recording()));
        }

        @Test
        void deletesFlowLogsAtTheMaximumDurationEvenInAlarm() {
            Recording r = recording();
            Decision d = decide(with(r), new DeadlineReached("r1"), r.maxEndsAt());

            assertThat(d.recording().state()).isEqualTo(STOPPING);
            assertThat(d.recording().stopReason()).isEqualTo(StopReason.MAX_DURATION);
            assertThat(d.actions()).singleElement().isInstanceOf(DeleteFlowLogs.class);
        }

        @Test
        void aMissedDeadlineStopsTheRecordingWhenItIsFinallySeen() {
            Recording r = recording();
            Decision d =
                    decide(with(r), new DeadlineReached("r1"), r.maxEndsAt().plus(Duration.ofHours(3)));

            assertThat(d.recording().state()).isEqualTo(STOPPING);
        }

        @Test
        void completesAndNotifiesOnceFlowLogsAreDeleted() {
            Recording stopping = recording().withState(STOPPING).withStopReason(StopReason.ALARM_CLEARED);
            Instant now = T0.plusSeconds(300);
            Decision d = decide(with(stopping), new FlowLogsDeleted("r1"), now);

            Recording r = d.recording();
            assertThat(r.state()).isEqualTo(COMPLETED);
            assertThat(r.endedAt()).isEqualTo(now);
            assertThat(r.nextDeadline()).isNull();
            assertThat(r.recordedFor()).isEqualTo(Duration.ofSeconds(299));
            assertThat(d.endsRecording()).isTrue();
            assertThat(d.actions()).isEmpty();
        }

        @Test
        void aFailedDeleteIsRetriedNeverForgotten() {
            Recording stopping = recording().withState(STOPPING).withStopReason(StopReason.ALARM_CLEARED);
            Decision unavailable = decide(with(stopping), new AwsUnavailable("r1", "500"), T0.plusSeconds(300));
            assertThat(unavailable.recording().state()).isEqualTo(STOPPING);
            assertThat(unavailable.recording().nextDeadline()).isEqualTo(T0.plusSeconds(330));

            Recording retry = unavailable.recording().withVersion(9);
            Decision again = decide(with(retry), new DeadlineReached("r1"), T0.plusSeconds(330));
            assertThat(again.actions()).singleElement().isInstanceOf(DeleteFlowLogs.class);
        }

        @Test
        void aStopThatKeepsFailingIsFailedAndNotifiedAndLeftToTheReconciler() {
            Recording stopping = recording()
                    .withState(STOPPING)
                    .withStopReason(StopReason.ALARM_CLEARED)
                    .withAttempts(RecordingPolicy.STOP_ATTEMPTS - 1);
            Decision d = decide(with(stopping), new AwsUnavailable("r1", "UnauthorizedOperation"), T0.plusSeconds(900));

            Recording r = d.recording();
            assertThat(r.state()).isEqualTo(FAILED);
            assertThat(r.failure()).contains("could not be deleted after 5 attempts (UnauthorizedOperation)");
            assertThat(r.flowLogIds()).isNotEmpty();
            assertThat(d.endsRecording()).isTrue();
            assertThat(d.actions()).isEmpty();
        }

        @Test
        void flowLogsFoundNotDeliveringAreKeptWithTheRecordingOnce() {
            Recording stopping = recording().withState(STOPPING).withStopReason(StopReason.ALARM_CLEARED);
            DeliveryFailure access = new DeliveryFailure("fl-eni-a", "eni-a", "Access error");

            Decision found = decide(with(stopping), new DeliveryChecked("r1", List.of(access)), T0.plusSeconds(300));
            assertThat(found.reason()).isEqualTo(Reason.DELIVERY_FAILED);
            assertThat(found.recording().deliveryFailures()).containsExactly(access);
            assertThat(found.recording().state()).isEqualTo(STOPPING);

            Decision again =
                    decide(with(found.recording()), new DeliveryChecked("r1", List.of(access)), T0.plusSeconds(301));
            assertThat(again.recording()).as("nothing new").isNull();
        }

        @Test
        void eventsForAnotherRecordingAreIgnored() {
            Decision d = decide(with(recording()), new DeadlineReached("someone-else"), T0.plus(Duration.ofDays(1)));

            assertThat(d.verdict()).isEqualTo(Verdict.IGNORED);
            assertThat(d.recording()).isNull();
        }
    }

    @Test
    void retryDelaysDoubleUpToTenMinutes() {
        assertThat(POLICY.retryDelay(0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(POLICY.retryDelay(1)).isEqualTo(Duration.ofSeconds(60));
        assertThat(POLICY.retryDelay(5)).isEqualTo(Duration.ofMinutes(10));
        assertThat(POLICY.retryDelay(60)).isEqualTo(Duration.ofMinutes(10));
    }
}
