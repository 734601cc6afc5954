package dev.vpcflowlogs.recorder.report.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the flow log records of one recording say.
 *
 * @param records records read, skipped ones included
 * @param skipped skipped records by reason (NODATA, SKIPDATA, unparsable)
 * @param ingressBytes bytes of ingress records, or null when the format has no {@code flow-direction}
 * @param natProcessedBytes bytes the NAT gateway processed: each byte once, on the side of its clients
 * @param natProcessedEstimated true when the format could not tell the two sides of the NAT apart
 * @param exact true while every top-N figure is exact; otherwise each may be over by at most {@code errorBound} bytes
 * @param unavailable sections the configured format cannot fill, with why
 * @param sentBytes what the internal hosts sent to remote hosts (each byte once, on the client side of the NAT)
 * @param receivedBytes what they received from them
 */
public record SpikeReport(
        long records,
        Map<String, Long> skipped,
        long bytes,
        long packets,
        @Nullable Long ingressBytes,
        @Nullable Long egressBytes,
        @Nullable Instant firstRecord,
        @Nullable Instant lastRecord,
        List<Conversation> conversations,
        List<Host> internalHosts,
        List<Host> remoteHosts,
        Map<String, Long> bytesByService,
        long natProcessedBytes,
        boolean natProcessedEstimated,
        boolean exact,
        long errorBound,
        List<String> unavailable,
        long sentBytes,
        long receivedBytes) {

    /**
     * Traffic between a host of the VPC and a remote host, on the remote port, by protocol number; {@code sentBytes}
     * went from the internal host to the remote one, the rest of {@code bytes} came back.
     */
    public record Conversation(
            String internalHost,
            String remoteHost,
            String remotePort,
            String protocol,
            long bytes,
            long packets,
            long sentBytes) {

        public long receivedBytes() {
            return bytes - sentBytes;
        }
    }

    /** A host and what it exchanged; {@code sentBytes} is what an internal host sent (a remote one received). */
    public record Host(String address, long bytes, long packets, long sentBytes) {

        public long receivedBytes() {
            return bytes - sentBytes;
        }
    }

    public long skippedRecords() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }
}
