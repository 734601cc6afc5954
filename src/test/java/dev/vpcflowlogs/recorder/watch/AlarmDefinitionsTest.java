package dev.vpcflowlogs.recorder.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.config.AlarmSettings;
import dev.vpcflowlogs.recorder.config.AlarmSettings.AlarmMode;
import dev.vpcflowlogs.recorder.watch.AlarmDefinition.Query;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class AlarmDefinitionsTest {

    static final String GATEWAY = "nat-0a1b2c3d4e5f60718";

    static AlarmSettings settings(AlarmMode mode, List<String> metrics) {
        return new AlarmSettings(mode, Duration.ofMinutes(1), 3, 1, DataSize.ofBytes(100_000_000), metrics, 2);
    }

    @Test
    void staticModeIsTheOriginalsMetricMathOverEachSelectedMetric() {
        AlarmDefinition alarm = AlarmDefinitions.of(
                "p-" + GATEWAY,
                GATEWAY,
                settings(AlarmMode.STATIC, List.of("BytesInFromSource", "BytesInFromDestination")));

        assertThat(alarm.queries())
                .containsExactly(
                        new Query(
                                "e1",
                                "IF(m1 > 100000000, 1, 0) + IF(m2 > 100000000, 1, 0)",
                                null,
                                null,
                                null,
                                null,
                                true,
                                "Metrics above 100000000 per period"),
                        new Query("m1", null, "BytesInFromSource", GATEWAY, 60, "Sum", false, null),
                        new Query("m2", null, "BytesInFromDestination", GATEWAY, 60, "Sum", false, null));
        assertThat(alarm.comparisonOperator()).isEqualTo("GreaterThanOrEqualToThreshold");
        assertThat(alarm.threshold()).isEqualTo(1.0);
        assertThat(alarm.actionsEnabled()).isFalse();
        assertThat(alarm.tags())
                .containsEntry("managed-by", "vpc-flowlogs-recorder")
                .containsEntry("nat-gateway-id", GATEWAY);
        assertThat(alarm.managedByRecorder()).isTrue();
    }

    @Test
    void anomalyModeBandsTheTotalOfTheMetrics() {
        AlarmDefinition alarm = AlarmDefinitions.of(
                "p-" + GATEWAY,
                GATEWAY,
                settings(AlarmMode.ANOMALY, List.of("BytesInFromSource", "BytesInFromDestination")));

        assertThat(alarm.queries())
                .extracting(Query::id, Query::expression, Query::returnData)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("m1", null, false),
                        org.assertj.core.groups.Tuple.tuple("m2", null, false),
                        org.assertj.core.groups.Tuple.tuple("e1", "m1 + m2", true),
                        org.assertj.core.groups.Tuple.tuple("ad1", "ANOMALY_DETECTION_BAND(e1, 2)", true));
        assertThat(alarm.comparisonOperator()).isEqualTo("GreaterThanUpperThreshold");
        assertThat(alarm.thresholdMetricId()).isEqualTo("ad1");
        assertThat(alarm.threshold()).isNull();
    }

    @Test
    void aSingleMetricIsBandedDirectly() {
        AlarmDefinition alarm = AlarmDefinitions.of(
                "p-" + GATEWAY, GATEWAY, settings(AlarmMode.ANOMALY, List.of("BytesOutToDestination")));

        assertThat(alarm.queries())
                .extracting(Query::expression)
                .containsExactly(null, "ANOMALY_DETECTION_BAND(m1, 2)");
    }

    @Test
    void aChangedThresholdIsDriftButTagsAreNot() {
        AlarmDefinition desired =
                AlarmDefinitions.of("p", GATEWAY, settings(AlarmMode.STATIC, List.of("BytesInFromSource")));
        AlarmDefinition higher = AlarmDefinitions.of(
                "p",
                GATEWAY,
                new AlarmSettings(
                        AlarmMode.STATIC,
                        Duration.ofMinutes(1),
                        3,
                        1,
                        DataSize.ofGigabytes(1),
                        List.of("BytesInFromSource"),
                        2));
        AlarmDefinition untagged = new AlarmDefinition(
                desired.name(),
                desired.description(),
                desired.actionsEnabled(),
                desired.evaluationPeriods(),
                desired.datapointsToAlarm(),
                desired.comparisonOperator(),
                desired.threshold(),
                desired.thresholdMetricId(),
                desired.treatMissingData(),
                desired.queries(),
                null);

        assertThat(desired.sameSettingsAs(higher)).isFalse();
        assertThat(desired.sameSettingsAs(untagged)).isTrue();
        assertThat(untagged.managedByRecorder()).isFalse();
    }
}
