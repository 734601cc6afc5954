package dev.vpcflowlogs.recorder.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlarmReconcilerTest {

    static final String PREFIX = "vpc-flowlogs-recorder-";
    static final Map<String, String> OURS = Map.of("managed-by", "vpc-flowlogs-recorder");

    /** CloudWatch in memory, counting the calls that cost one request per alarm. */
    static final class FakeAlarms implements AlarmProvider {
        final Map<String, AlarmDefinition> alarms = new LinkedHashMap<>();
        final Map<String, Map<String, String>> tags = new LinkedHashMap<>();
        final List<String> tagLookups = new ArrayList<>();
        final List<String> puts = new ArrayList<>();
        final List<List<String>> deletes = new ArrayList<>();

        @Override
        public List<ExistingAlarm> alarmsNamedFrom(Place place, String prefix) {
            return alarms.values().stream()
                    .filter(a -> a.name().startsWith(prefix))
                    .map(a -> new ExistingAlarm(a, "arn:" + a.name()))
                    .toList();
        }

        @Override
        public Map<String, String> tagsOf(Place place, String arn) {
            tagLookups.add(arn);
            return tags.getOrDefault(arn.substring(4), Map.of());
        }

        @Override
        public void put(Place place, AlarmDefinition alarm) {
            puts.add(alarm.name());
            alarms.put(alarm.name(), alarm);
            tags.putIfAbsent(alarm.name(), alarm.tags());
        }

        @Override
        public void delete(Place place, List<String> names) {
            deletes.add(names);
            names.forEach(alarms::remove);
        }
    }

    final FakeAlarms cloudWatch = new FakeAlarms();
    final AlarmStates states = new AlarmStates(java.time.Clock.systemUTC());
    static final java.time.Instant NOW = java.time.Instant.parse("2026-12-06T12:00:00Z");
    /** Keeps when each pass was asked for, and runs none. */
    static final class RecordingScheduler extends org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler {
        final List<java.time.Instant> asked = new ArrayList<>();

        RecordingScheduler() {
            setClock(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
        }

        @Override
        public java.util.concurrent.ScheduledFuture<?> schedule(Runnable task, java.time.Instant startTime) {
            asked.add(startTime);
            return null;
        }
    }

    final RecordingScheduler scheduler = new RecordingScheduler();

    AlarmReconciler reconciler(RecorderProperties properties) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        return new AlarmReconciler(
                scheduler,
                cloudWatch,
                new WatchedGateways(properties, TestProperties.places(), meters),
                null,
                meters,
                properties,
                TestProperties.places(),
                states);
    }

    @Test
    void createsTheMissingAlarmThenMakesNoCallPerAlarmWhileNothingChanged() {
        AlarmReconciler reconciler = reconciler(TestProperties.defaults());

        reconciler.reconcile();
        reconciler.reconcile();

        assertThat(cloudWatch.puts).containsExactly(PREFIX + TestProperties.GATEWAY);
        assertThat(cloudWatch.tagLookups).isEmpty();
    }

    @Test
    void theFirstPassWaitsTheStartDelayAndAChangeOfTheWatchedGatewaysIsReconciledAtOnce() {
        AlarmReconciler reconciler = reconciler(TestProperties.defaults());

        reconciler.onRefresh(new WatchRefreshed(true, true));
        reconciler.onRefresh(new WatchRefreshed(false, false));
        reconciler.onRefresh(new WatchRefreshed(false, true));

        assertThat(scheduler.asked).containsExactly(NOW.plusSeconds(30), NOW);
        assertThat(cloudWatch.puts).as("nothing on the refreshing thread").isEmpty();
    }

    @Test
    void holdsItsLockForAsLongAsPuttingEveryWatchedGatewaysAlarmTakesAtCloudWatchsPace() {
        assertThat(AlarmReconciler.lockFor(java.time.Duration.ofMinutes(5), 12, 3))
                .isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(AlarmReconciler.lockFor(java.time.Duration.ofMinutes(5), 1000, 3))
                .as("1,000 alarms at 3 a second take 333 s")
                .isEqualTo(java.time.Duration.ofMillis(666_666));
        assertThat(AlarmReconciler.lockFor(java.time.Duration.ofMinutes(5), 1000, 10))
                .isEqualTo(java.time.Duration.ofMinutes(10));
    }

    @Test
    void updatesADriftedAlarmOfItsOwnAfterCheckingItsTag() {
        AlarmReconciler reconciler = reconciler(TestProperties.defaults());
        reconciler.reconcile();
        AlarmDefinition created = cloudWatch.alarms.get(PREFIX + TestProperties.GATEWAY);
        cloudWatch.alarms.put(created.name(), withThreshold(created, 5.0));

        reconciler.reconcile();

        assertThat(cloudWatch.tagLookups).containsExactly("arn:" + created.name());
        assertThat(cloudWatch.puts).containsExactly(created.name(), created.name());
        assertThat(cloudWatch.alarms.get(created.name()).sameSettingsAs(created))
                .isTrue();
    }

    @Test
    void neverTouchesAnAlarmWithThePrefixButWithoutItsTag() {
        AlarmReconciler reconciler = reconciler(TestProperties.defaults());
        AlarmDefinition foreignForWatched = withThreshold(
                AlarmDefinitions.of(
                        PREFIX + TestProperties.GATEWAY,
                        TestProperties.GATEWAY,
                        TestProperties.defaults().alarms().settings()),
                5.0);
        cloudWatch.alarms.put(foreignForWatched.name(), foreignForWatched);
        cloudWatch.tags.put(foreignForWatched.name(), Map.of("owner", "someone-else"));
        AlarmDefinition foreignForOther = withThreshold(foreignForWatched, 7.0);
        cloudWatch.alarms.put(
                PREFIX + "nat-0ffffffffffffffff", rename(foreignForOther, PREFIX + "nat-0ffffffffffffffff"));

        reconciler.reconcile();

        assertThat(cloudWatch.puts).isEmpty();
        assertThat(cloudWatch.deletes).isEmpty();
    }

    @Test
    void deletesItsAlarmsOfGatewaysNoLongerWatchedInOneCall() {
        AlarmReconciler reconciler = reconciler(TestProperties.defaults());
        for (String gone : List.of("nat-0eeeeeeeeeeeeeeee", "nat-0ffffffffffffffff")) {
            AlarmDefinition old = AlarmDefinitions.of(
                    PREFIX + gone, gone, TestProperties.defaults().alarms().settings());
            cloudWatch.alarms.put(old.name(), old);
            cloudWatch.tags.put(old.name(), OURS);
        }

        reconciler.reconcile();

        assertThat(cloudWatch.deletes)
                .containsExactly(List.of(PREFIX + "nat-0eeeeeeeeeeeeeeee", PREFIX + "nat-0ffffffffffffffff"));
        assertThat(cloudWatch.alarms).containsOnlyKeys(PREFIX + TestProperties.GATEWAY);
    }

    static AlarmDefinition withThreshold(AlarmDefinition a, double threshold) {
        return new AlarmDefinition(
                a.name(),
                a.description(),
                a.actionsEnabled(),
                a.evaluationPeriods(),
                a.datapointsToAlarm(),
                a.comparisonOperator(),
                threshold,
                a.thresholdMetricId(),
                a.treatMissingData(),
                a.queries(),
                Map.of());
    }

    static AlarmDefinition rename(AlarmDefinition a, String name) {
        return new AlarmDefinition(
                name,
                a.description(),
                a.actionsEnabled(),
                a.evaluationPeriods(),
                a.datapointsToAlarm(),
                a.comparisonOperator(),
                a.threshold(),
                a.thresholdMetricId(),
                a.treatMissingData(),
                a.queries(),
                Map.of());
    }
}
