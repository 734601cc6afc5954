package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.report.CostEstimate.ServiceAdvice;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport.Conversation;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport.Host;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The report as read in an email: aligned columns, human units, a few dozen lines. */
final class ReportSummary {

    static final int CONVERSATIONS = 5;
    static final int HOSTS = 3;
    static final int SERVICES = 4;

    private ReportSummary() {}

    static String render(
            SpikeReport r, CostEstimate costs, DeliveryReport delivery, Owners owners, @Nullable CrossAz crossAz) {
        return render(r, costs, delivery, owners, crossAz, null);
    }

    static String render(
            SpikeReport r,
            CostEstimate costs,
            DeliveryReport delivery,
            Owners owners,
            @Nullable CrossAz crossAz,
            @Nullable ReadBy by) {
        StringBuilder b = new StringBuilder();
        if (r.records() == r.skippedRecords()) {
            b.append("No flow log record arrived in the window: traffic may not have flowed, or CloudWatch Logs\n")
                    .append("delivered later than recorder.report.delay and recorder.report.retry-delay.\n");
            silent(b, delivery);
            return b.toString();
        }
        b.append(String.format(
                "%-16s %s, about %s for this window%s%n",
                "NAT processed",
                bytes(r.natProcessedBytes()) + (r.natProcessedEstimated() ? " (estimated)" : ""),
                money(costs.natProcessing()),
                costs.monthlyBytes() == null
                        ? ""
                        : "; " + bytes(costs.monthlyBytes()) + " a month (its last 30 days)"));
        b.append(String.format(
                "%-16s sent %s, received %s (by the VPC's hosts)%n",
                "Direction", bytes(r.sentBytes()), bytes(r.receivedBytes())));
        b.append(String.format(
                "%-16s %,d%s; first %s, last %s%n",
                "Records",
                r.records(),
                r.skipped().isEmpty()
                        ? ""
                        : " (skipped: "
                                + r.skipped().entrySet().stream()
                                        .sorted(Map.Entry.comparingByKey())
                                        .map(e -> e.getValue() + " " + e.getKey())
                                        .collect(Collectors.joining(", "))
                                + ")",
                r.firstRecord(),
                r.lastRecord()));
        if (!r.conversations().isEmpty()) {
            b.append(String.format("%n%-60s %10s %10s%n", "Top conversations", "sent", "received"));
            for (Conversation c : r.conversations()
                    .subList(0, Math.min(CONVERSATIONS, r.conversations().size()))) {
                b.append(String.format(
                        "  %-15s -> %-39s %10s %10s%n",
                        c.internalHost(),
                        c.remoteHost() + ":" + c.remotePort() + " " + protocol(c.protocol()),
                        bytes(c.sentBytes()),
                        bytes(c.receivedBytes())));
            }
            // An owner's label runs long on EKS (node, its Name, cluster, prefix): its column takes 84 characters.
            b.append(String.format("%n%-102s %10s%n", "Top internal hosts, and who held them", "bytes"));
            for (Host h : r.internalHosts()
                    .subList(0, Math.min(HOSTS, r.internalHosts().size()))) {
                String zone = owners.zoneOf(h.address());
                String who = owners.label(h.address()) + (zone == null ? "" : ", " + zone);
                Workload pod = owners.workloadOf(h.address());
                // The pod's names first, what EC2 says of its address below; a long owner wraps at its commas.
                List<String> lines = new ArrayList<>();
                if (pod != null && who.startsWith(pod.label() + ", ")) {
                    lines.addAll(wrap(pod.label(), OWNER_WIDTH));
                    lines.addAll(wrap(who.substring(pod.label().length() + 2), OWNER_WIDTH));
                } else {
                    lines.addAll(wrap(who, OWNER_WIDTH));
                }
                b.append(String.format(
                        "  %-15s %-" + OWNER_WIDTH + "s %10s%n", h.address(), lines.get(0), bytes(h.bytes())));
                for (String more : lines.subList(1, lines.size())) {
                    b.append(String.format("  %-15s %s%n", "", more));
                }
            }
            if (owners.note() != null) {
                b.append("  (").append(owners.note()).append(")\n");
            }
        }
        if (crossAz != null && crossAz.bytes() > 0) {
            b.append(String.format(
                    "%n%-16s %s from %s, not the gateway's %s: %s for this window ($%s per GB each way)%n"
                            + "%-16s a NAT gateway in each zone, or a regional NAT gateway, keeps it in its zone%n",
                    "Cross-AZ",
                    bytes(crossAz.bytes()),
                    String.join(", ", crossAz.bytesByZone().keySet()),
                    crossAz.gatewayZone(),
                    money(crossAz.cost()),
                    crossAz.perGbEachWay().toPlainString(),
                    ""));
        }
        if (!costs.services().isEmpty()) {
            b.append(String.format(
                    "%nAWS services reached through the NAT%s%n",
                    costs.monthlyBytes() == null
                            ? " (the gateway's month is unknown: " + costs.monthlyUnknown() + ")"
                            : " (a month: their share of the gateway's last 30 days)"));
            for (ServiceAdvice s : costs.services()
                    .subList(0, Math.min(SERVICES, costs.services().size()))) {
                b.append(String.format("  %-14s %10s  %s%n", s.service(), bytes(s.bytes()), advice(s)));
            }
        }
        b.append('\n');
        if (by != null) {
            readBy(b, by);
        }
        b.append(
                r.exact()
                        ? "Every figure above is exact.\n"
                        : by != null && by.engine().equals(ReadBy.INSIGHTS)
                                ? "More keys than Logs Insights answers within recorder.report.insights.max-queries:"
                                        + " a top figure may be under by at most " + bytes(r.errorBound()) + ".\n"
                                : "More hosts than the report keeps: a top figure may be over by at most "
                                        + bytes(r.errorBound()) + ".\n");
        if (!costs.priceRegion().equals(costs.region())) {
            b.append("Prices are us-east-1's: none are configured for ")
                    .append(costs.region())
                    .append(".\n");
        }
        for (String missing : r.unavailable()) {
            b.append("Not in this report: ").append(missing).append(".\n");
        }
        silent(b, delivery);
        return b.toString();
    }

