package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.report.CostEstimate.ServiceAdvice;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport.Conversation;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport.Host;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The report as read in an email: aligned columns, human units, a few dozen lines. */
final class ReportSummary {

    static final int CONVERSATIONS = 5;
    static final int HOSTS = 3;

    private ReportSummary() {}

    static String render(SpikeReport r, CostEstimate costs, DeliveryReport delivery) {
        StringBuilder b = new StringBuilder();
        if (r.records() == r.skippedRecords()) {
            b.append("No flow log record arrived in the window: traffic may not have flowed, or CloudWatch Logs\n")
                    .append("delivered later than recorder.report.delay and recorder.report.retry-delay.\n");
            silent(b, delivery);
            return b.toString();
        }
        b.append(String.format(
                "%-16s %s, about %s for this window (%s a month at this rate)%n",
                "NAT processed",
                bytes(r.natProcessedBytes()) + (r.natProcessedEstimated() ? " (estimated)" : ""),
                money(costs.natProcessing()),
                money(costs.perMonth())));
        if (r.ingressBytes() != null) {
            b.append(String.format(
                    "%-16s in %s, out %s (both sides of the NAT)%n",
                    "Direction", bytes(r.ingressBytes()), bytes(r.egressBytes())));
        }
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
            b.append(String.format("%nTop conversations %45s%n", "bytes"));
            for (Conversation c : r.conversations()
                    .subList(0, Math.min(CONVERSATIONS, r.conversations().size()))) {
                b.append(String.format(
                        "  %-15s -> %-30s %10s%n",
                        c.internalHost(),
                        c.remoteHost() + ":" + c.remotePort() + " " + protocol(c.protocol()),
                        bytes(c.bytes())));
            }
            hosts(b, "Top internal hosts", r.internalHosts());
            hosts(b, "Top remote hosts", r.remoteHosts());
        }
        if (!costs.services().isEmpty()) {
            b.append(String.format("%nAWS services reached through the NAT%n"));
            for (ServiceAdvice s : costs.services()) {
                String advice = s.gatewayEndpoint()
                        ? "a gateway endpoint would carry this at no charge: saves " + money(s.saving()) + " ("
                                + money(costs.monthly(s.saving())) + " a month)"
                        : "an interface endpoint would save " + money(s.saving()) + " before its hourly fee";
                b.append(String.format("  %-14s %10s  %s%n", s.service(), bytes(s.bytes()), advice));
            }
        }
        b.append('\n');
        b.append(
                r.exact()
                        ? "Every figure above is exact.\n"
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

    private static void hosts(StringBuilder b, String title, List<Host> hosts) {
        b.append(String.format("%n%-49s %10s%n", title, "bytes"));
        for (Host h : hosts.subList(0, Math.min(HOSTS, hosts.size()))) {
            b.append(String.format("  %-47s %10s%n", h.address(), bytes(h.bytes())));
        }
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
