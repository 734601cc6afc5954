package dev.vpcflowlogs.recorder.e2e;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.util.List;
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

    static List<String> gateways(int count, long base) {
        return Gateways.ids(count, base);
    }

    static AwsStandIn standInWith(List<String> gateways, long eniBase) {
        return Gateways.standIn(gateways, eniBase);
    }

    void watch(List<String> gateways) {
        Gateways.watch(recorder, gateways);
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
