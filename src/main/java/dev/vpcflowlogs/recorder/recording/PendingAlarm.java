package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.Place;
import java.time.Instant;

/**
 * An ALARM that came while the gateway's previous recording was stopping: kept, and acted on once it has ended, in
 * the account and region it came from.
 */
record PendingAlarm(String eventId, Instant stateTime, Place place) {}
