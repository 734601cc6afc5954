package dev.vpcflowlogs.recorder.e2e;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.util.List;
import java.util.stream.IntStream;

/** Many NAT gateways, each with two interfaces, in the stand-in and in the recorder's configuration. */
public final class Gateways {

    private Gateways() {}

    /** {@code count} gateway ids from {@code base}: nat-0000000000000abc0, ... */
    public static List<String> ids(int count, long base) {
        return IntStream.range(0, count)
                .mapToObj(i -> String.format("nat-0%016x", base + i))
                .toList();
    }

    /** A stand-in where each gateway has two interfaces of its own, numbered from {@code base}. */
    public static AwsStandIn standIn(List<String> gateways, long base) {
        AwsStandIn aws = AwsStandIn.start();
        for (int i = 0; i < gateways.size(); i++) {
            aws.natGateway(gateways.get(i), interfaces(i, base).toArray(String[]::new));
        }
        return aws;
    }

    /** The two interfaces of the {@code i}-th gateway of {@link #standIn}. */
    public static List<String> interfaces(int i, long base) {
        return List.of(String.format("eni-0%016x", base + 2L * i), String.format("eni-0%016x", base + 2L * i + 1));
    }

    /** The recorder watches these gateways. */
    public static void watch(RecorderHarness recorder, List<String> gateways) {
        for (int i = 0; i < gateways.size(); i++) {
            recorder.with("recorder.nat-gateways[" + i + "].id", gateways.get(i));
        }
    }
}
