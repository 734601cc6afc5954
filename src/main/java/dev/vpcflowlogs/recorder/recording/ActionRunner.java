package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.recording.Action.DeleteFlowLogs;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.CreatedFlowLogs;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AwsUnavailable;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.DeliveryChecked;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.FlowLogsCreated;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.FlowLogsDeleted;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.StartFailed;
import dev.vpcflowlogs.recorder.system.Failures;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Performs what a stored decision asks of AWS and turns the answer into the next event: a failure never escapes, it
 * becomes {@link AwsUnavailable} (try again later) or {@link StartFailed} (give up). Starts are answered later, once
 * the call they share with other starts is ({@link StartBatches}).
 */
@Component
class ActionRunner {

    private static final Logger log = LoggerFactory.getLogger(ActionRunner.class);

    private final FlowLogProvider flowLogs;
    private final StartBatches starts;

    ActionRunner(FlowLogProvider flowLogs, StartBatches starts) {
        this.flowLogs = flowLogs;
        this.starts = starts;
    }

    /**
     * A start, answered once its shared call is: {@link FlowLogsCreated}, or why not. The future never fails: a
     * failure is the answer. {@code first}: the recording is new, so no earlier call of it is looked for.
     */
    CompletableFuture<RecordingEvent> start(Recording r, boolean first) {
        return starts.startAsync(r, first)
                .handle((started, error) -> error == null ? created(r, started) : failed(r, error));
    }

    /** The answers to feed back, in order; none when the action has none. A start goes by {@link #start}. */
    List<RecordingEvent> perform(Action action) {
        if (action instanceof DeleteFlowLogs delete) {
            Recording r = delete.recording();
            return List.of(checkDelivery(r), delete(r));
        }
        throw new IllegalArgumentException("unknown action " + action);
    }

    /**
     * Which of the recording's flow logs did not deliver, asked before they are deleted (afterwards EC2 no longer
     * knows them). The answer only informs the notification: a failure to ask never holds up the stop.
     */
    private RecordingEvent checkDelivery(Recording r) {
        if (r.flowLogIds().isEmpty()) {
            return new DeliveryChecked(r.id(), List.of());
        }
        try {
            return new DeliveryChecked(r.id(), flowLogs.deliveryFailures(r.place(), r.flowLogIds()));
        } catch (RuntimeException e) {
            log.warn(
                    "Gateway {} recording {}: the delivery status of its flow logs could not be read ({}); they are"
                            + " deleted all the same.",
                    r.gatewayId(),
                    r.id(),
                    e instanceof ProviderException ? e.getMessage() : Failures.rootMessage(e));
            return new DeliveryChecked(r.id(), List.of());
        }
    }

    private static RecordingEvent created(Recording r, StartBatches.Started started) {
        FlowLogProvider.Target target = Objects.requireNonNull(started.target());
        CreatedFlowLogs created = started.created();
        if (created == null) {
            return new StartFailed(r.id(), "NAT gateway " + r.gatewayId() + " has no network interface");
        }
        return new FlowLogsCreated(
                r.id(), target.mode(), target.resourceIds(), created.flowLogIds(), created.failures());
    }

    private static RecordingEvent failed(Recording r, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ProviderException e) {
            String why = Objects.requireNonNullElse(e.getMessage(), e.code());
            return e.retryable() ? new AwsUnavailable(r.id(), why) : new StartFailed(r.id(), why);
        }
        return new AwsUnavailable(r.id(), Failures.rootMessage(cause));
    }

    private RecordingEvent delete(Recording r) {
        try {
            if (!r.flowLogIds().isEmpty()) {
                flowLogs.delete(r.place(), r.flowLogIds());
            }
            return new FlowLogsDeleted(r.id());
        } catch (RuntimeException e) {
            // A stop is never given up: the flow logs would keep recording (and costing) otherwise.
            String cause = e instanceof ProviderException p
                    ? Objects.requireNonNullElse(p.getMessage(), p.code())
                    : Failures.rootMessage(e);
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
