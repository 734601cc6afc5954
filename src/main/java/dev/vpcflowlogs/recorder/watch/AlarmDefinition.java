package dev.vpcflowlogs.recorder.watch;

import dev.vpcflowlogs.recorder.system.OwnershipTags;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A CloudWatch metric alarm over metric math, as the recorder writes it and reads it back.
 *
 * @param threshold null for an anomaly detection alarm, which compares with {@code thresholdMetricId} instead
 * @param tags read back with the alarm; only written when the alarm is created
 */
public record AlarmDefinition(
        String name,
        @Nullable String description,
        boolean actionsEnabled,
        int evaluationPeriods,
        int datapointsToAlarm,
        String comparisonOperator,
        @Nullable Double threshold,
        @Nullable String thresholdMetricId,
        String treatMissingData,
        List<Query> queries,
        @Nullable Map<String, String> tags) {

    public AlarmDefinition {
        queries = List.copyOf(queries);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /**
     * One entry of the alarm's metric math: a metric of a NAT gateway ({@code metricName}) or an expression.
     *
     * @param stat the statistic of a metric, null for an expression
     */
    public record Query(
            String id,
            @Nullable String expression,
            @Nullable String metricName,
            @Nullable String natGatewayId,
            @Nullable Integer periodSeconds,
            @Nullable String stat,
            boolean returnData,
            @Nullable String label) {

        static Query metric(String id, String metricName, String natGatewayId, int periodSeconds, boolean returnData) {
            return new Query(id, null, metricName, natGatewayId, periodSeconds, "Sum", returnData, null);
        }

        static Query expression(String id, String expression, String label) {
            return new Query(id, expression, null, null, null, null, true, label);
        }
    }

    /** Whether the recorder made this alarm (its tag says so); an alarm without the tag is never touched. */
    public boolean managedByRecorder() {
        return tags != null && managedByRecorder(tags);
    }

    /** Whether an alarm with these tags is the recorder's. */
    public static boolean managedByRecorder(Map<String, String> tags) {
        return OwnershipTags.ownedByRecorder(tags);
    }

    /** Whether the alarm evaluates the same way, tags aside. */
    public boolean sameSettingsAs(AlarmDefinition other) {
        return withoutTags().equals(other.withoutTags());
    }

    private AlarmDefinition withoutTags() {
        return new AlarmDefinition(
                name,
                description,
                actionsEnabled,
                evaluationPeriods,
                datapointsToAlarm,
                comparisonOperator,
                threshold,
                thresholdMetricId,
                treatMissingData,
                queries,
                Map.of());
    }
}
