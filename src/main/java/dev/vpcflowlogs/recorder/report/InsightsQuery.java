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
        query.append("\n| parse @message \"")
                .append(String.join(" ", Collections.nCopies(names.size(), "*")))
                .append("\" as ")
                .append(String.join(", ", names));
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
