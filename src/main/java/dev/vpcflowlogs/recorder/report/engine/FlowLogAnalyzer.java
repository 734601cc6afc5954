package dev.vpcflowlogs.recorder.report.engine;

import dev.vpcflowlogs.recorder.report.engine.SpikeReport.Conversation;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport.Host;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads flow log records of any configured format in one pass, in bounded memory, and sums them into a
 * {@link SpikeReport}. Not thread-safe: one analyzer per recording.
 *
 * <p>On a NAT gateway's interface every byte passes twice: between the client and the NAT, and between the NAT and
 * the remote host. The client side carries both real endpoints in {@code pkt-srcaddr}/{@code pkt-dstaddr}. On the
 * remote side the NAT's own address stands in the header and in the packet fields alike. Conversations, hosts and
 * the NAT's processed bytes are counted on the client side only, when the format has what it takes to tell the two
 * apart.
 */
public final class FlowLogAnalyzer {

    public static final int DEFAULT_CAPACITY = 50_000;

    private final RecordLayout layout;
    private final int topN;
    private final int[] starts;
    private final int[] ends;
    private final boolean canTellNatSides;
    private final boolean hasAddresses;

    private final HeavyHitters<ConversationKey> conversations;
    private final HeavyHitters<String> internalHosts;
    private final HeavyHitters<String> remoteHosts;
    private final Tokens tokens = new Tokens();
    private final Map<String, Long> services = new TreeMap<>();
    private final Map<String, Long> skipped = new LinkedHashMap<>();
    /** Each internal host's sending interface, from version 11 records (at most {@code capacity} hosts). */
    private final Map<String, NextHop> nextHops = new java.util.HashMap<>();

    private final int capacity;

    private long records;
    private long bytes;
    private long packets;
    private long ingressBytes;
    private long egressBytes;
    private long clientSideBytes;
    private long sentBytes;
    private long firstSecond = Long.MAX_VALUE;
    private long lastSecond = Long.MIN_VALUE;

    public FlowLogAnalyzer(List<String> fields, int topN, int capacity) {
        this.layout = new RecordLayout(fields);
        this.topN = topN;
        this.starts = new int[layout.fieldCount];
        this.ends = new int[layout.fieldCount];
        this.hasAddresses = layout.source() >= 0 && layout.destination() >= 0;
        this.canTellNatSides = layout.direction >= 0
                && layout.srcaddr >= 0
                && layout.dstaddr >= 0
                && layout.pktSrcaddr >= 0
                && layout.pktDstaddr >= 0;
        this.capacity = capacity;
        this.conversations = new HeavyHitters<>(capacity);
        this.internalHosts = new HeavyHitters<>(capacity);
        this.remoteHosts = new HeavyHitters<>(capacity);
    }

    /**
     * One record.
     *
     * @param timestampMillis the log event's time, used when the format has no {@code start}/{@code end}
     */
    public void accept(long timestampMillis, String message) {
        records++;
        if (!tokenize(message)) {
            skip("unparsable");
            return;
        }
        if (layout.logStatus >= 0) {
            if (is(message, layout.logStatus, "NODATA")) {
                skip("NODATA");
                return;
            }
            if (is(message, layout.logStatus, "SKIPDATA")) {
                skip("SKIPDATA");
                return;
            }
        }
        long recordBytes = 0;
        if (layout.bytes >= 0) {
            if (is(message, layout.bytes, "-")) {
                skip("NODATA");
                return;
            }
            recordBytes = number(message, layout.bytes);
            if (recordBytes < 0) {
                skip("unparsable");
                return;
            }
        }
        long recordPackets = layout.packets >= 0 ? Math.max(0, number(message, layout.packets)) : 0;
        bytes += recordBytes;
        packets += recordPackets;
        window(timestampMillis, message);

        boolean ingress = false;
        boolean egress = false;
        if (layout.direction >= 0) {
            ingress = is(message, layout.direction, "ingress");
            egress = !ingress && is(message, layout.direction, "egress");
            if (ingress) {
                ingressBytes += recordBytes;
            } else if (egress) {
                egressBytes += recordBytes;
            }
        }
        if (canTellNatSides && (ingress || egress) && remoteSideOfNat(message, ingress)) {
            return;
        }
        // From here on, each byte the NAT processed is seen once (or, for formats that cannot tell the sides of
        // the NAT apart, as often as the format shows it).
        if (canTellNatSides || !(layout.direction >= 0) || ingress) {
            service(message, recordBytes);
        }
        if (!hasAddresses) {
            return;
        }
        String source = token(message, layout.source());
        String destination = token(message, layout.destination());
        String internal;
        String remote;
        int remotePort;
        // Sent: from the internal host towards the remote one, as its owner thinks of it (on the NAT's interface,
        // the client's packets come in: ingress).
        boolean sent;
        if (ingress || egress) {
            internal = ingress ? source : destination;
            remote = ingress ? destination : source;
            remotePort = ingress ? layout.dstport : layout.srcport;
            sent = ingress;
        } else if (!Addresses.isPrivate(source) && Addresses.isPrivate(destination)) {
            internal = destination;
            remote = source;
            remotePort = layout.srcport;
            sent = false;
        } else {
            internal = source;
            remote = destination;
            remotePort = layout.dstport;
            sent = true;
        }
        clientSideBytes += recordBytes;
        if (sent) {
            sentBytes += recordBytes;
            if (ingress && layout.nextHopInterface >= 0) {
                nextHop(internal, message);
            }
        }
        String port = remotePort >= 0 ? token(message, remotePort) : "-";
        String protocol = layout.protocol >= 0 ? token(message, layout.protocol) : "-";
        conversations.add(new ConversationKey(internal, remote, port, protocol), recordBytes, recordPackets, sent);
        internalHosts.add(internal, recordBytes, recordPackets, sent);
        remoteHosts.add(remote, recordBytes, recordPackets, !sent);
    }

