package dev.vpcflowlogs.recorder.e2e;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One ElasticMQ per test class; per test a fresh AWS stand-in and a recorder with its own queue and database schema.
 */
abstract class EndToEndSupport {

    static LocalSqs sqs;
    AwsStandIn aws;
    RecorderHarness recorder;

    /** The stand-in a test starts with: its NAT gateways and interfaces. */
    abstract AwsStandIn standIn();

    /** {@code count} gateway ids from {@code base}: nat-0000000000000abc0, ... */
    static List<String> gateways(int count, long base) {
        return IntStream.range(0, count)
                .mapToObj(i -> String.format("nat-0%016x", base + i))
                .toList();
    }

    /** A stand-in where each gateway has two interfaces of its own, numbered from {@code eniBase}. */
    static AwsStandIn standInWith(List<String> gateways, long eniBase) {
        AwsStandIn standIn = AwsStandIn.start();
        for (int i = 0; i < gateways.size(); i++) {
            standIn.natGateway(
                    gateways.get(i),
                    String.format("eni-0%016x", eniBase + 2L * i),
                    String.format("eni-0%016x", eniBase + 2L * i + 1));
        }
        return standIn;
    }

    /** The recorder watches these gateways. */
    void watch(List<String> gateways) {
        for (int i = 0; i < gateways.size(); i++) {
            recorder.with("recorder.nat-gateways[" + i + "].id", gateways.get(i));
        }
    }

    @BeforeAll
    static void startSqs() {
        sqs = LocalSqs.start();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    @BeforeEach
    void startStandIn() {
        aws = standIn();
        recorder = new RecorderHarness(sqs, aws);
    }

    @AfterEach
    void stopAll() {
        recorder.close();
        aws.close();
    }
}
