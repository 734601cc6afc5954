package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.FlowLogFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A CloudWatch Logs Insights query that parses the configured flow log format and sums the traffic by who talked to
 * whom, as the original's saved query did, but generated from whatever format is configured.
 */
public final class InsightsQuery {

    private InsightsQuery() {}

    /**
     * The query over a recording's streams: a zonal gateway's interfaces by their exact stream names
     * ({@code <eni>-all}), a regional gateway's flow log by the prefixes its streams may start with (AWS does not
     * document their names).
     *
     * @param regional whether the recording is of a regional gateway
     * @param streamPrefixes the prefixes of each recorded source ({@link
     *     dev.vpcflowlogs.recorder.recording.Recording#streamSources()})
     */
    public static String forRecording(
            FlowLogFormat format, boolean regional, Map<String, List<String>> streamPrefixes) {
        List<String> names = format.insightsNames();
        StringBuilder query = head(format, regional, streamPrefixes);
        List<String> by = new ArrayList<>();
        addFirstPresent(by, names, "pkt_srcaddr", "srcaddr");
        addFirstPresent(by, names, "pkt_dstaddr", "dstaddr");
        addFirstPresent(by, names, "dstport");
        addFirstPresent(by, names, "protocol");
        addFirstPresent(by, names, "pkt_dst_aws_service");
        if (by.isEmpty()) {
            by.add(names.get(0));
        }
        boolean bytes = names.contains("bytes");
        String measure = bytes ? "sum(bytes) as total_bytes, count(*) as records" : "count(*) as records";
        query.append("\n| stats ")
                .append(measure)
                .append(" by ")
                .append(String.join(", ", by))
                .append("\n| sort ")
                .append(bytes ? "total_bytes" : "records")
                .append(" desc\n| limit 50");
        return query.toString();
    }

    /** A query with what it answers. */
    public record Titled(String title, String query) {}

    /** Whether the format tells the NAT's two sides apart (the fields the report counts each byte once with). */
    static boolean tellsSides(FlowLogFormat format) {
        return format.tellsNatSides();
    }

    /**
     * The queries of a recording, counting each byte once as the report does: only the legs between the clients and
     * the NAT, whose packet fields hold the real hosts (on the other legs the NAT's address is in the header and the
     * packet fields alike). Logs Insights has no conditional to turn one leg around, so the bytes a host sent and those
     * it received are two queries, each by internal host, remote host and remote port. A format without those fields
     * gets the one query that sums every record.
     */
    public static List<Titled> queries(FlowLogFormat format, boolean regional, Map<String, List<String>> streams) {
        if (!tellsSides(format)) {
            return List.of(new Titled(
                    "every record, both sides of the NAT (the format cannot tell them apart)",
                    forRecording(format, regional, streams)));
        }
        boolean protocol = format.insightsNames().contains("protocol");
        String sent = head(format, regional, streams)
                + "\n| filter flow_direction = \"ingress\" and dstaddr != pkt_dstaddr"
                + "\n| stats sum(bytes) as sent by pkt_srcaddr, pkt_dstaddr, "
                + (format.insightsNames().contains("dstport") ? "dstport" : "pkt_dstaddr")
                + (protocol ? ", protocol" : "")
                + "\n| sort sent desc\n| limit 50";
        String received = head(format, regional, streams)
                + "\n| filter flow_direction = \"egress\" and srcaddr != pkt_srcaddr"
                + "\n| stats sum(bytes) as received by pkt_dstaddr, pkt_srcaddr, "
                + (format.insightsNames().contains("srcport") ? "srcport" : "pkt_srcaddr")
                + (protocol ? ", protocol" : "")
                + "\n| sort received desc\n| limit 50";
        return List.of(
                new Titled("sent: internal host (pkt_srcaddr) to remote host and port", sent),
                new Titled("received: internal host (pkt_dstaddr) from remote host and port", received));
    }

    /** Fields, the recording's streams, and the parse of the configured format. */
    static StringBuilder head(FlowLogFormat format, boolean regional, Map<String, List<String>> streamPrefixes) {
        List<String> names = format.insightsNames();
        StringBuilder query = new StringBuilder("fields @timestamp, @message");
        if (regional && !streamPrefixes.isEmpty()) {
            query.append("\n| filter @logStream like /^(")
                    .append(streamPrefixes.values().stream()
                            .flatMap(List::stream)
                            .distinct()
                            .map(InsightsQuery::literal)
                            .collect(Collectors.joining("|")))
                    .append(")/");
        } else if (!streamPrefixes.isEmpty()) {
            query.append("\n| filter @logStream in [")
                    .append(streamPrefixes.keySet().stream()
                            .map(id -> "\"" + id + "-all\"")
                            .collect(Collectors.joining(", ")))
                    .append("]");
        }
        return query.append("\n| parse @message \"")
                .append(String.join(" ", Collections.nCopies(names.size(), "*")))
                .append("\" as ")
                .append(String.join(", ", names));
    }

    /** An id in a regular expression: ids are letters, digits and dashes, but a dash is literal anyway. */
    private static String literal(String id) {
        return id.replaceAll("[^A-Za-z0-9-]", "");
    }

    private static void addFirstPresent(List<String> by, List<String> names, String... candidates) {
        for (String candidate : candidates) {
            if (names.contains(candidate)) {
                by.add(candidate);
                return;
            }
        }
    }
}