    /** The NAT's own address in the header and the packet field alike: the leg between the NAT and the remote host. */
    private boolean remoteSideOfNat(String message, boolean ingress) {
        return ingress
                ? sameToken(message, layout.dstaddr, layout.pktDstaddr)
                : sameToken(message, layout.srcaddr, layout.pktSrcaddr);
    }

    private void service(String message, long recordBytes) {
        String service = null;
        if (layout.srcService >= 0 && !is(message, layout.srcService, "-")) {
            service = token(message, layout.srcService);
        } else if (layout.dstService >= 0 && !is(message, layout.dstService, "-")) {
            service = token(message, layout.dstService);
        }
        if (service != null) {
            services.merge(service, recordBytes, Long::sum);
        }
    }

    private void window(long timestampMillis, String message) {
        long from = layout.start >= 0 ? number(message, layout.start) : -1;
        long to = layout.end >= 0 ? number(message, layout.end) : -1;
        if (from < 0) {
            from = Math.floorDiv(timestampMillis, 1000);
        }
        if (to < 0) {
            to = Math.max(from, Math.floorDiv(timestampMillis, 1000));
        }
        firstSecond = Math.min(firstSecond, from);
        lastSecond = Math.max(lastSecond, to);
    }

    public SpikeReport report() {
        List<String> unavailable = new ArrayList<>();
        if (layout.bytes < 0) {
            unavailable.add("bytes: the format has no ${bytes} field, so every byte figure is 0");
        }
        if (!hasAddresses) {
            unavailable.add("conversations and hosts: the format has neither ${pkt-srcaddr}/${pkt-dstaddr}"
                    + " nor ${srcaddr}/${dstaddr}");
        } else if (!canTellNatSides) {
            unavailable.add("the two sides of the NAT: without ${flow-direction}, ${srcaddr}, ${dstaddr},"
                    + " ${pkt-srcaddr} and ${pkt-dstaddr} a conversation may be counted on both sides");
        }
        if (layout.direction < 0) {
            unavailable.add("bytes by direction: the format has no ${flow-direction} field");
        }
        if (layout.srcService < 0 && layout.dstService < 0) {
            unavailable.add("bytes by AWS service: the format has no ${pkt-src-aws-service}/${pkt-dst-aws-service}");
        }
        boolean exact = conversations.exact() && internalHosts.exact() && remoteHosts.exact();
        long errorBound =
                Math.max(conversations.errorBound(), Math.max(internalHosts.errorBound(), remoteHosts.errorBound()));
        long natProcessed;
        boolean estimated;
        if (canTellNatSides) {
            natProcessed = clientSideBytes;
            estimated = false;
        } else if (layout.direction >= 0) {
            natProcessed = ingressBytes;
            estimated = true;
        } else {
            natProcessed = bytes / 2;
            estimated = true;
        }
        return new SpikeReport(
                records,
                Map.copyOf(skipped),
                bytes,
                packets,
                layout.direction >= 0 ? ingressBytes : null,
                layout.direction >= 0 ? egressBytes : null,
                firstSecond == Long.MAX_VALUE ? null : Instant.ofEpochSecond(firstSecond),
                lastSecond == Long.MIN_VALUE ? null : Instant.ofEpochSecond(lastSecond),
                conversations.top(topN).stream()
                        .map(e -> new Conversation(
                                e.key().internal(),
                                e.key().remote(),
                                e.key().port(),
                                e.key().protocol(),
                                e.weight(),
                                e.secondary(),
                                e.part()))
                        .toList(),
                hosts(internalHosts),
                hosts(remoteHosts),
                canTellNatSides || layout.direction >= 0 ? Map.copyOf(services) : halved(services),
                natProcessed,
                estimated,
                exact,
                errorBound,
                List.copyOf(unavailable),
                sentBytes,
                clientSideBytes - sentBytes);
    }

