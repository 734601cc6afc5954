package dev.vpcflowlogs.recorder.watch;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.system.OneReplica;
import dev.vpcflowlogs.recorder.system.OwnershipTags;
import dev.vpcflowlogs.recorder.system.Reconciliation;
import dev.vpcflowlogs.recorder.watch.AlarmProvider.ExistingAlarm;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Makes the CloudWatch alarms match the watched gateways, on one replica at a time: at start-up, whenever the
 * watched gateways change, and every {@code recorder.alarms.reconcile-interval}. It creates what is missing, updates
 * what drifted, and deletes the recorder's alarms of gateways no longer watched. An alarm without the recorder's tag
 * is never touched, whatever its name. Each action is logged and counted in {@code recorder.alarms.actions}.
 *
 * <p>CloudWatch takes only a few PutMetricAlarm calls a second (the CloudWatch adapter waits its turn for each), so a
 * first pass over a thousand gateways takes minutes. It runs on the scheduler's threads, never on the thread that
 * refreshed the watched gateways, and a shutdown ends it between two alarms. Even with nothing to change a pass reads
 * every alarm, so the first one after start-up waits {@code recorder.alarms.start-delay}: the spikes that queued
 * while the recorder was down, received at once, do not share the CPU with it.
 */
@Component
class AlarmReconciler {

    private static final Logger log = LoggerFactory.getLogger(AlarmReconciler.class);
    static final String LOCK = "alarm-reconciler";

    /** What the reconciler did to an alarm: the {@code action} tag of {@code recorder.alarms.actions}. */
    enum AlarmAction {
        CREATED,
        UPDATED,
        DELETED,
        /** An alarm named with the prefix but without the recorder's tag, left alone. */
        FOREIGN,
        FAILED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final AlarmProvider alarms;
    private final WatchedGateways watched;
    private final OneReplica oneReplica;
    private final MeterRegistry meters;
    private final RecorderProperties.Alarms settings;
    private final Places places;
    private final AlarmStates states;
    private final Reconciliation<Place> shell;
    private final TaskScheduler passes;

    AlarmReconciler(
            TaskScheduler passes,
            AlarmProvider alarms,
            WatchedGateways watched,
            OneReplica oneReplica,
            MeterRegistry meters,
            RecorderProperties properties,
            Places places,
            AlarmStates states) {
        this.passes = passes;
        this.states = states;
        this.alarms = alarms;
        this.watched = watched;
        this.oneReplica = oneReplica;
        this.meters = meters;
        this.settings = properties.alarms();
        this.places = places;
        int putsPerSecond = properties.aws().cloudwatch().putMetricAlarmPerSecond();
        this.shell = new Reconciliation<>(
                "alarms",
                LOCK,
                "recorder.alarms.runs",
                settings::reconcileInterval,
                () -> lockFor(settings.reconcileInterval(), watched.ids().size(), putsPerSecond),
                places::all,
                this::reconcile,
                oneReplica,
                meters);
    }

    /**
     * How long a pass holds its lock: twice the interval, or twice as long as putting every watched gateway's alarm
     * takes at CloudWatch's pace, whichever is longer. A pass that outlasted its lock would let a second one (on another
     * replica, or the next on this one) put the same alarms again, against the same quota.
     */
    static Duration lockFor(Duration interval, int gateways, int putsPerSecond) {
        Duration puts = Duration.ofMillis(2_000L * gateways / putsPerSecond);
        Duration twice = interval.multipliedBy(2);
        return puts.compareTo(twice) > 0 ? puts : twice;
    }

    @EventListener
    void onRefresh(WatchRefreshed refreshed) {
        if (refreshed.first() || refreshed.changed()) {
            Duration delay = refreshed.first() ? settings.startDelay() : Duration.ZERO;
            passes.schedule(this::runOnOneReplica, passes.getClock().instant().plus(delay));
        }
    }

