package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.report.GatewayTraffic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;

/**
 * What a gateway processed lately, from one GetMetricData: the daily sums of its BytesInFromSource and
 * BytesInFromDestination (the data a NAT gateway bills for processing: what reaches it from either side), every page.
 */
@Component
class CloudWatchGatewayTraffic implements GatewayTraffic {

    static final List<String> PROCESSED = List.of("BytesInFromSource", "BytesInFromDestination");

    private final AwsClients clients;
    private final AwsErrors errors;
    private final Clock clock;

    CloudWatchGatewayTraffic(AwsClients clients, AwsErrors errors, Clock clock) {
        this.clients = clients;
        this.errors = errors;
        this.clock = clock;
    }

    @Override
    public long processedBytes(Place place, String natGatewayId, Duration last) {
        Instant end = clock.instant().truncatedTo(ChronoUnit.DAYS);
        Instant start = end.minus(last);
        List<MetricDataQuery> queries = new java.util.ArrayList<>();
        for (int i = 0; i < PROCESSED.size(); i++) {
            String metric = PROCESSED.get(i);
            queries.add(MetricDataQuery.builder()
                    .id("m" + i)
                    .metricStat(MetricStat.builder()
                            .metric(Metric.builder()
                                    .namespace(CloudWatchAlarmProvider.NAMESPACE)
                                    .metricName(metric)
                                    .dimensions(Dimension.builder()
                                            .name(CloudWatchAlarmProvider.DIMENSION)
                                            .value(natGatewayId)
                                            .build())
                                    .build())
                            .period(86_400)
                            .stat("Sum")
                            .build())
                    .returnData(true)
                    .build());
        }
        double total = 0;
        try {
            for (GetMetricDataResponse page : clients.cloudWatch(place)
                    .getMetricDataPaginator(
                            r -> r.metricDataQueries(queries).startTime(start).endTime(end))) {
                for (MetricDataResult result : page.metricDataResults()) {
                    total += result.values().stream()
                            .mapToDouble(Double::doubleValue)
                            .sum();
                }
            }
        } catch (SdkException e) {
            throw errors.translate(place, "GetMetricData", e);
        }
        return Math.round(total);
    }
}
