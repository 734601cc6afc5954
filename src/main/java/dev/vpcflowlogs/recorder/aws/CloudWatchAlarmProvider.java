package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.watch.AlarmDefinition;
import dev.vpcflowlogs.recorder.watch.AlarmDefinition.Query;
import dev.vpcflowlogs.recorder.watch.AlarmProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.Tag;

/** The recorder's alarms in CloudWatch: DescribeAlarms, ListTagsForResource, PutMetricAlarm, DeleteAlarms. */
@Component
class CloudWatchAlarmProvider implements AlarmProvider {

    static final String NAMESPACE = "AWS/NATGateway";
    static final String DIMENSION = "NatGatewayId";
    /**
     * DescribeAlarms answers at most 100 alarms a call (MaxRecords, 1 to 100): the most, since the calls are few a
     * second.
     */
    private static final int DESCRIBE_PAGE = 100;
    /** DeleteAlarms takes at most 100 names. */
    private static final int DELETE_BATCH = 100;

    private final AwsClients clients;
    private final AwsErrors errors;

    CloudWatchAlarmProvider(AwsClients clients, AwsErrors errors) {
        this.clients = clients;
        this.errors = errors;
    }

    @Override
    public List<ExistingAlarm> alarmsNamedFrom(Place place, String prefix) {
        CloudWatchClient cloudWatch = clients.cloudWatch(place);
        List<ExistingAlarm> alarms = new ArrayList<>();
        try {
            for (MetricAlarm alarm : cloudWatch
                    .describeAlarmsPaginator(r -> r.alarmNamePrefix(prefix)
                            .alarmTypes(AlarmType.METRIC_ALARM)
                            .maxRecords(DESCRIBE_PAGE))
                    .metricAlarms()) {
                alarms.add(
                        new ExistingAlarm(definition(alarm, Map.of()), alarm.alarmArn(), alarm.stateValueAsString()));
            }
        } catch (SdkException e) {
            throw errors.translate(place, "DescribeAlarms", e);
        }
        return alarms;
    }

    @Override
    public Map<String, String> tagsOf(Place place, String alarmArn) {
        CloudWatchClient cloudWatch = clients.cloudWatch(place);
        try {
            Map<String, String> tags = new LinkedHashMap<>();
            cloudWatch
                    .listTagsForResource(r -> r.resourceARN(alarmArn))
                    .tags()
                    .forEach(t -> tags.put(t.key(), t.value()));
            return tags;
        } catch (SdkException e) {
            throw errors.translate(place, "ListTagsForResource", e);
        }
    }

    @Override
    public void put(Place place, AlarmDefinition alarm) {
        CloudWatchClient cloudWatch = clients.cloudWatch(place);
        try {
            cloudWatch.putMetricAlarm(r -> r.alarmName(alarm.name())
                    .alarmDescription(alarm.description())
                    .actionsEnabled(alarm.actionsEnabled())
                    .evaluationPeriods(alarm.evaluationPeriods())
                    .datapointsToAlarm(alarm.datapointsToAlarm())
                    .comparisonOperator(alarm.comparisonOperator())
                    .threshold(alarm.threshold())
                    .thresholdMetricId(alarm.thresholdMetricId())
                    .treatMissingData(alarm.treatMissingData())
                    .metrics(alarm.queries().stream()
                            .map(CloudWatchAlarmProvider::query)
                            .toList())
                    .tags(
                            java.util.Objects.requireNonNullElse(alarm.tags(), Map.<String, String>of())
                                    .entrySet()
                                    .stream()
                                    .map(t -> Tag.builder()
                                            .key(t.getKey())
                                            .value(t.getValue())
                                            .build())
                                    .toList()));
        } catch (SdkException e) {
            throw errors.translate(place, "PutMetricAlarm", e);
        }
    }

    @Override
    public void delete(Place place, List<String> alarmNames) {
        CloudWatchClient cloudWatch = clients.cloudWatch(place);
        for (int from = 0; from < alarmNames.size(); from += DELETE_BATCH) {
            List<String> batch = alarmNames.subList(from, Math.min(alarmNames.size(), from + DELETE_BATCH));
            try {
                cloudWatch.deleteAlarms(r -> r.alarmNames(batch));
            } catch (AwsServiceException e) {
                if (e.statusCode() != 404) {
                    throw errors.translate(place, "DeleteAlarms", e);
                }
                // ResourceNotFound. The CloudWatch API reference: "If you specify any incorrect alarm names, the
                // alarms you specify with correct names are still deleted." One gone meanwhile is no failure.
                errors.count("DeleteAlarms", AwsErrors.codeOf(e));
            } catch (SdkException e) {
                throw errors.translate(place, "DeleteAlarms", e);
            }
        }
    }

    private static MetricDataQuery query(Query q) {
        MetricDataQuery.Builder b =
                MetricDataQuery.builder().id(q.id()).returnData(q.returnData()).label(q.label());
        if (q.expression() != null) {
            return b.expression(q.expression()).build();
        }
        return b.metricStat(MetricStat.builder()
                        .metric(Metric.builder()
                                .namespace(NAMESPACE)
                                .metricName(q.metricName())
                                .dimensions(Dimension.builder()
                                        .name(DIMENSION)
                                        .value(q.natGatewayId())
                                        .build())
                                .build())
                        .period(q.periodSeconds())
                        .stat(q.stat())
                        .build())
                .build();
    }

    /** Reads an alarm back in the recorder's terms, with CloudWatch's defaults for what it leaves out. */
    static AlarmDefinition definition(MetricAlarm alarm, Map<String, String> tags) {
        List<Query> queries = new ArrayList<>();
        for (MetricDataQuery q : alarm.metrics()) {
            boolean returnData = q.returnData() == null || q.returnData();
            if (q.metricStat() == null) {
                queries.add(new Query(q.id(), q.expression(), null, null, null, null, returnData, q.label()));
                continue;
            }
            Metric metric = q.metricStat().metric();
            String gateway = metric.dimensions().stream()
                    .filter(d -> DIMENSION.equals(d.name()))
                    .map(Dimension::value)
                    .findFirst()
                    .orElse(null);
            String metricName =
                    NAMESPACE.equals(metric.namespace()) && metric.dimensions().size() == 1
                            ? metric.metricName()
                            : metric.namespace() + "/" + metric.metricName() + metric.dimensions();
            queries.add(new Query(
                    q.id(),
                    null,
                    metricName,
                    gateway,
                    q.metricStat().period(),
                    q.metricStat().stat(),
                    returnData,
                    q.label()));
        }
        int evaluationPeriods = alarm.evaluationPeriods() == null ? 0 : alarm.evaluationPeriods();
        return new AlarmDefinition(
                alarm.alarmName(),
                alarm.alarmDescription(),
                alarm.actionsEnabled() == null || alarm.actionsEnabled(),
                evaluationPeriods,
                alarm.datapointsToAlarm() == null ? evaluationPeriods : alarm.datapointsToAlarm(),
                alarm.comparisonOperatorAsString(),
                alarm.threshold(),
                alarm.thresholdMetricId(),
                alarm.treatMissingData() == null ? "missing" : alarm.treatMissingData(),
                queries,
                tags);
    }
}
