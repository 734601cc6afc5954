package dev.vpcflowlogs.recorder.watch;

import dev.vpcflowlogs.recorder.config.AlarmSettings;
import dev.vpcflowlogs.recorder.config.AlarmSettings.AlarmMode;
import dev.vpcflowlogs.recorder.watch.AlarmDefinition.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The alarm a gateway's settings call for: a pure function, tested without CloudWatch. */
final class AlarmDefinitions {

    private AlarmDefinitions() {}

    static AlarmDefinition of(String alarmName, String natGatewayId, AlarmSettings settings) {
        int period = Math.toIntExact(settings.period().toSeconds());
        List<String> metrics = settings.metrics();
        List<Query> queries = new ArrayList<>();
        String description = "Managed by vpc-flowlogs-recorder, which records flow logs on " + natGatewayId
                + " while this alarm is in ALARM: " + settings.describe()
                + ". Changes made here are overwritten; edit the recorder's configuration instead.";
        Map<String, String> tags = Map.of(
                AlarmDefinition.MANAGED_BY,
                AlarmDefinition.MANAGED_BY_VALUE,
                AlarmDefinition.GATEWAY_TAG,
                natGatewayId);
        if (settings.mode() == AlarmMode.STATIC) {
            for (int i = 0; i < metrics.size(); i++) {
                queries.add(Query.metric("m" + (i + 1), metrics.get(i), natGatewayId, period, false));
            }
            long threshold = settings.threshold().toBytes();
            String expression = IntStream.rangeClosed(1, metrics.size())
                    .mapToObj(i -> "IF(m" + i + " > " + threshold + ", 1, 0)")
                    .collect(Collectors.joining(" + "));
            queries.add(0, Query.expression("e1", expression, "Metrics above " + threshold + " per period"));
            return new AlarmDefinition(
                    alarmName,
                    description,
                    false,
                    settings.evaluationPeriods(),
                    settings.datapointsToAlarm(),
                    "GreaterThanOrEqualToThreshold",
                    1.0,
                    null,
                    "missing",
                    queries,
                    tags);
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
        return new AlarmDefinition(
                alarmName,
                description,
                false,
                settings.evaluationPeriods(),
                settings.datapointsToAlarm(),
                "GreaterThanUpperThreshold",
                null,
                "ad1",
                "missing",
                queries,
                tags);
    }

    /** {@code 2} rather than {@code 2.0}, as a user would write it. */
    private static String bandWidth(double width) {
        return width == Math.rint(width) ? String.valueOf((long) width) : String.valueOf(width);
    }
}
