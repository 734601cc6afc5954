package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.Place;
import java.time.Duration;

/**
 * What an operator may ask of the recordings, each passed through the state machine like an alarm: refused with a
 * reason when it makes no sense now, and idempotent.
 */
public interface OperatorCommands {

    /**
     * Records a watched gateway now, for {@code duration} (10 seconds to {@code recorder.recording.max-duration}), as
     * {@code operator} asked. A gateway recording already records on: nothing is extended.
     *
     * @throws IllegalArgumentException for a duration out of bounds
     */
    OperatorOutcome startByOperator(String gatewayId, Place place, Duration duration, String operator);

    /** Stops a recording now, as {@code operator} asked. */
    OperatorOutcome stopByOperator(String recordingId, String operator);
}
