package dev.vpcflowlogs.bench;

import dev.vpcflowlogs.recorder.standin.GeneratedEvents;
import java.util.SplittableRandom;

/**
 * A NAT gateway interface's flow log records made when read, in the recorder's default format and time order: many
 * small flows between 200 hosts and 40 remote endpoints, S3 downloads that a gateway endpoint would carry for free,
 * three heavy hitters (each about 1% of the flows, with large transfers of different sizes), and one NODATA flow in a
 * thousand. Each flow shows as the NAT shows it: four records, client to NAT, NAT to remote, and back. Record
 * {@code i} depends only on the seed and {@code i}, so ten million cost no memory and read the same every time.
 */
final class GeneratedFlowLogs extends GeneratedEvents {

    private final int count;
    private final long from;
    private final long span;
    private final long seed;

    GeneratedFlowLogs(int count, long fromMillis, long spanMillis, long seed) {
        this.count = count - count % 4;
        this.from = fromMillis;
        this.span = spanMillis;
        this.seed = seed;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public long timestamp(int i) {
        return from + (long) i * span / count;
    }

    @Override
    public String message(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException(i);
        }
        return message(i / 4, i % 4);
    }

    private String message(long flow, int leg) {
        SplittableRandom random = new SplittableRandom(seed ^ (flow * 0x9E3779B97F4A7C15L));
        if (random.nextInt(1000) == 0) {
            return "- - - - - - - - - - - - - -";
        }
        int kind = random.nextInt(100);
        String client;
        String remote;
        int remotePort;
        int protocol = 6;
        String service = "-";
        long up;
        long down;
        if (kind < 3) {
            client = "10.0.1." + (5 + kind);
            remote = kind == 0 ? "52.216.8.1" : new String[] {"", "151.101.1.69", "140.82.112.3"}[kind];
            remotePort = 443;
            up = 2_000 + random.nextInt(4_000);
            down = (3 - kind) * 400_000L + random.nextInt(200_000);
            service = kind == 0 ? "S3" : "-";
        } else if (kind < 18) {
            client = internal(random);
            remote = "52.216." + (10 + random.nextInt(4)) + "." + (1 + random.nextInt(4));
            remotePort = 443;
            service = "S3";
            up = 500 + random.nextInt(2_000);
            down = 10_000 + random.nextInt(300_000);
        } else {
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
        String nat = FlowLogFile.NAT;
        return switch (leg) {
            case 0 ->
                line("ingress", "-", client, clientPort, nat, remotePort, protocol, up, client, "-", remote, service);
            case 1 -> line("egress", "8", nat, natPort, remote, remotePort, protocol, up, nat, "-", remote, service);
            case 2 -> line("ingress", "-", remote, remotePort, nat, natPort, protocol, down, remote, service, nat, "-");
            default ->
                line("egress", "8", nat, remotePort, client, clientPort, protocol, down, remote, service, client, "-");
        };
    }

    private static String internal(SplittableRandom random) {
        int host = random.nextInt(200);
        return "10.0." + (2 + host / 100) + "." + (1 + host % 100);
    }

    private static String line(
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
            String dstService) {
        return "ACCEPT " + direction + ' ' + path + ' ' + src + ' ' + srcPort + ' ' + dst + ' ' + dstPort + ' '
                + protocol + ' ' + bytes + " IPv4 " + pktSrc + ' ' + srcService + ' ' + pktDst + ' ' + dstService;
    }
}
