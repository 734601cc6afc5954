package dev.vpcflowlogs.recorder.watch;

import dev.vpcflowlogs.recorder.config.AlarmSettings;
import dev.vpcflowlogs.recorder.config.AlarmSettings.AlarmMode;
import dev.vpcflowlogs.recorder.system.OwnershipTags;
import dev.vpcflowlogs.recorder.watch.AlarmDefinition.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/** The alarm a gateway's settings call for: a pure function, tested without CloudWatch. */
final class AlarmDefinitions {

    private AlarmDefinitions() {}

    static AlarmDefinition of(String alarmName, String natGatewayId, AlarmSettings settings) {
        int period = Math.toIntExact(settings.period().toSeconds());
        List<String> metrics = settings.metrics();
        List<Query> queries = new ArrayList<>();
        if (settings.mode() == AlarmMode.STATIC) {
            long threshold = settings.threshold().toBytes();
            String expression = IntStream.rangeClosed(1, metrics.size())
                    .mapToObj(i -> "IF(m" + i + " > " + threshold + ", 1, 0)")
                    .collect(Collectors.joining(" + "));
            queries.add(Query.expression("e1", expression, "Metrics above " + threshold + " per period"));
            for (int i = 0; i < metrics.size(); i++) {
                queries.add(Query.metric("m" + (i + 1), metrics.get(i), natGatewayId, period, false));
            }
            return alarm(alarmName, natGatewayId, settings, queries, "GreaterThanOrEqualToThreshold", 1.0, null);
        }
        boolean single = metrics.size() == 1;
        for (int i = 0; i < metrics.size(); i++) {
            queries.add(Query.metric("m" + (i + 1), metrics.get(i), natGatewayId, period, single));
        }
        String series = "m1";
        if (!single) {
            series = "e1";
            queries.add(Query.expression(
                    "e1",
                    IntStream.rangeClosed(1, metrics.size())
                            .mapToObj(i -> "m" + i)
                            .collect(Collectors.joining(" + ")),
                    "Total of " + String.join(", ", metrics)));
        }
        queries.add(Query.expression(
                "ad1",
                "ANOMALY_DETECTION_BAND(" + series + ", " + bandWidth(settings.bandWidth()) + ")",
                "Expected range"));
        return alarm(alarmName, natGatewayId, settings, queries, "GreaterThanUpperThreshold", null, "ad1");
    }

    /** What every managed alarm has in common: its description, no actions, missing data as missing, its tags. */
    private static AlarmDefinition alarm(
            String alarmName,
            String natGatewayId,
            AlarmSettings settings,
            List<Query> queries,
            String comparisonOperator,
            @Nullable Double threshold,
            @Nullable String thresholdMetricId) {
        return new AlarmDefinition(
                alarmName,
                "Managed by vpc-flowlogs-recorder, which records flow logs on " + natGatewayId
                        + " while this alarm is in ALARM: " + settings.describe()
                        + ". Changes made here are overwritten; edit the recorder's configuration instead.",
                false,
                settings.evaluationPeriods(),
                settings.datapointsToAlarm(),
                comparisonOperator,
                threshold,
                thresholdMetricId,
                "missing",
                queries,
                Map.of(
                        OwnershipTags.MANAGED_BY,
                        OwnershipTags.MANAGED_BY_VALUE,
                        OwnershipTags.NAT_GATEWAY_ID,
                        natGatewayId));
    }

    /** {@code 2} rather than {@code 2.0}, as a user would write it. */
    private static String bandWidth(double width) {
        return width == Math.rint(width) ? String.valueOf((long) width) : String.valueOf(width);
    }
}
