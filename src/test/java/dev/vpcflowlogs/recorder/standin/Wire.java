package dev.vpcflowlogs.recorder.standin;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every service of the stand-in shares on the wire: who signed a request (the SigV4 {@code Authorization}
 * header: {@code Credential=<key>/<date>/<region>/<service>/aws4_request}; the signature itself is not checked), the
 * form encoding of the query protocols (EC2, SNS, STS), and how each protocol answers an error (AWS SDK for Java 2.x
 * protocol tests; aws-facts, section 9).
 */
final class Wire {

    private Wire() {}

    enum Protocol {
        EC2,
        SNS,
        STS,
        JSON,
        CBOR
    }

    record Response(int status, String contentType, byte[] body) {
        Response(int status, String contentType, String body) {
            this(status, contentType, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Who sent a request: its User-Agent and the credentials it was signed with. */
    record Caller(String userAgent, String accessKeyId, String sessionToken, String region) {

        /** {@code Credential=<key>/<date>/<region>/<service>/aws4_request}. */
        private static final java.util.regex.Pattern CREDENTIAL =
                java.util.regex.Pattern.compile("Credential=([^/,\\s]+)/[^/]+/([^/]+)/");

        static Caller of(HttpExchange exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String key = null;
            String region = AwsStandIn.DEFAULT_REGION;
            if (authorization != null && authorization.startsWith("AWS4-HMAC-SHA256")) {
                java.util.regex.Matcher m = CREDENTIAL.matcher(authorization);
                if (m.find()) {
                    key = m.group(1);
                    region = m.group(2);
                }
            }
            return new Caller(
                    exchange.getRequestHeaders().getFirst("User-Agent"),
                    key,
                    exchange.getRequestHeaders().getFirst("X-Amz-Security-Token"),
                    region);
        }
    }

    /** An error answered in the protocol's own shape. */
    static final class ApiError extends RuntimeException {
        final int status;
        final String code;

        ApiError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    /** An error in the protocol's own shape: EC2's {@code <Response><Errors>}, the query protocols'
     * {@code <ErrorResponse>} (Sender for 4xx, Receiver for 5xx), JSON's {@code __type}, CBOR's {@code __type}. */
    static Response error(Protocol protocol, int status, String code, String message, String requestId) {
        return switch (protocol) {
            case EC2 ->
                new Response(
                        status,
                        "text/xml",
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>"
                                + Xml.escape(code) + "</Code><Message>" + Xml.escape(message)
                                + "</Message></Error></Errors><RequestID>"
                                + requestId + "</RequestID></Response>");
            case SNS, STS ->
                new Response(
                        status,
                        "text/xml",
                        "<ErrorResponse xmlns=\""
                                + (protocol == Protocol.SNS
                                        ? "http://sns.amazonaws.com/doc/2010-03-31/"
                                        : CredentialsApi.STS_NS)
                                + "\">"
                                + "<Error><Type>" + (status >= 500 ? "Receiver" : "Sender") + "</Type><Code>"
                                + Xml.escape(code)
                                + "</Code><Message>" + Xml.escape(message) + "</Message></Error><RequestId>"
                                + requestId
                                + "</RequestId></ErrorResponse>");
            case JSON ->
                new Response(
                        status,
                        "application/x-amz-json-1.1",
                        "{\"__type\":\"" + code + "\",\"message\":\"" + message.replace("\"", "'") + "\"}");
            case CBOR ->
                CloudWatchApi.cbor(status, Map.of("__type", "com.amazonaws.cloudwatch#" + code, "message", message));
        };
    }

    static String servicePrefix(Protocol protocol) {
        return switch (protocol) {
            case EC2 -> "ec2";
            case SNS -> "sns";
            case STS -> "sts";
            case JSON -> "logs";
            case CBOR -> "cloudwatch";
        };
    }

    static Map<String, String> parseForm(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