    @Scheduled(
            fixedDelayString = "${recorder.alarms.reconcile-interval:PT5M}",
            initialDelayString = "${recorder.alarms.reconcile-interval:PT5M}")
    void runOnOneReplica() {
        if (settings.managed()) {
            shell.runOnOneReplica();
        }
    }

    /** One pass in every place: a place that fails (its role, its region) is logged and the others go on. */
    void reconcile() {
        shell.runHere();
    }

    /**
     * One pass in one place. DescribeAlarms gives every alarm with the prefix there; their tags (one call each) are
     * asked only for the alarms about to be updated or deleted, so a pass with nothing to change makes no call per
     * alarm. Only that place's watched gateways have their alarms there.
     */
    void reconcile(Place place) {
        Map<String, ExistingAlarm> actual = alarms.alarmsNamedFrom(place, settings.namePrefix()).stream()
                .collect(Collectors.toMap(
                        a -> a.definition().name(), Function.identity(), (a, b) -> a, LinkedHashMap::new));
        Set<String> desiredNames = new HashSet<>();
        for (String gatewayId : watched.idsIn(place)) {
            if (Thread.currentThread().isInterrupted()) {
                log.info("The alarms in {} were left for the next pass: the recorder is stopping.", place);
                return;
            }
            String name = settings.alarmName(gatewayId);
            desiredNames.add(name);
            AlarmDefinition desired = AlarmDefinitions.of(name, gatewayId, watched.alarmSettings(gatewayId));
            ExistingAlarm existing = actual.get(name);
            if (existing != null && existing.state() != null) {
                states.saw(gatewayId, existing.state());
            }
            if (existing == null) {
                act(AlarmAction.CREATED, gatewayId, List.of(name), () -> alarms.put(place, desired));
            } else if (!existing.definition().sameSettingsAs(desired)) {
                if (AlarmDefinition.managedByRecorder(alarms.tagsOf(place, existing.arn()))) {
                    act(AlarmAction.UPDATED, gatewayId, List.of(name), () -> alarms.put(place, desired));
                } else {
                    meters.counter("recorder.alarms.actions", "action", AlarmAction.FOREIGN.tag())
                            .increment();
                    log.warn(
                            "Gateway {}: alarm {} exists without the tag {}={}, so the recorder leaves it alone; its"
                                    + " events still start recordings.",
                            gatewayId,
                            name,
                            OwnershipTags.MANAGED_BY,
                            OwnershipTags.MANAGED_BY_VALUE);
                }
            }
        }
        if (!watched.complete(place)) {
            log.info("The tagged gateways of {} are not known yet: no alarm is deleted there in this run.", place);
        } else {
            Map<String, String> stale = new LinkedHashMap<>();
            for (ExistingAlarm existing : actual.values()) {
                if (!desiredNames.contains(existing.definition().name())) {
                    Map<String, String> tags = alarms.tagsOf(place, existing.arn());
                    if (AlarmDefinition.managedByRecorder(tags)) {
                        stale.put(existing.definition().name(), tags.getOrDefault(OwnershipTags.NAT_GATEWAY_ID, "?"));
                    }
                }
            }
            if (!stale.isEmpty()) {
                act(
                        AlarmAction.DELETED,
                        String.join(", ", stale.values()),
                        List.copyOf(stale.keySet()),
                        () -> alarms.delete(place, List.copyOf(stale.keySet())));
            }
        }
    }

    /** One call about these alarms, logged and counted once per alarm. */
    private void act(AlarmAction action, String gatewayIds, List<String> names, Runnable call) {
        try {
            call.run();
            meters.counter("recorder.alarms.actions", "action", action.tag()).increment(names.size());
            log.info("Gateway {}: alarm {} {}.", gatewayIds, String.join(", ", names), action.tag());
        } catch (RuntimeException e) {
            meters.counter("recorder.alarms.actions", "action", AlarmAction.FAILED.tag())
                    .increment(names.size());
            log.warn(
                    "Gateway {}: alarm {} could not be {} ({}); the next run tries again.",
                    gatewayIds,
                    String.join(", ", names),
                    action.tag(),
                    e.getMessage());
        }
    }
}
