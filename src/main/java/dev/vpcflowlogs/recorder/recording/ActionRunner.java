package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.recording.Action.AnnounceEnd;
import dev.vpcflowlogs.recorder.recording.Action.CreateFlowLogs;
import dev.vpcflowlogs.recorder.recording.Action.DeleteFlowLogs;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.CreatedFlowLogs;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.FlowLogRequest;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AwsUnavailable;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.FlowLogsCreated;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.FlowLogsDeleted;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.StartFailed;
import dev.vpcflowlogs.recorder.system.Failures;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Performs what a stored decision asks of AWS and turns the answer into the next event: a failure never escapes, it
 * becomes {@link AwsUnavailable} (try again later) or {@link StartFailed} (give up).
 */
@Component
class ActionRunner {

    private static final Logger log = LoggerFactory.getLogger(ActionRunner.class);

    private final FlowLogProvider flowLogs;

    ActionRunner(FlowLogProvider flowLogs) {
        this.flowLogs = flowLogs;
    }

    /** The answer to feed back, or null when the action has none. */
    @Nullable
    RecordingEvent perform(Action action) {
        if (action instanceof CreateFlowLogs create) {
            return create(create.recording());
        }
        if (action instanceof DeleteFlowLogs delete) {
            return delete(delete.recording());
        }
        if (action instanceof AnnounceEnd) {
            return null; // announced when its decision was stored
        }
        throw new IllegalArgumentException("unknown action " + action);
    }

    private RecordingEvent create(Recording r) {
        try {
            List<String> interfaces = flowLogs.networkInterfacesOf(r.gatewayId());
            if (interfaces.isEmpty()) {
                return new StartFailed(r.id(), "NAT gateway " + r.gatewayId() + " has no network interface");
            }
            CreatedFlowLogs created =
                    flowLogs.create(new FlowLogRequest(r.id(), r.gatewayId(), interfaces, r.maxEndsAt()));
            return new FlowLogsCreated(r.id(), interfaces, created.flowLogIds(), created.failures());
        } catch (ProviderException e) {
            return e.retryable() ? new AwsUnavailable(r.id(), e.getMessage()) : new StartFailed(r.id(), e.getMessage());
        } catch (RuntimeException e) {
            return new AwsUnavailable(r.id(), Failures.rootMessage(e));
        }
    }

    private RecordingEvent delete(Recording r) {
        try {
            if (!r.flowLogIds().isEmpty()) {
                flowLogs.delete(r.flowLogIds());
            }
            return new FlowLogsDeleted(r.id());
        } catch (RuntimeException e) {
            // A stop is never given up: the flow logs would keep recording (and costing) otherwise.
            String cause = e instanceof ProviderException ? e.getMessage() : Failures.rootMessage(e);
            log.error(
                    "Gateway {} recording {}: could not delete flow logs {} ({}); will retry.",
                    r.gatewayId(),
                    r.id(),
                    r.flowLogIds(),
                    cause);
            return new AwsUnavailable(r.id(), cause);
        }
    }
}
