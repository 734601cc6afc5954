package dev.vpcflowlogs.recorder.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Amazon S3's GetObject over its REST protocol, path-style ({@code GET /bucket/key}), for the recorder's configuration
 * import ({@code spring.config.import=aws-s3:bucket/key}). Each rule follows the S3 API reference, GetObject:
 *
 * <ul>
 *   <li>a request without SigV4 credentials for the {@code s3} service: 403 AccessDenied;
 *   <li>a bucket that does not exist: 404 NoSuchBucket; a key that does not exist: 404 NoSuchKey (the caller may list
 *       the bucket; without s3:ListBucket S3 answers 403 AccessDenied instead, the stricter case is not modelled);
 *   <li>the object's {@code Content-Type} is the one it was put with: readers (Spring Cloud AWS) choose their parser by
 *       it;
 *   <li>any other method or a virtual-hosted request: 405 MethodNotAllowed / 400 InvalidRequest, not ignored.
 * </ul>
 */
public final class S3StandIn implements AutoCloseable {

    record StoredObject(byte[] content, String contentType) {}

    private final HttpServer server;
    private final Map<String, Map<String, StoredObject>> buckets = new ConcurrentHashMap<>();
    private final List<String> gets = new CopyOnWriteArrayList<>();

    private S3StandIn(HttpServer server) {
        this.server = server;
    }

    public static S3StandIn start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            S3StandIn s3 = new S3StandIn(server);
            server.createContext("/", s3::handle);
            server.start();
            return s3;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public S3StandIn bucket(String bucket) {
        buckets.putIfAbsent(bucket, new ConcurrentHashMap<>());
        return this;
    }

    /** PutObject, as {@code aws s3 cp --content-type} would. */
    public S3StandIn object(String bucket, String key, String content, String contentType) {
        bucket(bucket)
                .buckets
                .get(bucket)
                .put(key, new StoredObject(content.getBytes(StandardCharsets.UTF_8), contentType));
        return this;
    }

    /** The {@code bucket/key} of every GetObject answered, in order. */
    public List<String> gets() {
        return Collections.unmodifiableList(gets);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !authorization.contains("/s3/aws4_request")) {
                error(exchange, 403, "AccessDenied", "Access Denied");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                error(exchange, 405, "MethodNotAllowed", "The stand-in serves GetObject only");
                return;
            }
            String host = String.valueOf(exchange.getRequestHeaders().getFirst("Host"));
            if (!host.startsWith("127.0.0.1") && !host.startsWith("localhost")) {
                error(exchange, 400, "InvalidRequest", "Virtual-hosted-style requests are not served here");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            int slash = path.indexOf('/', 1);
            if (slash < 0) {
                error(exchange, 405, "MethodNotAllowed", "ListObjects is not served here");
                return;
            }
            String bucket = path.substring(1, slash);
            String key = path.substring(slash + 1);
            Map<String, StoredObject> objects = buckets.get(bucket);
            if (objects == null) {
                error(exchange, 404, "NoSuchBucket", "The specified bucket does not exist");
                return;
            }
            StoredObject object = objects.get(key);
            if (object == null) {
                error(exchange, 404, "NoSuchKey", "The specified key does not exist.");
                return;
            }
            gets.add(bucket + "/" + key);
            exchange.getResponseHeaders().add("Content-Type", object.contentType());
            exchange.getResponseHeaders()
                    .add("ETag", "\"" + Integer.toHexString(java.util.Arrays.hashCode(object.content())) + "\"");
            exchange.sendResponseHeaders(200, object.content().length);
            exchange.getResponseBody().write(object.content());
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                        + "</Message><RequestId>stand-in</RequestId></Error>")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/xml");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
