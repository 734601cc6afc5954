package dev.vpcflowlogs.recorder.report.engine;

import java.util.List;

/** Where each field the engine reads sits in a record of the configured format; -1 when absent. */
final class RecordLayout {

    final int fieldCount;
    final int bytes;
    final int packets;
    final int direction;
    final int srcaddr;
    final int dstaddr;
    final int pktSrcaddr;
    final int pktDstaddr;
    final int srcport;
    final int dstport;
    final int protocol;
    final int srcService;
    final int dstService;
    final int logStatus;
    final int start;
    final int end;
    final int nextHopInterface;
    final int nextHopType;

    RecordLayout(List<String> fields) {
        fieldCount = fields.size();
        bytes = fields.indexOf("bytes");
        packets = fields.indexOf("packets");
        direction = fields.indexOf("flow-direction");
        srcaddr = fields.indexOf("srcaddr");
        dstaddr = fields.indexOf("dstaddr");
        pktSrcaddr = fields.indexOf("pkt-srcaddr");
        pktDstaddr = fields.indexOf("pkt-dstaddr");
        srcport = fields.indexOf("srcport");
        dstport = fields.indexOf("dstport");
        protocol = fields.indexOf("protocol");
        srcService = fields.indexOf("pkt-src-aws-service");
        dstService = fields.indexOf("pkt-dst-aws-service");
        logStatus = fields.indexOf("log-status");
        start = fields.indexOf("start");
        end = fields.indexOf("end");
        nextHopInterface = fields.indexOf("next-hop-interface-id");
        nextHopType = fields.indexOf("next-hop-interface-type");
    }

    /** The source address of a packet: the original one when the format has it. */
    int source() {
        return pktSrcaddr >= 0 ? pktSrcaddr : srcaddr;
    }

    int destination() {
        return pktDstaddr >= 0 ? pktDstaddr : dstaddr;
    }
}
