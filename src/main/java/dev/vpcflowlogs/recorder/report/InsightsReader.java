package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.FlowLogFormat;
import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.report.ExactTop.Asked;
import dev.vpcflowlogs.recorder.report.ExactTop.Candidate;
import dev.vpcflowlogs.recorder.report.ExactTop.Part;
import dev.vpcflowlogs.recorder.report.ExactTop.Row;
import dev.vpcflowlogs.recorder.report.FlowLogQueries.Answer;
import dev.vpcflowlogs.recorder.report.engine.FlowLogAnalyzer;
import dev.vpcflowlogs.recorder.report.engine.NextHop;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recording's report made by CloudWatch Logs Insights, with the same answers as streaming its records through
 * {@link FlowLogAnalyzer}: the same records skipped, each byte counted once on the clients' side of the NAT, the same
 * top N, ties broken alike. Three queries sum the whole recording (what each stream delivered; bytes by direction and
 * status; the clients' side by AWS service); the top conversations, internal hosts and remote hosts each come from a
 * query of what the internal hosts sent and one of what they received, made exact by {@link ExactTop} within
 * {@code maxQueries}.
 */
final class InsightsReader {

    /** The fields a report by Insights needs: those that tell the two sides of the NAT apart. */
    static boolean canRead(FlowLogFormat format) {
        return InsightsQuery.tellsSides(format);
    }

    /** What Insights answered, and what it took. */
    record Read(
            SpikeReport report,
            Map<String, Long> internalHostTotals,
            FlowLogSource.Delivery delivery,
            long deliveredMessageBytes,
            long bytesScanned,
            int queries,
            Map<String, NextHop> nextHops) {}

    private final FlowLogQueries queries;
    private final FlowLogFormat format;
    private final List<String> names;
    private final int top;
    private final int maxQueries;

    InsightsReader(FlowLogQueries queries, FlowLogFormat format, int top, int maxQueries) {
        if (!canRead(format)) {
            throw new IllegalArgumentException("the format cannot tell the two sides of the NAT apart");
        }
        this.queries = queries;
        this.format = format;
        this.names = format.insightsNames();
        this.top = top;
        this.maxQueries = maxQueries;
    }

    Read read(
            Place place,
            String logGroup,
            boolean regional,
            Map<String, List<String>> streams,
            Instant from,
            Instant to,
            Instant deadline) {
        String head = InsightsQuery.head(format, regional, streams).toString();
        List<Family> families = List.of(
                new Family(head, Side.CONVERSATION, top),
                new Family(head, Side.INTERNAL, top),
                new Family(head, Side.REMOTE, top));
        InsightsTotals sums = new InsightsTotals(format);
        List<String> first = new ArrayList<>(sums.queries(head));
        families.forEach(f -> first.addAll(f.queriesOf(List.of(Part.ALL))));
        boolean hops = names.contains("next_hop_interface_id");
        if (hops) {
            first.add(nextHops(head));
        }
        List<Answer> answers = queries.run(place, logGroup, first, from, to, deadline);
        int asked = first.size();
        long scanned = answers.stream().mapToLong(Answer::bytesScanned).sum();
        List<List<Part>> next = new ArrayList<>();
        int at = 3;
        for (Family f : families) {
            next.add(f.take(List.of(Part.ALL), answers.subList(at, at + 2)));
            at += 2;
        }
        while (next.stream().anyMatch(p -> !p.isEmpty())) {
            List<String> round = new ArrayList<>();
            for (int i = 0; i < families.size(); i++) {
                round.addAll(families.get(i).queriesOf(next.get(i)));
            }
            if (asked + round.size() > maxQueries) {
                break;
            }
            List<Answer> more = queries.run(place, logGroup, round, from, to, deadline);
            asked += round.size();
            scanned += more.stream().mapToLong(Answer::bytesScanned).sum();
            at = 0;
            List<List<Part>> after = new ArrayList<>();
            for (int i = 0; i < families.size(); i++) {
                int n = next.get(i).size() * 2;
                after.add(families.get(i).take(next.get(i), more.subList(at, at + n)));
                at += n;
            }
            next = after;
        }
        Read read = assemble(sums, answers, families, regional, streams, scanned, asked);
        if (!hops) {
            return read;
        }
        java.util.Set<String> named = ReportBuilder.addressesOf(read.report());
        Map<String, NextHop> found = new LinkedHashMap<>();
        Map<String, Long> weight = new java.util.HashMap<>();
        for (Map<String, String> row : answers.get(answers.size() - 1).rows()) {
            String address = row.get("pkt_srcaddr");
            String id = row.get("next_hop_interface_id");
            long records = ExactTop.number(row.get("records"));
            if (address != null
                    && id != null
                    && !id.equals("-")
                    && named.contains(address)
                    && records > weight.getOrDefault(address, -1L)) {
                String type = row.get("next_hop_interface_type");
                found.put(address, new NextHop(id, type == null || type.equals("-") ? null : type));
                weight.put(address, records);
            }
        }
        return new Read(
                read.report(),
                read.internalHostTotals(),
                read.delivery(),
                read.deliveredMessageBytes(),
                read.bytesScanned(),
                read.queries(),
                found);
    }

    /** Each internal host's sending interface (version 11): on the NAT's interface, an ingress record's next hop. */
    private String nextHops(String head) {
        return head + "\n| filter flow_direction = \"ingress\" and dstaddr != pkt_dstaddr"
                + "\n| stats count(*) as records by pkt_srcaddr, next_hop_interface_id"
                + (names.contains("next_hop_interface_type") ? ", next_hop_interface_type" : "")
                + "\n| limit " + FlowLogQueries.ROW_LIMIT;
    }

    private Read assemble(
            InsightsTotals sums,
            List<Answer> answers,
            List<Family> families,
            boolean regional,
            Map<String, List<String>> streams,
            long scanned,
            int asked) {
        InsightsTotals.Sums totals = sums.of(answers.get(0), answers.get(1), answers.get(2));
        ExactTop conversations = families.get(0).exact;
        ExactTop internal = families.get(1).exact;
        ExactTop remote = families.get(2).exact;
        long errorBound = Math.max(conversations.errorBound(), Math.max(internal.errorBound(), remote.errorBound()));
        List<Candidate> internalAll = internal.candidates();
        Map<String, Long> internalTotals = new LinkedHashMap<>();
        internalAll.forEach(c -> internalTotals.put(c.key().get(0), c.lower()));
        SpikeReport report = new SpikeReport(
                totals.records,
                Map.copyOf(totals.skipped),
                totals.bytes,
                totals.packets,
                totals.ingress,
                totals.egress,
                totals.first,
                totals.last,
                conversations.candidates().stream()
                        .limit(top)
                        .map(c -> new SpikeReport.Conversation(
                                c.key().get(0),
                                c.key().get(1),
                                c.key().get(2),
                                c.key().get(3),
                                c.lower(),
                                c.packets(),
                                c.sent()))
                        .toList(),
                internalAll.stream()
                        .limit(top)
                        .map(c -> new SpikeReport.Host(c.key().get(0), c.lower(), c.packets(), c.sent()))
                        .toList(),
                remote.candidates().stream()
                        .limit(top)
                        // A remote host's own sending is what the internal hosts received.
                        .map(c -> new SpikeReport.Host(c.key().get(0), c.lower(), c.packets(), c.received()))
                        .toList(),
                Map.copyOf(totals.services),
                totals.sent + totals.received,
                false,
                errorBound == 0,
                errorBound,
                new FlowLogAnalyzer(format.fields(), 1, 1).report().unavailable(),
                totals.sent,
                totals.received);
        FlowLogSource.Delivery delivery = InsightsTotals.delivery(answers.get(0), regional, streams);
        return new Read(report, internalTotals, delivery, totals.messageBytes, scanned, asked, Map.of());
    }

    /** What a family's key is made of. */
    enum Side {
        CONVERSATION,
        INTERNAL,
        REMOTE
    }

    /** One kind of key: its two queries per part, and the exact top N made of their answers. */
    private final class Family {

        private final String head;
        private final Side side;
        private final ExactTop exact;

        Family(String head, Side side, int top) {
            this.head = head;
            this.side = side;
            List<Integer> splitOrder =
                    switch (side) {
                        case CONVERSATION -> List.of(1, 2, 0);
                        case INTERNAL, REMOTE -> List.of(0);
                    };
            this.exact = new ExactTop(
                    top,
                    splitOrder,
                    side == Side.CONVERSATION ? 3 : 8,
                    row -> rowOf(row, true),
                    row -> rowOf(row, false));
        }

        /** Sent and received, for each part. */
        List<String> queriesOf(List<Part> parts) {
            List<String> out = new ArrayList<>();
            for (Part part : parts) {
                out.add(query(part, true));
                out.add(query(part, false));
            }
            return out;
        }

        List<Part> take(List<Part> parts, List<Answer> answers) {
            List<Asked> asked = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                asked.add(new Asked(parts.get(i), answers.get(2 * i), answers.get(2 * i + 1)));
            }
            return exact.take(asked);
        }

        /** The fields of the key on one side: internal, remote, remote port, protocol. */
        private List<String> keyFields(boolean sent) {
            String internal = sent ? "pkt_srcaddr" : "pkt_dstaddr";
            String remote = sent ? "pkt_dstaddr" : "pkt_srcaddr";
            return switch (side) {
                case INTERNAL -> List.of(internal);
                case REMOTE -> List.of(remote);
                case CONVERSATION -> {
                    List<String> f = new ArrayList<>(List.of(internal, remote));
                    String port = sent ? "dstport" : "srcport";
                    if (names.contains(port)) {
                        f.add(port);
                    }
                    if (names.contains("protocol")) {
                        f.add("protocol");
                    }
                    yield f;
                }
            };
        }

        private String query(Part part, boolean sent) {
            List<String> fields = keyFields(sent);
            StringBuilder q = new StringBuilder(head)
                    .append(
                            sent
                                    ? "\n| filter flow_direction = \"ingress\" and dstaddr != pkt_dstaddr"
                                    : "\n| filter flow_direction = \"egress\" and srcaddr != pkt_srcaddr");
            for (ExactTop.Cut cut : part.cuts()) {
                q.append(" and ")
                        .append(fields.get(cut.field()))
                        .append(" like /")
                        .append(cut.suffix())
                        .append("$/");
            }
            q.append("\n| stats sum(bytes) as bytes");
            if (names.contains("packets")) {
                q.append(", sum(packets) as packets");
            }
            return q.append(" by ")
                    .append(String.join(", ", fields))
                    .append("\n| sort bytes desc\n| limit ")
                    .append(FlowLogQueries.ROW_LIMIT)
                    .toString();
        }

        /** A row as the key streaming builds: absent fields (a format without ports) read "-", as there. */
        private Row rowOf(Map<String, String> row, boolean sent) {
            List<String> fields = keyFields(sent);
            List<String> key = new ArrayList<>();
            for (String f : fields) {
                key.add(row.getOrDefault(f, "-"));
            }
            if (side == Side.CONVERSATION) {
                if (!names.contains(sent ? "dstport" : "srcport")) {
                    key.add(2, "-");
                }
                if (!names.contains("protocol")) {
                    key.add("-");
                }
            }
            return new Row(List.copyOf(key), ExactTop.number(row.get("bytes")), ExactTop.number(row.get("packets")));
        }
    }
}
