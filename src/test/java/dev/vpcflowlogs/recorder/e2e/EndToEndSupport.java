package dev.vpcflowlogs.recorder.e2e;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
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
