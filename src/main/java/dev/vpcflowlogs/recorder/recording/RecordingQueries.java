package dev.vpcflowlogs.recorder.recording;

import java.util.List;
import java.util.Optional;

/** Read-only access to the stored recordings, for the notifications and the operations endpoints. */
public interface RecordingQueries {

    List<Recording> active();

    /** The most recent recordings, newest first. */
    List<Recording> recent(int limit);

    Optional<Recording> find(String id);
}
