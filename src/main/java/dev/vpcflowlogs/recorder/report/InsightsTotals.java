package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.FlowLogFormat;
import dev.vpcflowlogs.recorder.report.FlowLogQueries.Answer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The three Logs Insights queries that sum a whole recording as streaming does, and their sums: what each stream
 * delivered (records, those the format parsed, their size), bytes and packets by direction and status (the window,
 * NODATA and SKIPDATA skipped), and the clients' side of the NAT by AWS service (each byte it processed, once).
 */
final class InsightsTotals {

    private final FlowLogFormat format;
    private final List<String> names;

    InsightsTotals(FlowLogFormat format) {
        this.format = format;
        this.names = format.insightsNames();
    }

    /** The three queries, in the order {@link #of} takes their answers. */
    List<String> queries(String head) {
        return List.of(delivered(head), directions(head), clientSide(head));
    }

    Sums of(Answer delivered, Answer directions, Answer clientSide) {
        return Sums.of(delivered, directions, clientSide, format);
    }

    /** What each source's streams delivered, from the rows by {@code @logStream}. */
    static FlowLogSource.Delivery delivery(Answer byStream, boolean regional, Map<String, List<String>> streams) {
        Map<String, List<String>> streamsOf = new LinkedHashMap<>();
        Map<String, Long> records = new LinkedHashMap<>();
        streams.keySet().forEach(s -> {
            streamsOf.put(s, new ArrayList<>());
            records.put(s, 0L);
        });
        for (Map<String, String> row : byStream.rows()) {
            String stream = row.getOrDefault("@logStream", "");
            streams.forEach((source, prefixes) -> {
                boolean ours =
                        regional ? prefixes.stream().anyMatch(stream::startsWith) : stream.equals(source + "-all");
                List<String> found = streamsOf.computeIfAbsent(source, k -> new ArrayList<>());
                if (ours && !found.contains(stream)) {
                    found.add(stream);
                    records.merge(source, ExactTop.number(row.get("records")), Long::sum);
                }
            });
        }
        Map<String, FlowLogSource.Delivered> bySource = new LinkedHashMap<>();
        streamsOf.forEach(
                (s, names) -> bySource.put(s, new FlowLogSource.Delivered(names, records.getOrDefault(s, 0L))));
        return new FlowLogSource.Delivery(bySource);
    }

    /** Every record by stream: how many, how many the format parsed, and their size as delivered. */
    private String delivered(String head) {
        return head + "\n| fields strlen(@message) as message_bytes"
                + "\n| stats count(*) as records, count(" + names.get(names.size() - 1)
                + ") as parsed, sum(message_bytes) as message_bytes by @logStream";
    }

    /** Every record by direction and status: bytes, packets, and the window they cover. */
    private String directions(String head) {
        StringBuilder q = new StringBuilder(head).append("\n| fields toMillis(@timestamp) as event_ms");
        q.append("\n| stats count(*) as records, sum(bytes) as bytes");
        if (names.contains("packets")) {
            q.append(", sum(packets) as packets");
        }
        q.append(", min(event_ms) as first_ms, max(event_ms) as last_ms");
        if (names.contains("start")) {
            q.append(", min(start) as first_start");
        }
        if (names.contains("end")) {
            q.append(", max(end) as last_end");
        }
        q.append(" by flow_direction");
        if (names.contains("log_status")) {
            q.append(", log_status");
        }
        return q.toString();
    }

    /** The clients' side of the NAT (each byte it processed, once): by direction and AWS service. */
    private String clientSide(String head) {
        StringBuilder q = new StringBuilder(head)
                .append("\n| filter (flow_direction = \"ingress\" and dstaddr != pkt_dstaddr)")
                .append(" or (flow_direction = \"egress\" and srcaddr != pkt_srcaddr)")
                .append("\n| stats sum(bytes) as bytes by flow_direction");
        if (names.contains("pkt_src_aws_service")) {
            q.append(", pkt_src_aws_service");
        }
        if (names.contains("pkt_dst_aws_service")) {
            q.append(", pkt_dst_aws_service");
        }
        return q.toString();
    }

    /** The sums of the whole recording, as the three queries answered them. */
    static final class Sums {
        long records;
        long messageBytes;
        final Map<String, Long> skipped = new TreeMap<>();
        long bytes;
        long packets;
        Long ingress = 0L;
        Long egress = 0L;

        @Nullable
        Instant first;

        @Nullable
        Instant last;

        long sent;
        long received;
        final Map<String, Long> services = new TreeMap<>();

        private static Sums of(Answer delivered, Answer directions, Answer clientSide, FlowLogFormat format) {
            Sums t = new Sums();
            long parsed = 0;
            for (Map<String, String> row : delivered.rows()) {
                t.records += ExactTop.number(row.get("records"));
                parsed += ExactTop.number(row.get("parsed"));
                t.messageBytes += ExactTop.number(row.get("message_bytes"));
            }
            if (t.records > parsed) {
                t.skipped.put("unparsable", t.records - parsed);
            }
            long firstSecond = Long.MAX_VALUE;
            long lastSecond = Long.MIN_VALUE;
            boolean hasStatus = format.has("log-status");
            for (Map<String, String> row : directions.rows()) {
                String direction = row.get("flow_direction");
                String status = row.get("log_status");
                long count = ExactTop.number(row.get("records"));
                if (direction == null && status == null) {
                    continue; // records the format did not parse: counted above
                }
                if (hasStatus && ("NODATA".equals(status) || "SKIPDATA".equals(status))) {
                    t.skipped.merge(status, count, Long::sum);
                    continue;
                }
                // Without log-status a record without data has "-" in its fields (the direction, the bytes).
                if (!hasStatus && "-".equals(direction)) {
                    t.skipped.merge("NODATA", count, Long::sum);
                    continue;
                }
                long b = ExactTop.number(row.get("bytes"));
                t.bytes += b;
                t.packets += ExactTop.number(row.get("packets"));
                if ("ingress".equals(direction)) {
                    t.ingress += b;
                } else if ("egress".equals(direction)) {
                    t.egress += b;
                }
                long from = row.get("first_start") != null
                        ? ExactTop.number(row.get("first_start"))
                        : Math.floorDiv(ExactTop.number(row.get("first_ms")), 1000);
                long to = row.get("last_end") != null
                        ? ExactTop.number(row.get("last_end"))
                        : Math.floorDiv(ExactTop.number(row.get("last_ms")), 1000);
                firstSecond = Math.min(firstSecond, from);
                lastSecond = Math.max(lastSecond, Math.max(from, to));
            }
            t.first = firstSecond == Long.MAX_VALUE ? null : Instant.ofEpochSecond(firstSecond);
            t.last = lastSecond == Long.MIN_VALUE ? null : Instant.ofEpochSecond(lastSecond);
            for (Map<String, String> row : clientSide.rows()) {
                long b = ExactTop.number(row.get("bytes"));
                if ("ingress".equals(row.get("flow_direction"))) {
                    t.sent += b;
                } else {
                    t.received += b;
                }
                String service = serviceOf(row.get("pkt_src_aws_service"), row.get("pkt_dst_aws_service"));
                if (service != null) {
                    t.services.merge(service, b, Long::sum);
                }
            }
            return t;
        }

        /** As streaming: the source's service, else the destination's. */
        private static @Nullable String serviceOf(@Nullable String source, @Nullable String destination) {
            if (source != null && !source.equals("-")) {
                return source;
            }
            return destination != null && !destination.equals("-") ? destination : null;
        }
    }
}
