package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.Place;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * What an operator asks of the recordings (the console's "Record now" and "Stop"), passed through the state machine
 * like an alarm ({@link RecordingService#decide}), and said back in words: done, or why not.
 */
@Service
class OperatorRequests implements OperatorCommands {

    /** The shortest recording by hand: flow logs aggregate over 60 s, so less would hardly show anything. */
    static final Duration MIN_BY_HAND = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(OperatorRequests.class);

    private final RecordingService service;
    private final RecordingMetrics metrics;
    private final RecordingPolicy policy;

    OperatorRequests(RecordingService service, RecordingMetrics metrics, RecordingPolicy policy) {
        this.service = service;
        this.metrics = metrics;
        this.policy = policy;
    }

    @Override
    public OperatorOutcome startByOperator(String gatewayId, Place place, Duration duration, String operator) {
        if (duration.compareTo(MIN_BY_HAND) < 0 || duration.compareTo(policy.maxDuration()) > 0) {
            throw new IllegalArgumentException("a recording by hand lasts from " + words(MIN_BY_HAND)
                    + " to recorder.recording.max-duration (" + words(policy.maxDuration()) + "), not "
                    + words(duration));
        }
        String id = UUID.randomUUID().toString();
        Decision first = service.decide(gatewayId, new RecordingEvent.OperatorStart(id, place, duration, operator));
        if (first.reason() == Reason.OPERATOR_STARTED) {
            service.awaitStart(id); // a person waits for the flow logs, not for STARTING
        }
        log.info("Gateway {}: {} asked to record it for {}: {}.", gatewayId, operator, duration, first.reason());
        metrics.operatorAsked("start", first.reason());
        return switch (first.reason()) {
            case OPERATOR_STARTED ->
                new OperatorOutcome(true, first.reason(), id, "recording " + gatewayId + " for " + words(duration));
            case ALREADY_RECORDING ->
                new OperatorOutcome(
                        false,
                        first.reason(),
                        service.activeOf(gatewayId),
                        gatewayId + " is recording already: nothing is extended");
            case STILL_STARTING ->
                new OperatorOutcome(
                        false,
                        first.reason(),
                        service.activeOf(gatewayId),
                        gatewayId + " is starting a recording already");
            case PREVIOUS_RECORDING_STOPPING ->
                new OperatorOutcome(
                        false,
                        first.reason(),
                        service.activeOf(gatewayId),
                        gatewayId + " is stopping its recording: try again in a moment");
            case RECORDING_LIMIT_REACHED ->
                new OperatorOutcome(
                        false,
                        first.reason(),
                        null,
                        gatewayId + " reached recorder.recording.max-recordings-per-gateway");
            default -> new OperatorOutcome(false, first.reason(), null, "not started: " + first.reason());
        };
    }

    @Override
    public OperatorOutcome stopByOperator(String recordingId, String operator) {
        Optional<Recording> found = service.find(recordingId);
        if (found.isEmpty()) {
            metrics.operatorAsked("stop", Reason.RECORDING_NOT_ACTIVE);
            return new OperatorOutcome(
                    false, Reason.RECORDING_NOT_ACTIVE, null, "there is no recording " + recordingId);
        }
        String gatewayId = found.get().gatewayId();
        Decision first = service.decide(gatewayId, new RecordingEvent.OperatorStop(recordingId, operator));
        log.info("Gateway {} recording {}: {} asked to stop it: {}.", gatewayId, recordingId, operator, first.reason());
        metrics.operatorAsked("stop", first.reason());
        return switch (first.reason()) {
            case OPERATOR_STOPPED -> new OperatorOutcome(true, first.reason(), recordingId, "stopped");
            case ALREADY_STOPPING -> new OperatorOutcome(false, first.reason(), recordingId, "it is stopping already");
            default -> new OperatorOutcome(false, first.reason(), recordingId, "it is not active: nothing to stop");
        };
    }

    /** {@code 10m}, {@code 1h30m}, {@code 15s}. */
    private static String words(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
