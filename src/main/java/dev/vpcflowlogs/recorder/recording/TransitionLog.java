package dev.vpcflowlogs.recorder.recording;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stored decision tells: one log sentence with the gateway and recording ids when a recording changes state
 * (or waits for AWS again), and the metrics of the states entered and of flow logs that do not deliver.
 */
final class TransitionLog {

    /** The recordings' story is told under RecordingService's name, where operators have always looked for it. */
    private static final Logger log = LoggerFactory.getLogger(RecordingService.class);

    private final RecordingMetrics metrics;

    TransitionLog(RecordingMetrics metrics) {
        this.metrics = metrics;
    }

    /** After {@code decision} was stored: {@code before} is the recording as it was, {@code r} as it is now. */
    void told(@Nullable Recording before, Decision decision, Recording r) {
        RecordingState from = before == null ? null : before.state();
        if (decision.reason() == Reason.DELIVERY_FAILED) {
            metrics.deliveryFailed(r.deliveryFailures().size() - stored(before).size());
            log.error(
                    "Gateway {} recording {}: flow logs that do not deliver: {}.",
                    r.gatewayId(),
                    r.id(),
                    r.deliveryFailures());
        }
        if (from != r.state()) {
            metrics.entered(r);
            log.info(
                    "Gateway {} recording {}: {} -> {} ({}){}.",
                    r.gatewayId(),
                    r.id(),
                    from == null ? "new" : from,
                    r.state(),
                    decision.reason(),
                    describe(r));
        } else if (decision.reason() == Reason.AWS_UNAVAILABLE) {
            log.warn(
                    "Gateway {} recording {}: still {} after attempt {} ({}); retrying at {}.",
                    r.gatewayId(),
                    r.id(),
                    r.state(),
                    r.attempts(),
                    r.failure(),
                    r.nextDeadline());
        }
    }

    private static List<DeliveryFailure> stored(@Nullable Recording before) {
        return before == null ? List.of() : before.deliveryFailures();
    }

    private static String describe(Recording r) {
        return switch (r.state()) {
            case RECORDING, TAILING ->
                ", " + r.flowLogIds().size() + " flow log(s) on "
                        + (r.regional()
                                ? "the regional gateway"
                                : r.resourceIds().size() + " interface(s)")
                        + (r.resourceFailures().isEmpty() ? "" : ", failed on " + r.resourceFailures())
                        + (r.tailEndsAt() == null ? ", until " + r.maxEndsAt() : ", until " + r.tailEndsAt());
            case STOPPING ->
                " because " + Objects.requireNonNull(r.stopReason()).description();
            case FAILED -> ": " + r.failure();
            case SKIPPED -> ": the gateway reached its limit of recordings";
            default -> "";
        };
    }
}
