package dev.vpcflowlogs.recorder.standin;

import dev.vpcflowlogs.recorder.standin.AwsStandIn.Alarm;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.ApiError;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.Response;
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
 * a CBOR map in and out, errors as a map with {@code __type}. It keeps metric alarms and their tags.
 */
final class CloudWatchApi {

    static final String PATH = "/service/GraniteServiceVersion20100801/operation/";
    static final String CONTENT_TYPE = "application/cbor";
    private static final Logger log = LoggerFactory.getLogger(CloudWatchApi.class);
    private static final CBORMapper CBOR = CBORMapper.builder().build();
    private static final String ARN_PREFIX = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:";

    private final Map<String, Alarm> alarms = new TreeMap<>();

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
            default -> throw new ApiError(400, "InvalidAction", "the stand-in does not implement CloudWatch " + action);
        };
    }

    synchronized Map<String, Alarm> alarms() {
        return Map.copyOf(alarms);
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
            Map<String, Object> m = new LinkedHashMap<>(a.settings());
            m.put("AlarmArn", ARN_PREFIX + a.name());
            m.put("StateValue", "INSUFFICIENT_DATA");
            m.putIfAbsent("ActionsEnabled", true);
            page.add(m);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("MetricAlarms", page);
        response.put("CompositeAlarms", List.of());
        if (from + max < matching.size()) {
            response.put("NextToken", String.valueOf(from + max));
        }
        return cbor(200, response);
    }

    private Response deleteAlarms(Map<String, Object> request) {
        List<?> names = (List<?>) request.get("AlarmNames");
        if (names == null || names.isEmpty() || names.size() > 100) {
            throw new ApiError(400, "InvalidParameterValue", "AlarmNames must hold 1 to 100 names");
        }
        for (Object name : names) {
            if (!alarms.containsKey((String) name)) {
                throw new ApiError(404, "ResourceNotFound", "Alarm " + name + " does not exist");
            }
        }
        names.forEach(alarms::remove);
        log.info("Stand-in CloudWatch: deleted alarms {}", names);
        return cbor(200, Map.of());
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
