package dev.vpcflowlogs.recorder.report.engine;

import dev.vpcflowlogs.recorder.config.FlowLogFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes flow log records of a NAT gateway's interface, in any format, as AWS would. */
public final class FlowRecords {

    /** The original recorder's 14 fields, the recorder's default. */
    public static final List<String> ORIGINAL =
            FlowLogFormat.parse(FlowLogFormat.ORIGINAL_FORMAT).fields();

    static final List<String> AWS_DEFAULT = List.of(
            "version",
            "account-id",
            "interface-id",
            "srcaddr",
            "dstaddr",
            "srcport",
            "dstport",
            "protocol",
            "packets",
            "bytes",
            "start",
            "end",
            "action",
            "log-status");

    static final String NAT = "10.0.0.220";

    private final List<String> fields;
    private final String nat;
    private final String interfaceId;
    private final String azId;

    public FlowRecords(List<String> fields) {
        this(fields, NAT, "eni-0a", "use1-az1");
    }

    private FlowRecords(List<String> fields, String nat, String interfaceId, String azId) {
        this.fields = fields;
        this.nat = nat;
        this.interfaceId = interfaceId;
        this.azId = azId;
    }

    /**
     * Records of one Availability Zone of a regional NAT gateway: the gateway translates with a private address of
     * that zone. AWS does not document what {@code interface-id} holds in them; the caller picks (the gateway's id,
     * or {@code -}).
     */
    public static FlowRecords regionalZone(List<String> fields, String natAddress, String interfaceId, String azId) {
        return new FlowRecords(fields, natAddress, interfaceId, azId);
    }

    String line(Map<String, String> values) {
        return fields.stream().map(f -> values.getOrDefault(f, "-")).collect(Collectors.joining(" "));
    }

    /**
     * The four records of one TCP exchange through the NAT: the client uploads {@code up} bytes and downloads
     * {@code down}, each seen on both sides of the NAT.
     */
    public List<String> exchange(String client, String remote, int port, long up, long down, String service) {
        String s = service == null ? "-" : service;
        return List.of(
                // client -> NAT (client side, ingress): real endpoints in the packet fields
                line(mine(record("ingress", client, 40000, nat, port, client, remote, up, "-", s))),
                // NAT -> remote (remote side, egress)
                line(mine(record("egress", nat, 40000, remote, port, nat, remote, up, "-", s))),
                // remote -> NAT (remote side, ingress)
                line(mine(record("ingress", remote, port, nat, 40000, remote, nat, down, s, "-"))),
                // NAT -> client (client side, egress)
                line(mine(record("egress", nat, port, client, 40000, remote, client, down, s, "-"))));
    }

    private Map<String, String> mine(Map<String, String> values) {
        values.put("interface-id", interfaceId);
        values.put("az-id", azId);
        return values;
    }

    static Map<String, String> record(
            String direction,
            String src,
            int srcPort,
            String dst,
            int dstPort,
            String pktSrc,
            String pktDst,
            long bytes,
            String srcService,
            String dstService) {
        Map<String, String> v = new HashMap<>();
        v.put("version", "5");
        v.put("account-id", "123456789012");
        v.put("interface-id", "eni-0a");
        v.put("action", "ACCEPT");
        v.put("log-status", "OK");
        v.put("flow-direction", direction);
        v.put("traffic-path", direction.equals("egress") ? "8" : "-");
        v.put("srcaddr", src);
        v.put("srcport", String.valueOf(srcPort));
        v.put("dstaddr", dst);
        v.put("dstport", String.valueOf(dstPort));
        v.put("protocol", "6");
        v.put("bytes", String.valueOf(bytes));
        v.put("packets", String.valueOf(Math.max(1, bytes / 1000)));
        v.put("type", "IPv4");
        v.put("pkt-srcaddr", pktSrc);
        v.put("pkt-dstaddr", pktDst);
        v.put("pkt-src-aws-service", srcService);
        v.put("pkt-dst-aws-service", dstService);
        v.put("start", "1795713100");
        v.put("end", "1795713160");
        return v;
    }
}
