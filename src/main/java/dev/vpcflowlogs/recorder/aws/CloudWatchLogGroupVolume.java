package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.report.LogGroupVolume;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/**
 * A log group's class (DescribeLogGroups) and what it received in a window: the sums of its AWS/Logs
 * IncomingLogEvents and IncomingBytes by minute (dimension LogGroupName), from one GetMetricData. A class never
 * changes after creation (CreateLogGroup), so it is asked once per group and kept: a thousand reports made together
 * would otherwise each call DescribeLogGroups, which CloudWatch Logs allows a few times a second per account.
 */
@Component
class CloudWatchLogGroupVolume implements LogGroupVolume {

    static final String NAMESPACE = "AWS/Logs";
    static final List<String> METRICS = List.of("IncomingLogEvents", "IncomingBytes");

    private final AwsClients clients;
    private final AwsErrors errors;
    /** Each group's class, by place and name: it never changes. */
    private final java.util.Map<String, String> classes = new java.util.concurrent.ConcurrentHashMap<>();

    CloudWatchLogGroupVolume(AwsClients clients, AwsErrors errors) {
        this.clients = clients;
        this.errors = errors;
    }

    @Override
    public Volume of(Place place, String logGroup, Instant from, Instant to) {
        String logGroupClass = classes.computeIfAbsent(place.label() + " " + logGroup, k -> classOf(place, logGroup));
        Instant start = from.truncatedTo(ChronoUnit.MINUTES);
        Instant end = to.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        List<MetricDataQuery> queries = new java.util.ArrayList<>();
        for (int i = 0; i < METRICS.size(); i++) {
            queries.add(MetricDataQuery.builder()
                    .id("m" + i)
                    .metricStat(MetricStat.builder()
                            .metric(Metric.builder()
                                    .namespace(NAMESPACE)
                                    .metricName(METRICS.get(i))
                                    .dimensions(Dimension.builder()
                                            .name("LogGroupName")
                                            .value(logGroup)
                                            .build())
                                    .build())
                            .period(60)
                            .stat("Sum")
                            .build())
                    .returnData(true)
                    .build());
        }
        Double[] sums = new Double[METRICS.size()];
        try {
            for (GetMetricDataResponse page : clients.cloudWatch(place)
                    .getMetricDataPaginator(
                            r -> r.metricDataQueries(queries).startTime(start).endTime(end))) {
                for (MetricDataResult result : page.metricDataResults()) {
                    int i = Integer.parseInt(result.id().substring(1));
                    for (Double v : result.values()) {
                        sums[i] = (sums[i] == null ? 0 : sums[i]) + v;
                    }
                }
            }
        } catch (SdkException e) {
            throw errors.translate(place, "GetMetricData", e);
        }
        return new Volume(logGroupClass, rounded(sums[0]), rounded(sums[1]));
    }

    private String classOf(Place place, String logGroup) {
        try {
            LogGroup group =
                    clients.logs(place).describeLogGroups(r -> r.logGroupNamePrefix(logGroup)).logGroups().stream()
                            .filter(g -> g.logGroupName().equals(logGroup))
                            .findFirst()
                            .orElseThrow(() -> new IllegalStateException("log group " + logGroup + " does not exist"));
            return group.logGroupClassAsString() == null ? Volume.STANDARD : group.logGroupClassAsString();
        } catch (SdkException e) {
            throw errors.translate(place, "DescribeLogGroups", e);
        }
    }

    private static @Nullable Long rounded(@Nullable Double value) {
        return value == null ? null : Math.round(value);
    }
}
