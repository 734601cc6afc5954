package dev.vpcflowlogs.recorder.intake;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.recording.AlarmSignal;
import dev.vpcflowlogs.recorder.recording.AlarmSignal.AlarmState;
import dev.vpcflowlogs.recorder.recording.Recordings;
import dev.vpcflowlogs.recorder.recording.SignalOutcome;
import dev.vpcflowlogs.recorder.recording.Verdict;
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
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

/**
 * Turns each queue message into exactly one outcome, counted in {@code recorder.events{outcome,reason}}: it parses
 * the event, routes it to the watched gateways it names, and hands each one's signal to the recording service. A
 * message that is malformed or cannot be handled now is left unacknowledged (the error is rethrown): the queue
 * retries it and, after its maxReceiveCount, moves it to the dead-letter queue.
 */
@Component
class AlarmEventListener implements MessageListener<String> {

    private static final Logger log = LoggerFactory.getLogger(AlarmEventListener.class);

    private final AlarmEventParser parser;
    private final Recordings recordings;
    private final WatchedGateways watched;
    private final MeterRegistry meters;
    private final Clock clock;
    private final DeadLetterPolicy deadLetters;
    private final Places places;
    private final Timer lag;

    AlarmEventListener(
            AlarmEventParser parser,
            Recordings recordings,
            WatchedGateways watched,
            MeterRegistry meters,
            Clock clock,
            DeadLetterPolicy deadLetters,
            Places places) {
        this.places = places;
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
            String reason = e.reason().tag();
            count(Verdict.MALFORMED, reason);
            deadLettered(message, messageId, reason);
            if (receives(message) <= 1) {
                log.warn(
                        "Message {} is malformed ({}): {}. It stays unacknowledged, comes back at once, and reaches"
                                + " the dead-letter queue after the queue's receives.",
                        messageId,
                        reason,
                        e.getMessage());
            } else {
                log.debug("Message {} is malformed ({}), receive {}.", messageId, reason, receives(message));
            }
            throw e;
        } catch (DiscoveryPendingException e) {
            retried(message, messageId, IntakeReason.DISCOVERY_PENDING.tag(), e.getMessage());
            throw e;
        } catch (OwnAccountPendingException e) {
            retried(message, messageId, IntakeReason.OWN_ACCOUNT_PENDING.tag(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            retried(message, messageId, e.getClass().getSimpleName(), e.toString());
            throw e;
        }
    }

    private void retried(Message<String> message, String messageId, String reason, @Nullable String why) {
        count(Verdict.TRANSIENT, reason);
        deadLettered(message, messageId, reason);
        log.warn("Message {} will be retried: {}.", messageId, why);
    }

    /** A message that failed its last receive leaves for the dead-letter queue: counted, and said in the log. */
    private void deadLettered(Message<String> message, String messageId, String reason) {
        long receives = receives(message);
        if (deadLetters.isLastReceive(receives)) {
            meters.counter("recorder.events.dead_lettered", "reason", reason).increment();
            log.error(
                    "Message {} failed its last receive ({}, {} receives): the queue moves it to its dead-letter queue.",
                    messageId,
                    reason,
                    receives);
        }
    }

    private static long receives(Message<String> message) {
        Object count = message.getHeaders().get(SqsHeaders.MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT);
        return count == null ? 0 : Long.parseLong(count.toString());
    }

    private void handle(String messageId, String body) {
        Optional<AlarmEvent> parsed = parser.parse(body);
        if (parsed.isEmpty()) {
            count(Verdict.IGNORED, IntakeReason.OTHER_DETAIL_TYPE.tag());
            log.debug("Message {} is not a CloudWatch alarm state change; ignored.", messageId);
            return;
        }
        AlarmEvent event = parsed.get();
        if (event.eventTime() != null) {
            lag.record(Duration.between(event.eventTime(), clock.instant()));
        }
        Optional<AlarmState> state = stateOf(event);
        if (state.isEmpty()) {
            count(Verdict.IGNORED, IntakeReason.INSUFFICIENT_DATA.tag());
            log.debug("Event {} (alarm {}) is INSUFFICIENT_DATA; ignored.", event.id(), event.alarmName());
            return;
        }
        Places.EventPlace where = places.forEvent(event.account(), event.region());
        if (where instanceof Places.NotServed notServed) {
            count(Verdict.IGNORED, IntakeReason.PLACE_NOT_SERVED.tag());
            log.info(
                    "Event {} (alarm {}) comes from account {} in {}: {}; ignored.",
                    event.id(),
                    event.alarmName(),
                    event.account(),
                    event.region(),
                    notServed.why());
            return;
        }
        if (!(where instanceof Places.Served served)) {
            throw new OwnAccountPendingException("event " + event.id() + " comes from account " + event.account()
                    + ", and the recorder's own account id is not known yet");
        }
        Place place = served.place();
        for (String gatewayId : watchedGatewaysOf(event, place)) {
            SignalOutcome outcome =
                    recordings.handle(new AlarmSignal(event.id(), gatewayId, state.get(), event.stateTime(), place));
            count(outcome.verdict(), outcome.reason().tag());
            log.info(
                    "Gateway {} in {} event {} ({} of alarm {}): {} ({}).",
                    gatewayId,
                    place,
                    event.id(),
                    state.get(),
                    event.alarmName(),
                    outcome.verdict().tag(),
                    outcome.reason());
        }
    }

    private static Optional<AlarmState> stateOf(AlarmEvent event) {
        return switch (event.state()) {
            case "ALARM" -> Optional.of(AlarmState.ALARM);
            case "OK" -> Optional.of(AlarmState.OK);
            case "INSUFFICIENT_DATA" -> Optional.empty();
            default ->
                throw new MalformedEventException(
                        IntakeReason.UNKNOWN_STATE,
                        "event " + event.id() + " has an unknown state '" + event.state() + "'");
        };
    }

    /**
     * The watched gateways the event names in its metrics, tags or alarm name; none (counted and logged) when it
     * names none that is watched.
     *
     * @throws DiscoveryPendingException while a gateway it names may yet turn out to be watched
     */
    private List<String> watchedGatewaysOf(AlarmEvent event, Place place) {
        Set<String> gateways = new LinkedHashSet<>(event.natGatewayIds());
        watched.gatewayOfAlarm(event.alarmName()).ifPresent(gateways::add);
        if (gateways.isEmpty()) {
            count(Verdict.IGNORED, IntakeReason.NO_NAT_GATEWAY.tag());
            log.info(
                    "Event {} (alarm {}) names no NAT gateway in its metrics, tags or name; ignored.",
                    event.id(),
                    event.alarmName());
            return List.of();
        }
        if (gateways.stream().anyMatch(id -> watched.status(id) == Status.NOT_KNOWN_YET)) {
            throw new DiscoveryPendingException("event " + event.id() + " (alarm " + event.alarmName() + ") is for "
                    + gateways + ", and the gateways discovered by tag are not known yet");
        }
        List<String> elsewhere = gateways.stream()
                .filter(id -> watched.placeOf(id).filter(p -> !p.equals(place)).isPresent())
                .toList();
        if (!elsewhere.isEmpty()) {
            count(Verdict.IGNORED, IntakeReason.GATEWAY_ELSEWHERE.tag());
            log.warn(
                    "Event {} (alarm {}) from {} names {}, which the recorder watches in {}: a gateway is matched"
                            + " only in its own account and region; ignored for it.",
                    event.id(),
                    event.alarmName(),
                    place,
                    elsewhere,
                    elsewhere.stream()
                            .map(id -> watched.placeOf(id).orElseThrow().toString())
                            .toList());
        }
        List<String> watchedGateways = gateways.stream()
                .filter(id -> watched.placeOf(id).filter(place::equals).isPresent())
                .toList();
        if (watchedGateways.isEmpty() && elsewhere.isEmpty()) {
            count(Verdict.IGNORED, IntakeReason.GATEWAY_NOT_WATCHED.tag());
            log.info(
                    "Event {} (alarm {}) is for {}, which the recorder does not watch; ignored.",
                    event.id(),
                    event.alarmName(),
                    gateways);
        }
        return watchedGateways;
    }

    private void count(Verdict outcome, String reason) {
        meters.counter("recorder.events", "outcome", outcome.tag(), "reason", reason)
                .increment();
    }

    /** The recorder's own account id is not known yet: the message waits for it. */
    static final class OwnAccountPendingException extends RuntimeException {
        OwnAccountPendingException(String message) {
            super(message);
        }
    }

    /** The gateways discovered by tag are not known yet: the message waits for them. */
    static final class DiscoveryPendingException extends RuntimeException {
        DiscoveryPendingException(String message) {
            super(message);
        }
    }
}