    /**
     * Every internal host still counted and its bytes: all of them while {@link SpikeReport#exact()}, else at least
     * every heavy hitter. For sums by a host's property (its Availability Zone).
     */
    public Map<String, Long> internalHostTotals() {
        Map<String, Long> totals = new LinkedHashMap<>();
        internalHosts.top(Integer.MAX_VALUE).forEach(e -> totals.put(e.key(), e.weight()));
        return totals;
    }

    /** On the NAT's interface an ingress record's next hop is the interface that sent it: the internal host's. */
    private void nextHop(String internal, String message) {
        if (is(message, layout.nextHopInterface, "-")
                || (nextHops.size() >= capacity && !nextHops.containsKey(internal))) {
            return;
        }
        String type = layout.nextHopType >= 0 && !is(message, layout.nextHopType, "-")
                ? token(message, layout.nextHopType)
                : null;
        nextHops.put(internal, new NextHop(token(message, layout.nextHopInterface), type));
    }

    /** The sending interface of each of these internal hosts that version 11 records named. */
    public Map<String, NextHop> nextHopsOf(java.util.Collection<String> addresses) {
        Map<String, NextHop> found = new LinkedHashMap<>();
        for (String a : addresses) {
            NextHop hop = nextHops.get(a);
            if (hop != null) {
                found.put(a, hop);
            }
        }
        return found;
    }

    /** Without flow-direction every byte shows on both sides of the NAT. */
    private static Map<String, Long> halved(Map<String, Long> services) {
        Map<String, Long> half = new TreeMap<>();
        services.forEach((service, total) -> half.put(service, total / 2));
        return Map.copyOf(half);
    }

    private List<Host> hosts(HeavyHitters<String> hitters) {
        return hitters.top(topN).stream()
                .map(e -> new Host(e.key(), e.weight(), e.secondary(), e.part()))
                .toList();
    }

    private void skip(String reason) {
        skipped.merge(reason, 1L, Long::sum);
    }

    /** Splits on single spaces without allocating; false when the record has another number of fields. */
    private boolean tokenize(String message) {
        int field = 0;
        int from = 0;
        int length = message.length();
        while (length > 0 && Character.isWhitespace(message.charAt(length - 1))) {
            length--;
        }
        for (int i = 0; i <= length; i++) {
            if (i == length || message.charAt(i) == ' ') {
                if (field == starts.length) {
                    return false;
                }
                starts[field] = from;
                ends[field] = i;
                field++;
                from = i + 1;
            }
        }
        return field == starts.length;
    }

    private boolean is(String message, int field, String value) {
        int start = starts[field];
        int length = ends[field] - start;
        if (length != value.length()) {
            return false;
        }
        // The values are a few characters long: a plain loop beats regionMatches' general path.
        for (int k = 0; k < length; k++) {
            if (message.charAt(start + k) != value.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private boolean sameToken(String message, int a, int b) {
        int length = ends[a] - starts[a];
        return length == ends[b] - starts[b] && message.regionMatches(starts[a], message, starts[b], length);
    }

    /** The field's text; a text seen before comes back as the same instance (addresses and ports repeat). */
    private String token(String message, int field) {
        return tokens.of(message, starts[field], ends[field]);
    }

    /** A conversation's key, without building a string per record. */
    private record ConversationKey(String internal, String remote, String port, String protocol) {
        @Override
        public String toString() {
            return internal + ' ' + remote + ' ' + port + ' ' + protocol;
        }
    }

    /** A non-negative decimal, or -1. */
    private long number(String message, int field) {
        int from = starts[field];
        int to = ends[field];
        if (from == to) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = message.charAt(i);
            if (c < '0' || c > '9' || value > (Long.MAX_VALUE - 9) / 10) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
