package dev.vpcflowlogs.recorder.recording;

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
import org.jspecify.annotations.Nullable;
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

    /**
     * A stop: the delivery of the recording's flow logs checked, then the flow logs deleted, each in a call shared with
     * the other stops of the moment; answered with {@link DeliveryChecked} and {@link FlowLogsDeleted}, or why not. The
     * check comes first (afterwards EC2 no longer knows them), and only informs the notification: a failure to ask
     * never holds up the stop. The future never fails: a failure is the answer.
     */
    CompletableFuture<List<RecordingEvent>> stop(Recording r) {
        if (r.flowLogIds().isEmpty()) {
            return CompletableFuture.completedFuture(
                    List.of(new DeliveryChecked(r.id(), List.of()), new FlowLogsDeleted(r.id())));
        }
        return flowLogs.deliveryFailuresAsync(r.place(), r.flowLogIds())
                .handle((failures, error) -> checked(r, failures, error))
                .thenCompose(checked -> flowLogs.deleteAsync(r.place(), r.flowLogIds())
                        .handle((done, error) -> error == null ? new FlowLogsDeleted(r.id()) : notDeleted(r, error))
                        .thenApply(deleted -> List.of(checked, deleted)));
    }

    private static RecordingEvent checked(
            Recording r, @Nullable List<DeliveryFailure> failures, @Nullable Throwable error) {
        if (error == null && failures != null) {
            return new DeliveryChecked(r.id(), failures);
        }
        log.warn(
                "Gateway {} recording {}: the delivery status of its flow logs could not be read ({}); they are"
                        + " deleted all the same.",
                r.gatewayId(),
                r.id(),
                why(error));
        return new DeliveryChecked(r.id(), List.of());
    }

    /** A stop is never given up: the flow logs would keep recording (and costing) otherwise. */
    private static RecordingEvent notDeleted(Recording r, Throwable error) {
        String cause = why(error);
        log.error(
                "Gateway {} recording {}: could not delete flow logs {} ({}); will retry.",
                r.gatewayId(),
                r.id(),
                r.flowLogIds(),
                cause);
        return new AwsUnavailable(r.id(), cause);
    }

    private static String why(@Nullable Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause == null) {
            return "no answer";
        }
        return cause instanceof ProviderException p
                ? Objects.requireNonNullElse(p.getMessage(), p.code())
                : Failures.rootMessage(cause);
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
}
