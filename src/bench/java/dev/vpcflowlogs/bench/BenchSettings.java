package dev.vpcflowlogs.bench;

import dev.vpcflowlogs.recorder.e2e.RecorderHarness;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;

/**
 * What the benchmarks change in the test harness's settings: recordings outlast the run, no spike report, the
 * periodic passes and the retry delays at their production defaults (the harness makes them a second or two, so
 * that its tests need not wait), and quiet logs.
 */
final class BenchSettings {

    /** PutMetricAlarm calls a second when the alarms are not what is measured. */
    static final int UNTHROTTLED = 1000;

    private BenchSettings() {}

    /** The stand-in without CloudWatch's alarm quotas, for a recorder set up by {@link #apply}. */
    static AwsStandIn alarmsUnthrottled(AwsStandIn aws) {
        return aws.cloudWatchQuotas(false);
    }

    static RecorderHarness apply(RecorderHarness recorder) {
        return recorder.with("recorder.recording.max-duration", "30m")
                .with("recorder.report.enabled", false)
                .with("recorder.reconciler.interval", "5m")
                .with("recorder.alarms.reconcile-interval", "5m")
                .with("recorder.discovery.refresh", "5m")
                .with("recorder.aws.cloudwatch.put-metric-alarm-per-second", UNTHROTTLED)
                .with("logging.level.dev.vpcflowlogs", "WARN")
                .without("recorder.alarms.start-delay")
                .without("recorder.preflight.start-delay")
                .without("recorder.recording.retry-delay")
                .without("recorder.recording.sweep-interval")
                .without("recorder.intake.first-retry-delay")
                .without("recorder.intake.max-retry-delay")
                .without("recorder.intake.poll-timeout");
    }
}
