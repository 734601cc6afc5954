package dev.vpcflowlogs.recorder.intake;

import dev.vpcflowlogs.recorder.recording.AlarmSignal;
import dev.vpcflowlogs.recorder.recording.AlarmSignal.AlarmState;
import dev.vpcflowlogs.recorder.recording.RecordingDeferredException;
import dev.vpcflowlogs.recorder.recording.RecordingService;
import dev.vpcflowlogs.recorder.recording.SignalOutcome;
import dev.vpcflowlogs.recorder.watch.WatchedGateways;
import dev.vpcflowlogs.recorder.watch.WatchedGateways.Status;
import io.awspring.cloud.sqs.listener.MessageListener;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

/**
 * Turns each queue message into exactly one outcome, counted in {@code recorder.events{outcome,reason}}. A message
 * that is malformed or cannot be handled now is left unacknowledged (the error is rethrown): the queue retries it
 * and, after its maxReceiveCount, moves it to the dead-letter queue.
 */
@Component
class AlarmEventListener implements MessageListener<String> {

    private static final Logger log = LoggerFactory.getLogger(AlarmEventListener.class);

    private final AlarmEventParser parser;
    private final RecordingService recordings;
    private final WatchedGateways watched;
    private final MeterRegistry meters;
    private final Clock clock;
    private final DeadLetterPolicy deadLetters;
    private final Timer lag;

    AlarmEventListener(
            AlarmEventParser parser,
            RecordingService recordings,
            WatchedGateways watched,
            MeterRegistry meters,
            Clock clock,
            DeadLetterPolicy deadLetters) {
        this.parser = parser;
        this.recordings = recordings;
        this.watched = watched;
        this.meters = meters;
        this.clock = clock;
        this.deadLetters = deadLetters;
        this.lag = Timer.builder("recorder.event.lag")
                .description("Time from the event's time to its handling")
                .publishPercentileHistogram()
                .register(meters);
    }

    @Override
    public void onMessage(Message<String> message) {
        String messageId = Optional.ofNullable(message.getHeaders().get(SqsHeaders.SQS_RAW_MESSAGE_ID_HEADER))
                .map(Object::toString)
                .orElse("?");
        try {
            handle(messageId, message.getPayload());
        } catch (MalformedEventException e) {
            count("malformed", e.reason());
            deadLettered(message, messageId, e.reason());
            log.warn(
                    "Message {} is malformed ({}): {}. It stays unacknowledged and reaches the dead-letter queue"
                            + " after the queue's retries.",
                    messageId,
                    e.reason(),
                    e.getMessage());
            throw e;
        } catch (RecordingDeferredException e) {
            count("transient", e.reason());
            deadLettered(message, messageId, e.reason());
            log.warn("Message {} will be retried: {}.", messageId, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            count("transient", e.getClass().getSimpleName());
            deadLettered(message, messageId, e.getClass().getSimpleName());
            log.warn("Message {} will be retried: {}.", messageId, e.toString());
            throw e;
        }
    }

    /** A message that failed its last receive leaves for the dead-letter queue: counted, and said in the log. */
    private void deadLettered(Message<String> message, String messageId, String reason) {
        Object count = message.getHeaders().get(SqsHeaders.MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT);
        long receives = count == null ? 0 : Long.parseLong(count.toString());
        if (deadLetters.isLastReceive(receives)) {
            meters.counter("recorder.events.dead_lettered", "reason", reason).increment();
            log.error(
                    "Message {} failed its last receive ({}, {} receives): the queue moves it to its dead-letter queue.",
                    messageId,
                    reason,
                    receives);
        }
    }

    private void handle(String messageId, String body) {
        Optional<AlarmEvent> parsed = parser.parse(body);
        if (parsed.isEmpty()) {
            count("ignored", "other-detail-type");
            log.debug("Message {} is not a CloudWatch alarm state change; ignored.", messageId);
            return;
        }
        AlarmEvent event = parsed.get();
        if (event.eventTime() != null) {
            lag.record(Duration.between(event.eventTime(), clock.instant()));
        }
        AlarmState state;
        switch (event.state()) {
            case "ALARM" -> state = AlarmState.ALARM;
            case "OK" -> state = AlarmState.OK;
            case "INSUFFICIENT_DATA" -> {
                count("ignored", "insufficient-data");
                log.debug("Event {} (alarm {}) is INSUFFICIENT_DATA; ignored.", event.id(), event.alarmName());
                return;
            }
            default ->
                throw new MalformedEventException(
                        "unknown-state", "event " + event.id() + " has an unknown state '" + event.state() + "'");
        }
        Set<String> gateways = new LinkedHashSet<>(event.natGatewayIds());
        watched.gatewayOfAlarm(event.alarmName()).ifPresent(gateways::add);
        if (gateways.isEmpty()) {
            count("ignored", "no-nat-gateway");
            log.info(
                    "Event {} (alarm {}) names no NAT gateway in its metrics, tags or name; ignored.",
                    event.id(),
                    event.alarmName());
            return;
        }
        if (gateways.stream().anyMatch(id -> watched.status(id) == Status.NOT_KNOWN_YET)) {
            throw new RecordingDeferredException(
                    "discovery-pending",
                    "event " + event.id() + " (alarm " + event.alarmName() + ") is for " + gateways
                            + ", and the gateways discovered by tag are not known yet");
        }
        List<String> watchedGateways =
                gateways.stream().filter(watched::watches).toList();
        if (watchedGateways.isEmpty()) {
            count("ignored", "gateway-not-watched");
            log.info(
                    "Event {} (alarm {}) is for {}, which the recorder does not watch; ignored.",
                    event.id(),
                    event.alarmName(),
                    gateways);
            return;
        }
        for (String gatewayId : watchedGateways) {
            SignalOutcome outcome = recordings.handle(new AlarmSignal(event.id(), gatewayId, state, event.stateTime()));
            count(outcome.verdict().name().toLowerCase(Locale.ROOT).replace('_', '-'), outcome.reason());
            log.info(
                    "Gateway {} event {} ({} of alarm {}): {} ({}).",
                    gatewayId,
                    event.id(),
                    state,
                    event.alarmName(),
                    outcome.verdict().name().toLowerCase(Locale.ROOT),
                    outcome.reason());
        }
    }

    private void count(String outcome, String reason) {
        meters.counter("recorder.events", "outcome", outcome, "reason", reason).increment();
    }
}
