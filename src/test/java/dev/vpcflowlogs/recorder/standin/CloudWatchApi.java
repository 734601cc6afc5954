package dev.vpcflowlogs.recorder.standin;

import dev.vpcflowlogs.recorder.standin.AwsStandIn.Alarm;
import dev.vpcflowlogs.recorder.standin.Wire.ApiError;
import dev.vpcflowlogs.recorder.standin.Wire.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * CloudWatch's Smithy RPC v2 CBOR protocol: {@code POST /service/GraniteServiceVersion20100801/operation/<Op>} with
 * a CBOR map in and out, errors as a map with {@code __type} (SDK 2.40.6 and later; aws-facts, section 9). It keeps
 * metric alarms and their tags, answers DescribeAlarms with MetricAlarm members only, DeleteAlarms' known names then
 * ResourceNotFound, and GetMetricData over daily sums (CloudWatch API reference; docs/aws-behaviour.md, "CloudWatch").
 */
final class CloudWatchApi {

    static final String PATH = "/service/GraniteServiceVersion20100801/operation/";
    static final String CONTENT_TYPE = "application/cbor";
    private static final Logger log = LoggerFactory.getLogger(CloudWatchApi.class);
    private static final CBORMapper CBOR = CBORMapper.builder().build();
    private static final String ARN_PREFIX = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:";

    private final Map<String, Alarm> alarms = new TreeMap<>();
    /** Daily sums of AWS/NATGateway metrics, by "gateway/metric". */
    private final Map<String, Double> dailySums = new LinkedHashMap<>();

    private CloudWatchApi() {}

