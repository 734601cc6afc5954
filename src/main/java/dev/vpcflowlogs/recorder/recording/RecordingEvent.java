package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.Place;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Everything that can happen to a gateway's recording: alarm signals, deadlines, and the answers of AWS. */
sealed interface RecordingEvent {

    /** An event about one recording, ignored unless that recording is the gateway's active one. */
    sealed interface OfRecording extends RecordingEvent {
        String recordingId();
    }

    /**
     * The gateway's alarm went to ALARM. {@code newRecordingId} names the recording if one starts, in {@code place}.
     */
    record AlarmRaised(String eventId, Instant stateTime, String newRecordingId, Place place)
            implements RecordingEvent {}

    /**
     * An operator asked to record the gateway now, for {@code duration}, in {@code place}; {@code newRecordingId}
     * names the recording if one starts.
     */
    record OperatorStart(String newRecordingId, Place place, Duration duration, String operator)
            implements RecordingEvent {}

    /** An operator asked to stop a recording now. */
    record OperatorStop(String recordingId, String operator) implements OfRecording {}

    /** The gateway's alarm went to OK. */
    record AlarmCleared(String eventId, Instant stateTime) implements RecordingEvent {}

    /** A recording's {@code nextDeadline} came. */
    record DeadlineReached(String recordingId) implements OfRecording {}

    /** CreateFlowLogs answered: the resources asked for, the ids made, and the resources on which it failed. */
    record FlowLogsCreated(
            String recordingId,
            GatewayMode mode,
            List<String> resourceIds,
            List<String> flowLogIds,
            List<ResourceFailure> failures)
            implements OfRecording {}

    /** The start failed for good (the gateway is gone, the role is wrong, ...). */
    record StartFailed(String recordingId, String cause) implements OfRecording {}

    /** DeleteFlowLogs answered: the recording's flow logs no longer exist. */
    record FlowLogsDeleted(String recordingId) implements OfRecording {}

    /** DescribeFlowLogs answered, just before the delete: these flow logs of the recording were not delivering. */
    record DeliveryChecked(String recordingId, List<DeliveryFailure> failures) implements OfRecording {}

    /** The recording's gateway is no longer watched: end the recording now. */
    record GatewayUnwatched(String recordingId) implements OfRecording {}

    /** AWS could not be reached or throttled us beyond the SDK's retries: try again later. */
    record AwsUnavailable(String recordingId, String cause) implements OfRecording {}
}
