package dev.vpcflowlogs.bench;

import dev.vpcflowlogs.recorder.e2e.RecorderHarness;

/**
 * What the benchmarks change in the test harness's settings: recordings outlast the run, no spike report, the
 * periodic passes at their production intervals (the harness runs them every second), and quiet logs.
 */
final class BenchSettings {

    private BenchSettings() {}

    static RecorderHarness apply(RecorderHarness recorder) {
        return recorder.with("recorder.recording.max-duration", "30m")
                .with("recorder.report.enabled", false)
                .with("recorder.reconciler.interval", "5m")
                .with("recorder.alarms.reconcile-interval", "5m")
                .with("recorder.discovery.refresh", "5m")
                .with("logging.level.dev.vpcflowlogs", "WARN");
    }
}
