package dev.vpcflowlogs.recorder.intake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the training run's AWS endpoint answers (an image build reaches no AWS): just enough EC2 for a spike to go the
 * whole way, DescribeNatGateways to CreateFlowLogs and DeleteFlowLogs, so the classes and profiles of that path go
 * into the ahead-of-time cache as well; without it the first real spike after a start loaded and compiled them. Each
 * answer is shaped as the EC2 API reference shows it (the Query protocol's XML, a dry run's DryRunOperation with 412);
 * every other call, of any service, is refused with 400, so those paths fail at once as they did before. It listens
 * on the loopback address and port of {@code spring.cloud.aws.endpoint}, only during a training run.
 */
final class TrainingAws implements AutoCloseable {

    private static final String EC2_VERSION = "Version=2016-11-15";
    private static final String EC2_NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private final HttpServer server;
    private final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();

    private TrainingAws(HttpServer server) {
        this.server = server;
    }

    /** Listens at {@code endpoint}, which must be on the loopback address (nothing outside the build answers). */
    static TrainingAws at(URI endpoint) throws IOException {
        if (endpoint.getHost() == null
                || !endpoint.getHost().equals("127.0.0.1")
                        && !endpoint.getHost().equals("localhost")) {
            throw new IllegalArgumentException("recorder.training-run answers AWS itself and needs"
                    + " spring.cloud.aws.endpoint on 127.0.0.1, not " + endpoint);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", endpoint.getPort()), 0);
        TrainingAws aws = new TrainingAws(server);
        server.createContext("/", aws::handle);
        server.start();
        return aws;
    }

    /** How many times this EC2 action was answered with success. */
    int answered(String action) {
        AtomicInteger count = answered.get(action);
        return count == null ? 0 : count.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!body.contains(EC2_VERSION)) {
                refuse(exchange);
                return;
            }
            Map<String, List<String>> params = form(body);
            String action = first(params, "Action");
            if ("true".equals(first(params, "DryRun"))) {
                ec2Error(exchange, 412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
                return;
            }
            String result =
                    switch (action) {
                        case "DescribeNatGateways" -> "<natGatewaySet>" + natGateways(params) + "</natGatewaySet>";
                        case "CreateFlowLogs" -> flowLogsCreated(params);
                        case "DeleteFlowLogs" -> "<unsuccessful/>";
                        case "DescribeFlowLogs" -> "<flowLogSet/>";
                        default -> null;
                    };
            if (result == null) {
                ec2Error(exchange, 400, "UnauthorizedOperation", "The training run answers no " + action + ".");
                return;
            }
            answered.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
            send(
                    exchange,
                    200,
                    "text/xml;charset=UTF-8",
                    "<" + action + "Response xmlns=\"" + EC2_NAMESPACE + "\"><requestId>training</requestId>" + result
                            + "</" + action + "Response>");
        }
    }

    /** One available zonal gateway of one interface for each id asked for, by its id or the nat-gateway-id filter. */
    private static String natGateways(Map<String, List<String>> params) {
        List<String> ids = new ArrayList<>(params.getOrDefault("NatGatewayId", List.of()));
        params.forEach((key, values) -> {
            if (key.startsWith("Filter.") && key.endsWith(".Value")) {
                String name = first(params, key.substring(0, key.length() - ".Value".length()) + ".Name");
                if ("nat-gateway-id".equals(name)) {
                    ids.addAll(values);
                }
            }
        });
        StringBuilder items = new StringBuilder();
        for (String id : ids) {
            items.append("<item><natGatewayId>")
                    .append(id)
                    .append("</natGatewayId><state>available</state><connectivityType>public</connectivityType>")
                    .append("<availabilityMode>zonal</availabilityMode><vpcId>vpc-0training</vpcId>")
                    .append("<subnetId>subnet-0training</subnetId><natGatewayAddressSet><item>")
                    .append("<networkInterfaceId>eni-")
                    .append(id.substring(id.indexOf('-') + 1))
                    .append("</networkInterfaceId><privateIp>10.0.0.1</privateIp><publicIp>203.0.113.1</publicIp>")
                    .append("<allocationId>eipalloc-0training</allocationId><isPrimary>true</isPrimary>")
                    .append("<status>succeeded</status></item></natGatewayAddressSet></item>");
        }
        return items.toString();
    }

    private static String flowLogsCreated(Map<String, List<String>> params) {
        StringBuilder ids = new StringBuilder();
        List<String> resources = params.getOrDefault("ResourceId", List.of());
        for (int i = 0; i < resources.size(); i++) {
            ids.append("<item>fl-0training").append(i).append("</item>");
        }
        return "<clientToken>" + first(params, "ClientToken") + "</clientToken><flowLogIdSet>" + ids
                + "</flowLogIdSet><unsuccessful/>";
    }

    /** The form's parameters, a list's members ({@code ResourceId.1}, {@code Filter.1.Value.2}) under its name. */
    private static Map<String, List<String>> form(String body) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8)
                    .replaceAll("\\.\\d+$", "");
            params.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    private static void ec2Error(HttpExchange exchange, int status, String code, String message) throws IOException {
        send(
                exchange,
                status,
                "text/xml;charset=UTF-8",
                "<Response><Errors><Error><Code>" + code + "</Code><Message>" + message
                        + "</Message></Error></Errors><RequestID>training</RequestID></Response>");
    }

    /** Any other service: refused, in its protocol's shape where the request shows it. */
    private static void refuse(HttpExchange exchange) throws IOException {
        if (exchange.getRequestHeaders().containsKey("X-Amz-Target")) {
            send(
                    exchange,
                    400,
                    "application/x-amz-json-1.1",
                    "{\"__type\":\"AccessDeniedException\",\"message\":\"no AWS in a training run\"}");
        } else {
            send(
                    exchange,
                    400,
                    "text/xml;charset=UTF-8",
                    "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                            + "<Message>no AWS in a training run</Message></Error><RequestId>training</RequestId>"
                            + "</ErrorResponse>");
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
