package dev.vpcflowlogs.recorder.recording;

import java.util.function.Predicate;

/** What the other modules ask of the recordings: handle an alarm signal, end those of unwatched gateways. */
public interface Recordings {

    /**
     * Handles an alarm state change of a watched gateway: its decision is stored when this returns. A failure (the
     * store) is thrown, and the message is retried.
     */
    SignalOutcome handle(AlarmSignal signal);

    /**
     * Ends the active recordings of gateways that are no longer watched: those holding flow logs stop now (their
     * flow logs are deleted and the notification says why).
     *
     * @return how many were ended; none while the store is not ready
     */
    int endUnwatched(Predicate<String> watched);
}