    /** The sources (interfaces, or a regional gateway) that delivered nothing, and which of them look like a delivery problem. */
    /** Which engine read the records, what that cost, and what the recording's flow logs cost. */
    private static void readBy(StringBuilder b, ReadBy by) {
        if (by.engine().equals(ReadBy.INSIGHTS)) {
            b.append(String.format(
                    "Read by Logs Insights: %d queries scanned %s (about %s), as %s.%n",
                    by.queries(), bytes(by.bytesScanned()), money(by.insightsCost()), by.why()));
        } else {
            b.append(String.format("Read by streaming its records, as %s.%n", by.why()));
        }
        if (by.fallback() != null) {
            b.append(by.fallback()).append(".\n");
        }
        b.append(String.format(
                "The recording's flow logs delivered %s to CloudWatch Logs (%s class): about %s (%s).%n",
                bytes(by.deliveredBytes()),
                by.logGroupClass().equals("INFREQUENT_ACCESS") ? "Infrequent Access" : "Standard",
                money(by.flowLogCost()),
                by.deliveredFrom()));
    }

    private static void silent(StringBuilder b, DeliveryReport delivery) {
        if (delivery.silent().isEmpty()) {
            return;
        }
        b.append('\n');
        b.append(String.format(
                "%-16s %s%n",
                "Nothing from",
                delivery.silent().stream()
                        .map(id -> id + " (" + delivery.why(id) + ")")
                        .collect(Collectors.joining(", "))));
        for (String id : delivery.suspicious()) {
            b.append(String.format(
                    "%-16s %s delivered nothing although its gateway was busy (its alarm fired): check that flow"
                            + " log's delivery and the delivery role%n",
                    "Suspicious", id));
        }
    }

    /** What to do about one service, with its figures. */
    static String advice(ServiceAdvice s) {
        if (s.gatewayEndpoint()) {
            return "gateway endpoint: no charge"
                    + (s.monthlySaving() == null ? "" : ", saves about " + money(s.monthlySaving()) + " a month");
        }
        if (s.monthlySaving() == null) {
            return "interface endpoint: cannot tell whether it pays (" + money(s.monthlyFee()) + " a month in fees)";
        }
        return "interface endpoint " + (s.advised() ? "advised" : "not worth it") + ": saves "
                + money(s.monthlySaving()) + " a month against " + money(s.monthlyFee()) + " in fees";
    }

    /** An owner's column: its label, its zone, and on EKS the pod, node, cluster and prefix run long. */
    static final int OWNER_WIDTH = 84;

    /** The text in lines of at most {@code width}, broken after its commas (a part longer than that is cut). */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String part : text.split("(?<=, )")) {
            if (line.length() > 0 && line.length() + part.stripTrailing().length() > width) {
                lines.add(line.toString().stripTrailing());
                line.setLength(0);
            }
            line.append(part);
        }
        lines.add(cut(line.toString().stripTrailing(), width));
        return lines.stream().map(l -> cut(l, width)).toList();
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 3) + "...";
    }

    static String protocol(String number) {
        return switch (number) {
            case "6" -> "TCP";
            case "17" -> "UDP";
            case "1" -> "ICMP";
            case "58" -> "ICMPv6";
            default -> "proto " + number;
        };
    }

    /** 1.4 GB, 902.0 MB, 512 B (units of 1024, as AWS bills). */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB", "PB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String money(BigDecimal amount) {
        BigDecimal rounded = amount.abs().compareTo(BigDecimal.ONE) >= 0
                ? amount.setScale(2, RoundingMode.HALF_UP)
                : amount.setScale(4, RoundingMode.HALF_UP).stripTrailingZeros();
        if (rounded.scale() < 2) {
            rounded = rounded.setScale(2, RoundingMode.HALF_UP);
        }
        return rounded.compareTo(BigDecimal.valueOf(1000)) >= 0
                ? String.format(Locale.ROOT, "$%,.2f", rounded)
                : "$" + rounded.toPlainString();
    }
}
