package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.FlowLogFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A CloudWatch Logs Insights query that parses the configured flow log format and sums the traffic by who talked to
 * whom, as the original's saved query did, but generated from whatever format is configured.
 */
public final class InsightsQuery {

    private InsightsQuery() {}

    public static String forRecording(FlowLogFormat format, List<String> interfaceIds) {
        List<String> names = format.insightsNames();
        StringBuilder query = new StringBuilder("fields @timestamp, @message");
        if (!interfaceIds.isEmpty()) {
            query.append("\n| filter @logStream in [")
                    .append(interfaceIds.stream()
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

    private static void addFirstPresent(List<String> by, List<String> names, String... candidates) {
        for (String candidate : candidates) {
            if (names.contains(candidate)) {
                by.add(candidate);
                return;
            }
        }
    }
}
