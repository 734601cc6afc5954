package dev.vpcflowlogs.recorder.recording;

/** What the recorder did with an alarm signal, for the intake's metrics and logs. */
public record SignalOutcome(Verdict verdict, Reason reason) {}
