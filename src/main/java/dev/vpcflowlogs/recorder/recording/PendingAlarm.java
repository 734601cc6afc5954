package dev.vpcflowlogs.recorder.recording;

import java.time.Instant;

/** An ALARM that came while the gateway's previous recording was stopping: kept, and acted on once it has ended. */
record PendingAlarm(String eventId, Instant stateTime) {}
