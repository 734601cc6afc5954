package dev.vpcflowlogs.recorder.standin;

import dev.vpcflowlogs.recorder.standin.AwsStandIn.ApiError;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.Response;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** CloudWatch Logs, JSON 1.1: {@code X-Amz-Target: Logs_20140328.<Op>}. */
final class LogsApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TYPE = "application/x-amz-json-1.1";

    private LogsApi() {}

    static Response handle(AwsStandIn standIn, String action, String body) {
        JsonNode request = JSON.readTree(body.isEmpty() ? "{}" : body);
        String group = request.path("logGroupName").asString(null);
        switch (action) {
            case "CreateLogGroup" -> {
                if (group == null) {
                    throw new ApiError(400, "InvalidParameterException", "logGroupName is required");
                }
                if (standIn.logGroups.putIfAbsent(group, 0) != null) {
                    throw new ApiError(400, "ResourceAlreadyExistsException", "The specified log group already exists");
                }
                return new Response(200, TYPE, "{}");
            }
            case "PutRetentionPolicy" -> {
                if (group == null || !standIn.logGroups.containsKey(group)) {
                    throw new ApiError(400, "ResourceNotFoundException", "The specified log group does not exist.");
                }
                standIn.logGroups.put(group, request.path("retentionInDays").asInt());
                return new Response(200, TYPE, "{}");
            }
            default ->
                throw new ApiError(400, "UnknownOperationException", "the stand-in does not implement " + action);
        }
    }
}