    static CloudWatchApi create() {
        return new CloudWatchApi();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(byte[] body) {
        if (body.length == 0) {
            return Map.of();
        }
        return CBOR.readValue(body, Map.class);
    }

    static Response cbor(int status, Map<String, ?> body) {
        return new Response(status, CONTENT_TYPE, CBOR.writeValueAsBytes(body));
    }

    synchronized Response handle(AwsStandIn standIn, String action, Map<String, Object> request) {
        return switch (action) {
            case "PutMetricAlarm" -> putMetricAlarm(request);
            case "DescribeAlarms" -> describeAlarms(request);
            case "DeleteAlarms" -> deleteAlarms(request);
            case "ListTagsForResource" -> listTags(request);
            case "TagResource" -> tagResource(request);
            case "GetMetricData" -> getMetricData(standIn, request);
            default -> throw new ApiError(400, "InvalidAction", "the stand-in does not implement CloudWatch " + action);
        };
    }

    synchronized Map<String, Alarm> alarms() {
        return Map.copyOf(alarms);
    }

    synchronized void dailySum(String natGatewayId, String metric, double bytesPerDay) {
        dailySums.put(natGatewayId + "/" + metric, bytesPerDay);
    }

    /**
     * GetMetricData with MetricStat queries (CloudWatch API reference: at most 500 queries; an Id starts with a lower
     * case letter; Period a multiple of 60; StartTime before EndTime). Each AWS/NATGateway metric a test gave a daily
     * sum answers that sum for each period of a day in the window. AWS/Logs IncomingLogEvents and IncomingBytes of a
     * LogGroupName answer the events the group holds by period (each event's time standing for its ingestion), a
     * period without events no value; any other metric answers no value.
     */
    private Response getMetricData(AwsStandIn standIn, Map<String, Object> request) {
        List<?> queries = (List<?>) request.get("MetricDataQueries");
        if (queries == null || queries.isEmpty() || queries.size() > 500) {
            throw new ApiError(400, "InvalidParameterValue", "MetricDataQueries must hold 1 to 500 queries");
        }
        double start = seconds(request.get("StartTime"));
        double end = seconds(request.get("EndTime"));
        if (!(start < end)) {
            throw new ApiError(400, "InvalidParameterValue", "StartTime must be before EndTime");
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (Object q : queries) {
            Map<?, ?> query = (Map<?, ?>) q;
            String id = (String) query.get("Id");
            if (id == null || !id.matches("[a-z][a-zA-Z0-9_]*")) {
                throw new ApiError(400, "InvalidParameterValue", "Id must start with a lower case letter: " + id);
            }
            Map<?, ?> stat = (Map<?, ?>) query.get("MetricStat");
            if (stat == null) {
                throw new ApiError(400, "InvalidParameterValue", "the stand-in answers MetricStat queries only");
            }
            int period = ((Number) stat.get("Period")).intValue();
            if (period <= 0 || period % 60 != 0 || stat.get("Stat") == null) {
                throw new ApiError(400, "InvalidParameterValue", "Period must be a multiple of 60, with a Stat");
            }
            Map<?, ?> metric = (Map<?, ?>) stat.get("Metric");
            String gateway = null;
            List<?> dimensions = metric.get("Dimensions") == null ? List.of() : (List<?>) metric.get("Dimensions");
            for (Object d : dimensions) {
                if ("NatGatewayId".equals(((Map<?, ?>) d).get("Name"))) {
                    gateway = (String) ((Map<?, ?>) d).get("Value");
                }
            }
            Double perDay = "AWS/NATGateway".equals(metric.get("Namespace"))
                    ? dailySums.get(gateway + "/" + metric.get("MetricName"))
                    : null;
            List<Double> values = new ArrayList<>();
            if ("AWS/Logs".equals(metric.get("Namespace"))) {
                values.addAll(logMetric(standIn, (String) metric.get("MetricName"), dimensions, start, end, period));
            }
            if (perDay != null) {
                long periods = (long) ((end - start) / period);
                for (long i = 0; i < periods; i++) {
                    values.add(perDay * period / 86_400);
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("Id", id);
            result.put("Label", metric.get("MetricName"));
            result.put("Values", values);
            result.put("StatusCode", "Complete");
            results.add(result);
        }
        log.info("Stand-in CloudWatch: GetMetricData with {} queries", queries.size());
        return cbor(200, Map.of("MetricDataResults", results, "Messages", List.of()));
    }

    /** IncomingLogEvents or IncomingBytes of a log group, summed by period; periods without events left out. */
    private static List<Double> logMetric(
            AwsStandIn standIn, String name, List<?> dimensions, double start, double end, int period) {
        String group = null;
        for (Object d : dimensions) {
            if ("LogGroupName".equals(((Map<?, ?>) d).get("Name"))) {
                group = (String) ((Map<?, ?>) d).get("Value");
            }
        }
        if (group == null || !List.of("IncomingLogEvents", "IncomingBytes").contains(name)) {
            return List.of();
        }
        java.util.TreeMap<Long, Double> sums = new java.util.TreeMap<>();
        long from = (long) (start * 1000);
        long to = (long) (end * 1000);
        for (List<LogsApi.LogEvent> events : standIn.logStreams(group).values()) {
            if (events instanceof LogsApi.Generated generated) {
                // Made when read: by time, from the first event of the window, without making the messages again.
                GeneratedEvents g = generated.events;
                for (int i = LogsApi.firstAtOrAfter(events, from); i < g.size() && g.timestamp(i) < to; i++) {
                    long slot = (g.timestamp(i) - from) / (period * 1000L);
                    sums.merge(slot, name.equals("IncomingBytes") ? g.length(i) : 1.0, Double::sum);
                }
                continue;
            }
            for (LogsApi.LogEvent e : events) {
                if (e.timestamp() >= from && e.timestamp() < to) {
                    long slot = (e.timestamp() - from) / (period * 1000L);
                    sums.merge(slot, name.equals("IncomingBytes") ? e.message().length() : 1.0, Double::sum);
                }
            }
        }
        return List.copyOf(sums.values());
    }

    private static double seconds(Object timestamp) {
        if (timestamp instanceof Number n) {
            return n.doubleValue();
        }
        throw new ApiError(400, "InvalidParameterValue", "StartTime and EndTime are required timestamps");
    }

    synchronized void put(Alarm alarm) {
        alarms.put(alarm.name(), alarm);
    }

    private Response putMetricAlarm(Map<String, Object> request) {
        String name = (String) request.get("AlarmName");
        if (name == null || name.isEmpty() || name.length() > 255) {
            throw new ApiError(400, "InvalidParameterValue", "AlarmName must be 1 to 255 characters");
        }
        if (!(request.get("EvaluationPeriods") instanceof Number) || request.get("ComparisonOperator") == null) {
            throw new ApiError(400, "MissingParameter", "EvaluationPeriods and ComparisonOperator are required");
        }
        List<?> metrics = (List<?>) request.get("Metrics");
        if (request.get("MetricName") == null && (metrics == null || metrics.isEmpty())) {
            throw new ApiError(400, "MissingParameter", "MetricName or Metrics is required");
        }
        boolean anomaly = request.get("ThresholdMetricId") != null;
        if (anomaly == (request.get("Threshold") != null)) {
            throw new ApiError(400, "ValidationError", "exactly one of Threshold and ThresholdMetricId is required");
        }
        long returning = metrics == null
                ? 1
                : metrics.stream()
                        .map(m -> (Map<?, ?>) m)
                        .filter(m -> !Boolean.FALSE.equals(m.get("ReturnData")))
                        .count();
        if (!anomaly && returning != 1) {
            throw new ApiError(400, "ValidationError", "exactly one entry of Metrics must return data");
        }
        Map<String, Object> settings = new LinkedHashMap<>(request);
        settings.remove("Tags");
        Alarm existing = alarms.get(name);
        Map<String, String> tags = existing != null ? existing.tags() : tags(request.get("Tags"));
        alarms.put(name, new Alarm(name, settings, tags));
        log.info("Stand-in CloudWatch: {} alarm {}", existing == null ? "created" : "updated", name);
        return cbor(200, Map.of());
    }

    private Response describeAlarms(Map<String, Object> request) {
        String prefix = (String) request.get("AlarmNamePrefix");
        List<?> names = (List<?>) request.get("AlarmNames");
        int max = request.get("MaxRecords") instanceof Number n ? n.intValue() : 50;
        if (max < 1 || max > 100) {
            throw new ApiError(400, "InvalidParameterValue", "MaxRecords must be 1 to 100");
        }
        List<Alarm> matching = alarms.values().stream()
                .filter(a -> prefix == null || a.name().startsWith(prefix))
                .filter(a -> names == null || names.contains(a.name()))
                .toList();
        int from = request.get("NextToken") == null ? 0 : Integer.parseInt((String) request.get("NextToken"));
        List<Map<String, Object>> page = new ArrayList<>();
        for (Alarm a : matching.subList(Math.min(from, matching.size()), Math.min(from + max, matching.size()))) {
            page.add(described(a));
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("MetricAlarms", page);
        response.put("CompositeAlarms", List.of());
        if (from + max < matching.size()) {
            response.put("NextToken", String.valueOf(from + max));
        }
        return cbor(200, response);
    }

    /**
     * DeleteAlarms: up to 100 names; "If you specify any incorrect alarm names, the alarms you specify with correct
     * names are still deleted" (the CloudWatch API reference). Whether the call then fails is not said; ResourceNotFound
     * is among its errors, so the stand-in deletes the known ones and answers it.
     */
    private Response deleteAlarms(Map<String, Object> request) {
        List<?> names = (List<?>) request.get("AlarmNames");
        if (names == null || names.isEmpty() || names.size() > 100) {
            throw new ApiError(400, "InvalidParameterValue", "AlarmNames must hold 1 to 100 names");
        }
        List<Object> unknown = names.stream()
                .filter(n -> !alarms.containsKey((String) n))
                .map(n -> (Object) n)
                .toList();
        names.forEach(alarms::remove);
        log.info("Stand-in CloudWatch: deleted alarms {}", names);
        if (!unknown.isEmpty()) {
            throw new ApiError(404, "ResourceNotFound", "Alarms " + unknown + " do not exist");
        }
        return cbor(200, Map.of());
    }

    /** The members of MetricAlarm (the CloudWatch API reference) an alarm made with PutMetricAlarm is described with. */
    private static final List<String> ALARM_FIELDS = List.of(
            "AlarmName",
            "AlarmDescription",
            "ActionsEnabled",
            "OKActions",
            "AlarmActions",
            "InsufficientDataActions",
            "MetricName",
            "Namespace",
            "Statistic",
            "ExtendedStatistic",
            "Dimensions",
            "Period",
            "Unit",
            "EvaluationPeriods",
            "DatapointsToAlarm",
            "Threshold",
            "ComparisonOperator",
            "TreatMissingData",
            "EvaluateLowSampleCountPercentile",
            "ThresholdMetricId");

    private static final List<String> QUERY_FIELDS = List.of("Id", "Expression", "Label", "Period", "AccountId");

    /**
     * An alarm as DescribeAlarms answers it: the MetricAlarm members only (no Tags), the actions as empty lists when
     * none were given, ActionsEnabled true unless set, a state, and each query as AWS returns it. ReturnData is left
     * out when it is true, CloudWatch's default ("If you omit this, the default of true is used"): the stricter
     * reading of what comes back, which a reader of the answer must handle.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> described(Alarm a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AlarmName", a.name());
        m.put("AlarmArn", ARN_PREFIX + a.name());
        for (String field : ALARM_FIELDS) {
            if (!field.equals("AlarmName") && a.settings().containsKey(field)) {
                m.put(field, a.settings().get(field));
            }
        }
        m.putIfAbsent("ActionsEnabled", true);
        m.putIfAbsent("OKActions", List.of());
        m.putIfAbsent("AlarmActions", List.of());
        m.putIfAbsent("InsufficientDataActions", List.of());
        m.put("StateValue", "INSUFFICIENT_DATA");
        m.put("StateReason", "Unchecked: Initial alarm creation");
        Object metrics = a.settings().get("Metrics");
        if (metrics instanceof List<?> queries) {
            List<Map<String, Object>> described = new ArrayList<>();
            for (Object q : queries) {
                Map<String, Object> query = (Map<String, Object>) q;
                Map<String, Object> d = new LinkedHashMap<>();
                for (String field : QUERY_FIELDS) {
                    if (query.containsKey(field)) {
                        d.put(field, query.get(field));
                    }
                }
                if (query.get("MetricStat") instanceof Map<?, ?> stat) {
                    Map<String, Object> s = new LinkedHashMap<>();
                    for (String field : List.of("Metric", "Period", "Stat", "Unit")) {
                        if (stat.containsKey(field)) {
                            s.put(field, stat.get(field));
                        }
                    }
                    d.put("MetricStat", s);
                }
                if (Boolean.FALSE.equals(query.get("ReturnData"))) {
                    d.put("ReturnData", false);
                }
                described.add(d);
            }
            m.put("Metrics", described);
        }
        return m;
    }

    private Response listTags(Map<String, Object> request) {
        Alarm alarm = byArn(request);
        List<Map<String, String>> tags = new ArrayList<>();
        alarm.tags().forEach((k, v) -> tags.add(Map.of("Key", k, "Value", v)));
        return cbor(200, Map.of("Tags", tags));
    }

    private Response tagResource(Map<String, Object> request) {
        Alarm alarm = byArn(request);
        Map<String, String> tags = new LinkedHashMap<>(alarm.tags());
        tags.putAll(tags(request.get("Tags")));
        alarms.put(alarm.name(), new Alarm(alarm.name(), alarm.settings(), tags));
        return cbor(200, Map.of());
    }

    private Alarm byArn(Map<String, Object> request) {
        String arn = (String) request.get("ResourceARN");
        if (arn == null || !arn.startsWith(ARN_PREFIX)) {
            throw new ApiError(400, "InvalidParameterValue", "ResourceARN is not an alarm ARN: " + arn);
        }
        Alarm alarm = alarms.get(arn.substring(ARN_PREFIX.length()));
        if (alarm == null) {
            throw new ApiError(404, "ResourceNotFoundException", "no alarm " + arn);
        }
        return alarm;
    }

    private static Map<String, String> tags(Object list) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (list instanceof List<?> entries) {
            for (Object entry : entries) {
                Map<?, ?> tag = (Map<?, ?>) entry;
                tags.put((String) tag.get("Key"), (String) tag.get("Value"));
            }
        }
        return tags;
    }
}
