package dev.vpcflowlogs.recorder.report.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.report.engine.SpikeReport.Conversation;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport.Host;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlowLogAnalyzerTest {

    static final long T = 1_795_713_100_000L;

    static SpikeReport analyze(List<String> fields, List<String> lines, int capacity) {
        FlowLogAnalyzer analyzer = new FlowLogAnalyzer(fields, 5, capacity);
        lines.forEach(line -> analyzer.accept(T, line));
        return analyzer.report();
    }

    /** Three clients: a heavy S3 download, a web download, a small upload. */
    static List<String> spike(FlowRecords records) {
        List<String> lines = new ArrayList<>();
        lines.addAll(records.exchange("10.0.1.5", "52.216.8.1", 443, 2_000_000, 900_000_000, "S3"));
        lines.addAll(records.exchange("10.0.1.6", "203.0.113.9", 443, 5_000_000, 300_000_000, null));
        lines.addAll(records.exchange("10.0.1.7", "198.51.100.4", 22, 40_000_000, 1_000_000, null));
        return lines;
    }

    @Test
    void sumsTheOriginalFormatExactly() {
        SpikeReport report = analyze(FlowRecords.ORIGINAL, spike(new FlowRecords(FlowRecords.ORIGINAL)), 100);

        long processed = 2_000_000 + 900_000_000 + 5_000_000 + 300_000_000 + 40_000_000 + 1_000_000;
        assertThat(report.records()).isEqualTo(12);
        assertThat(report.skipped()).isEmpty();
        assertThat(report.bytes()).isEqualTo(2 * processed);
        assertThat(report.natProcessedBytes()).isEqualTo(processed);
        assertThat(report.natProcessedEstimated()).isFalse();
        assertThat(report.ingressBytes()).isEqualTo(processed);
        assertThat(report.egressBytes()).isEqualTo(processed);
        assertThat(report.exact()).isTrue();
        assertThat(report.errorBound()).isZero();
        assertThat(report.conversations())
                .containsExactly(
                        new Conversation("10.0.1.5", "52.216.8.1", "443", "6", 902_000_000, 0, 2_000_000),
                        new Conversation("10.0.1.6", "203.0.113.9", "443", "6", 305_000_000, 0, 5_000_000),
                        new Conversation("10.0.1.7", "198.51.100.4", "22", "6", 41_000_000, 0, 40_000_000));
        assertThat(report.internalHosts())
                .extracting(Host::address)
                .containsExactly("10.0.1.5", "10.0.1.6", "10.0.1.7");
        assertThat(report.remoteHosts())
                .extracting(Host::bytes)
                .containsExactly(902_000_000L, 305_000_000L, 41_000_000L);
        // S3 bytes as the NAT processed them: once, though each byte crosses its interface twice.
        assertThat(report.bytesByService()).containsExactly(Map.entry("S3", 902_000_000L));
        assertThat(report.unavailable()).isEmpty();
    }

    @Test
    void sumsARegionalGatewaysZonesAsOneGateway() {
        List<String> fields = new ArrayList<>(FlowRecords.ORIGINAL);
        fields.add("az-id");
        // One flow log, several zones: each zone's NAT address differs, and interface-id is not an interface.
        FlowRecords zoneA = FlowRecords.regionalZone(fields, "10.0.1.250", "nat-0regional00000001", "use1-az1");
        FlowRecords zoneB = FlowRecords.regionalZone(fields, "10.0.2.250", "-", "use1-az2");
        List<String> lines = new ArrayList<>();
        lines.addAll(zoneA.exchange("10.0.1.5", "52.216.8.1", 443, 2_000_000, 900_000_000, "S3"));
        lines.addAll(zoneB.exchange("10.0.2.9", "203.0.113.9", 443, 5_000_000, 300_000_000, null));

        SpikeReport report = analyze(fields, lines, 100);

        long processed = 2_000_000 + 900_000_000 + 5_000_000 + 300_000_000;
        assertThat(report.natProcessedBytes()).isEqualTo(processed);
        assertThat(report.natProcessedEstimated()).isFalse();
        assertThat(report.conversations())
                .containsExactly(
                        new Conversation("10.0.1.5", "52.216.8.1", "443", "6", 902_000_000, 0, 2_000_000),
                        new Conversation("10.0.2.9", "203.0.113.9", "443", "6", 305_000_000, 0, 5_000_000));
        // Neither zone's NAT address is taken for a host: the remote side of the NAT is left out in both.
        assertThat(report.internalHosts()).extracting(Host::address).containsExactly("10.0.1.5", "10.0.2.9");
        assertThat(report.remoteHosts()).extracting(Host::address).containsExactly("52.216.8.1", "203.0.113.9");
        assertThat(report.bytesByService()).containsExactly(Map.entry("S3", 902_000_000L));
    }

    @Test
    void anUploadIsSentOnceADownloadReceivedOnceAndAMixBothAsAwsDocumentsTheNatsLegs() {
        // VPC user guide, "Traffic through a NAT gateway": on the inside legs the header holds the NAT's private
        // address and pkt-srcaddr/pkt-dstaddr the real hosts; on the outside legs the NAT's address is in both.
        FlowRecords records = new FlowRecords(FlowRecords.ORIGINAL);
        List<String> lines = new ArrayList<>();
        lines.addAll(records.exchange("10.0.1.5", "203.0.113.9", 443, 300_000_000, 0, null)); // an upload
        lines.addAll(records.exchange("10.0.1.6", "198.51.100.4", 443, 0, 700_000_000, null)); // a download
        lines.addAll(records.exchange("10.0.1.7", "192.0.2.10", 22, 10_000, 20_000, null)); // both ways

        SpikeReport report = analyze(FlowRecords.ORIGINAL, lines, 100);

        assertThat(report.sentBytes()).isEqualTo(300_000_000L + 10_000);
        assertThat(report.receivedBytes()).isEqualTo(700_000_000L + 20_000);
        assertThat(report.natProcessedBytes()).isEqualTo(report.sentBytes() + report.receivedBytes());
        assertThat(report.conversations())
                .extracting(Conversation::internalHost, Conversation::sentBytes, Conversation::receivedBytes)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("10.0.1.6", 0L, 700_000_000L),
                        org.assertj.core.groups.Tuple.tuple("10.0.1.5", 300_000_000L, 0L),
                        org.assertj.core.groups.Tuple.tuple("10.0.1.7", 10_000L, 20_000L));
        assertThat(report.internalHosts())
                .extracting(Host::address, Host::sentBytes)
                .contains(org.assertj.core.groups.Tuple.tuple("10.0.1.5", 300_000_000L));
    }

    @Test
    void aReorderedCustomFormatGivesTheSameReport() {
        List<String> shuffled = new ArrayList<>(FlowRecords.ORIGINAL);
        Collections.shuffle(shuffled, new Random(7));
        shuffled.add("packets");

        SpikeReport original = analyze(FlowRecords.ORIGINAL, spike(new FlowRecords(FlowRecords.ORIGINAL)), 100);
        SpikeReport reordered = analyze(shuffled, spike(new FlowRecords(shuffled)), 100);

        assertThat(reordered.bytes()).isEqualTo(original.bytes());
        assertThat(reordered.natProcessedBytes()).isEqualTo(original.natProcessedBytes());
        assertThat(reordered.conversations())
                .extracting(Conversation::internalHost, Conversation::bytes)
                .isEqualTo(original.conversations().stream()
                        .map(c -> org.assertj.core.groups.Tuple.tuple(c.internalHost(), c.bytes()))
                        .toList());
        assertThat(reordered.packets()).isGreaterThan(0);
    }

    @Test
    void readsTheAwsDefaultFormatAndSaysWhatItLacks() {
        FlowRecords records = new FlowRecords(FlowRecords.AWS_DEFAULT);
        List<String> lines = new ArrayList<>(spike(records));
        lines.add("5 123456789012 eni-0a - - - - - - - 1795713300 1795713360 - NODATA");
        lines.add("5 123456789012 eni-0a - - - - - - - 1795713400 1795713460 - SKIPDATA");

        SpikeReport report = analyze(FlowRecords.AWS_DEFAULT, lines, 100);

        assertThat(report.records()).isEqualTo(14);
        assertThat(report.skipped()).containsOnly(Map.entry("NODATA", 1L), Map.entry("SKIPDATA", 1L));
        assertThat(report.firstRecord()).isEqualTo(Instant.ofEpochSecond(1_795_713_100L));
        assertThat(report.lastRecord()).isEqualTo(Instant.ofEpochSecond(1_795_713_160L));
        assertThat(report.ingressBytes()).isNull();
        assertThat(report.natProcessedEstimated()).isTrue();
        assertThat(report.natProcessedBytes()).isEqualTo(report.bytes() / 2);
        assertThat(report.packets()).isGreaterThan(0);
        assertThat(report.unavailable())
                .anyMatch(s -> s.startsWith("bytes by direction"))
                .anyMatch(s -> s.startsWith("bytes by AWS service"))
                .anyMatch(s -> s.startsWith("the two sides of the NAT"));
        // Without packet addresses the private side is still the internal host.
        assertThat(report.internalHosts()).extracting(Host::address).contains("10.0.1.5");
    }

    @Test
    void countsSkippedRecordsWithoutFailing() {
        List<String> lines = List.of(
                "ACCEPT ingress - 10.0.1.5 1 10.0.0.220 443 6 100 IPv4 10.0.1.5 - 1.2.3.4 -",
                "too short",
                "ACCEPT ingress - 10.0.1.5 1 10.0.0.220 443 6 lots IPv4 10.0.1.5 - 1.2.3.4 -",
                "ACCEPT ingress - 10.0.1.5 1 10.0.0.220 443 6 100 IPv4 10.0.1.5 - 1.2.3.4 - extra",
                "- - - - - - - - - - - - - -",
                "");

        SpikeReport report = analyze(FlowRecords.ORIGINAL, lines, 100);

        assertThat(report.records()).isEqualTo(6);
        assertThat(report.skipped()).containsOnly(Map.entry("unparsable", 4L), Map.entry("NODATA", 1L));
        assertThat(report.skippedRecords()).isEqualTo(5);
        assertThat(report.bytes()).isEqualTo(100);
    }

    @Test
    void aFormatWithoutAddressesSaysSoInsteadOfGuessing() {
        List<String> fields = List.of("interface-id", "bytes", "action");
        SpikeReport report = analyze(fields, List.of("eni-0a 500 ACCEPT", "eni-0a 700 REJECT"), 100);

        assertThat(report.bytes()).isEqualTo(1200);
        assertThat(report.conversations()).isEmpty();
        assertThat(report.firstRecord())
                .isEqualTo(Instant.ofEpochMilli(T).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(report.unavailable()).anyMatch(s -> s.startsWith("conversations and hosts"));
    }

    @Test
    void findsTheHeavyHittersAmongMoreHostsThanItKeepsWithinTheStatedBound() {
        FlowRecords records = new FlowRecords(FlowRecords.ORIGINAL);
        Random random = new Random(11);
        List<String> lines = new ArrayList<>();
        long heavy = 0;
        for (int i = 0; i < 40_000; i++) {
            String client = "10.1." + (i / 250) + "." + (i % 250);
            String remote = "198.18." + random.nextInt(256) + "." + random.nextInt(256);
            lines.addAll(records.exchange(client, remote, 443, 1_000 + random.nextInt(1_000), 0, null));
            if (i % 1000 == 0) {
                lines.addAll(records.exchange("10.9.9.9", "52.216.8.1", 443, 5_000_000, 0, "S3"));
                heavy += 5_000_000;
            }
        }
        Collections.shuffle(lines, random);

        SpikeReport report = analyze(FlowRecords.ORIGINAL, lines, 1_000);

        assertThat(report.exact()).isFalse();
        assertThat(report.errorBound()).isPositive().isLessThan(heavy / 10);
        Conversation top = report.conversations().get(0);
        assertThat(top.internalHost()).isEqualTo("10.9.9.9");
        assertThat(top.bytes()).isBetween(heavy, heavy + report.errorBound());
        assertThat(report.internalHosts().get(0).address()).isEqualTo("10.9.9.9");
    }

    @Test
    void theSummaryNeverHoldsMoreThanTwiceItsCapacity() {
        HeavyHitters<String> hitters = new HeavyHitters<>(100);
        for (int i = 0; i < 100_000; i++) {
            hitters.add("key-" + i, 1 + (i % 7), 1);
            assertThat(hitters.size()).isLessThanOrEqualTo(200);
        }
        assertThat(hitters.exact()).isFalse();
    }

    @Test
    void staysExactWhileEveryKeyFits() {
        HeavyHitters<String> hitters = new HeavyHitters<>(10);
        for (int i = 0; i < 1000; i++) {
            hitters.add("key-" + (i % 20), i, 0);
        }
        assertThat(hitters.exact()).isTrue();
        assertThat(hitters.top(1).get(0)).isEqualTo(new HeavyHitters.Entry<>("key-19", 25450, 0, 0, 0));
    }

    @Test
    void version11NextHopsNameTheInterfaceEachInternalHostSentFrom() {
        List<String> fields = List.of(
                "flow-direction",
                "srcaddr",
                "dstaddr",
                "pkt-srcaddr",
                "pkt-dstaddr",
                "bytes",
                "next-hop-interface-id",
                "next-hop-interface-type");
        FlowLogAnalyzer analyzer = new FlowLogAnalyzer(fields, 5, 100);
        // client -> NAT: the next hop of an ingress record on the NAT's interface is the one that sent it.
        analyzer.accept(0, "ingress 10.0.1.5 10.0.0.10 10.0.1.5 203.0.113.9 500 eni-0lambda00000001 lambda");
        // NAT -> remote and back, and NAT -> client: their next hops are not the client's interface.
        analyzer.accept(0, "egress 10.0.0.10 203.0.113.9 10.0.0.10 203.0.113.9 500 eni-0igw000000000001 -");
        analyzer.accept(0, "egress 10.0.0.10 10.0.1.5 203.0.113.9 10.0.1.5 900 eni-0lambda00000001 lambda");
        analyzer.accept(0, "ingress 10.0.1.6 10.0.0.10 10.0.1.6 203.0.113.9 100 - -");

        assertThat(analyzer.nextHopsOf(List.of("10.0.1.5", "10.0.1.6", "203.0.113.9")))
                .containsExactly(java.util.Map.entry("10.0.1.5", new NextHop("eni-0lambda00000001", "lambda")));
    }
}
