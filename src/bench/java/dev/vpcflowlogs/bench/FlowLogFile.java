package dev.vpcflowlogs.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Synthetic flow log records of a NAT gateway's interface in the recorder's default (original) format: many small
 * flows between 200 hosts and 40 remote endpoints, S3 downloads, three heavy hitters, and a few NODATA records. Each
 * flow shows as the NAT shows it: four records, client to NAT, NAT to remote, and back. Deterministic for a seed.
 */
final class FlowLogFile {

    static final String FORMAT = "action flow-direction traffic-path srcaddr srcport dstaddr dstport protocol bytes"
            + " type pkt-srcaddr pkt-src-aws-service pkt-dstaddr pkt-dst-aws-service";
    static final String NAT = "10.0.0.10";

    private FlowLogFile() {}

    /** Writes {@code records} records (rounded down to whole flows of four) unless the file exists already. */
    static Path write(Path file, long records, long seed) throws IOException {
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder line = new StringBuilder(160);
        try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.US_ASCII)) {
            long written = 0;
            while (written + 4 <= records) {
                if (random.nextInt(1000) == 0) {
                    out.write("- - - - - - - - - - - - - -\n");
                    written++;
                    continue;
                }
                written += flow(out, line, random);
            }
            while (written++ < records) {
                out.write("- - - - - - - - - - - - - -\n");
            }
        }
        Files.move(partial, file);
        return file;
    }

    private static int flow(BufferedWriter out, StringBuilder line, SplittableRandom random) throws IOException {
        int kind = random.nextInt(100);
        String client;
        String remote;
        int remotePort;
        int protocol = 6;
        String service = "-";
        long up;
        long down;
        if (kind < 3) {
            // Three heavy hitters, each about 1% of the flows, with large transfers of different sizes.
            int which = kind;
            client = "10.0.1." + (5 + which);
            remote = new String[] {"52.94.133.131", "151.101.1.69", "140.82.112.3"}[which];
            remotePort = 443;
            up = 2_000 + random.nextInt(4_000);
            down = (3 - which) * 400_000L + random.nextInt(200_000);
            if (which == 0) {
                service = "S3";
                remote = "52.216.8.1";
            }
        } else if (kind < 18) {
            // S3 downloads that a gateway endpoint would carry for free.
            client = internal(random);
            remote = "52.216." + (10 + random.nextInt(4)) + "." + (1 + random.nextInt(4));
            remotePort = 443;
            service = "S3";
            up = 500 + random.nextInt(2_000);
            down = 10_000 + random.nextInt(300_000);
        } else {
            // Many small flows.
            client = internal(random);
            remote = "203.0.113." + (1 + random.nextInt(40));
            int port = random.nextInt(4);
            remotePort = new int[] {443, 80, 53, 123}[port];
            protocol = port >= 2 ? 17 : 6;
            up = 40 + random.nextInt(1_500);
            down = 40 + random.nextInt(20_000);
        }
        int clientPort = 32_768 + random.nextInt(28_000);
        int natPort = 1_024 + random.nextInt(64_000);
        // client -> NAT, NAT -> remote, remote -> NAT, NAT -> client
        record(
                out,
                line,
                "ingress",
                "-",
                client,
                clientPort,
                NAT,
                remotePort,
                protocol,
                up,
                client,
                "-",
                remote,
                service);
        record(out, line, "egress", "8", NAT, natPort, remote, remotePort, protocol, up, NAT, "-", remote, service);
        record(out, line, "ingress", "-", remote, remotePort, NAT, natPort, protocol, down, remote, service, NAT, "-");
        record(
                out,
                line,
                "egress",
                "8",
                NAT,
                remotePort,
                client,
                clientPort,
                protocol,
                down,
                remote,
                service,
                client,
                "-");
        return 4;
    }

    private static String internal(SplittableRandom random) {
        int host = random.nextInt(200);
        return "10.0." + (2 + host / 100) + "." + (1 + host % 100);
    }

    private static void record(
            BufferedWriter out,
            StringBuilder line,
            String direction,
            String path,
            String src,
            int srcPort,
            String dst,
            int dstPort,
            int protocol,
            long bytes,
            String pktSrc,
            String srcService,
            String pktDst,
            String dstService)
            throws IOException {
        line.setLength(0);
        line.append("ACCEPT ")
                .append(direction)
                .append(' ')
                .append(path)
                .append(' ')
                .append(src)
                .append(' ')
                .append(srcPort)
                .append(' ')
                .append(dst)
                .append(' ')
                .append(dstPort)
                .append(' ')
                .append(protocol)
                .append(' ')
                .append(bytes)
                .append(" IPv4 ")
                .append(pktSrc)
                .append(' ')
                .append(srcService)
                .append(' ')
                .append(pktDst)
                .append(' ')
                .append(dstService)
                .append('\n');
        out.append(line);
    }
}
