package dev.vpcflowlogs.recorder.watch;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.watch.AlarmProvider.ExistingAlarm;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Makes the CloudWatch alarms match the watched gateways, on one replica at a time: at start-up, whenever the
 * watched gateways change, and every {@code recorder.alarms.reconcile-interval}. It creates what is missing, updates
 * what drifted, and deletes the recorder's alarms of gateways no longer watched. An alarm without the recorder's tag
 * is never touched, whatever its name. Each action is logged and counted in {@code recorder.alarms.actions}.
 */
@Component
class AlarmReconciler {

    private static final Logger log = LoggerFactory.getLogger(AlarmReconciler.class);
    static final String LOCK = "alarm-reconciler";

    private final AlarmProvider alarms;
    private final WatchedGateways watched;
    private final LockingTaskExecutor locks;
    private final Clock clock;
    private final MeterRegistry meters;
    private final RecorderProperties.Alarms settings;

    AlarmReconciler(
            AlarmProvider alarms,
            WatchedGateways watched,
            LockingTaskExecutor locks,
            Clock clock,
            MeterRegistry meters,
            RecorderProperties properties) {
        this.alarms = alarms;
        this.watched = watched;
        this.locks = locks;
        this.clock = clock;
        this.meters = meters;
        this.settings = properties.alarms();
    }

    @EventListener
    void onRefresh(WatchRefreshed refreshed) {
        if (refreshed.first() || refreshed.changed()) {
            runOnOneReplica();
        }
    }

    @Scheduled(
            fixedDelayString = "${recorder.alarms.reconcile-interval:PT5M}",
            initialDelayString = "${recorder.alarms.reconcile-interval:PT5M}")
    void runOnOneReplica() {
        if (!settings.managed()) {
            return;
        }
        try {
            locks.executeWithLock(
                    (Runnable) this::reconcile,
                    new LockConfiguration(
                            clock.instant(), LOCK, settings.reconcileInterval().multipliedBy(2), Duration.ZERO));
        } catch (RuntimeException e) {
            meters.counter("recorder.alarms.runs", "result", "failed").increment();
            log.warn(
                    "The alarms could not be reconciled ({}); the next run in {} tries again.",
                    e.getMessage(),
                    settings.reconcileInterval());
        }
    }

    /**
     * One pass. DescribeAlarms gives every alarm with the prefix; their tags (one call each) are asked only for the
     * alarms about to be updated or deleted, so a pass with nothing to change makes no call per alarm.
     */
    void reconcile() {
        Map<String, ExistingAlarm> actual = alarms.alarmsNamedFrom(settings.namePrefix()).stream()
                .collect(Collectors.toMap(
                        a -> a.definition().name(), Function.identity(), (a, b) -> a, LinkedHashMap::new));
        Set<String> desiredNames = new HashSet<>();
        for (String gatewayId : watched.ids()) {
            String name = settings.alarmName(gatewayId);
            desiredNames.add(name);
            AlarmDefinition desired = AlarmDefinitions.of(name, gatewayId, watched.alarmSettings(gatewayId));
            ExistingAlarm existing = actual.get(name);
            if (existing == null) {
                act("created", gatewayId, List.of(name), () -> alarms.put(desired));
            } else if (!existing.definition().sameSettingsAs(desired)) {
                if (AlarmDefinition.managedByRecorder(alarms.tagsOf(existing.arn()))) {
                    act("updated", gatewayId, List.of(name), () -> alarms.put(desired));
                } else {
                    meters.counter("recorder.alarms.actions", "action", "foreign")
                            .increment();
                    log.warn(
                            "Gateway {}: alarm {} exists without the tag {}={}, so the recorder leaves it alone; its"
                                    + " events still start recordings.",
                            gatewayId,
                            name,
                            AlarmDefinition.MANAGED_BY,
                            AlarmDefinition.MANAGED_BY_VALUE);
                }
            }
        }
        if (!watched.complete()) {
            log.info("The tagged gateways are not known yet: no alarm is deleted in this run.");
        } else {
            Map<String, String> stale = new LinkedHashMap<>();
            for (ExistingAlarm existing : actual.values()) {
                if (!desiredNames.contains(existing.definition().name())) {
                    Map<String, String> tags = alarms.tagsOf(existing.arn());
                    if (AlarmDefinition.managedByRecorder(tags)) {
                        stale.put(existing.definition().name(), tags.getOrDefault(AlarmDefinition.GATEWAY_TAG, "?"));
                    }
                }
            }
            if (!stale.isEmpty()) {
                act(
                        "deleted",
                        String.join(", ", stale.values()),
                        List.copyOf(stale.keySet()),
                        () -> alarms.delete(List.copyOf(stale.keySet())));
            }
        }
        meters.counter("recorder.alarms.runs", "result", "succeeded").increment();
    }

    /** One call about these alarms, logged and counted once per alarm. */
    private void act(String action, String gatewayIds, List<String> names, Runnable call) {
        try {
            call.run();
            meters.counter("recorder.alarms.actions", "action", action).increment(names.size());
            log.info("Gateway {}: alarm {} {}.", gatewayIds, String.join(", ", names), action);
        } catch (RuntimeException e) {
            meters.counter("recorder.alarms.actions", "action", "failed").increment(names.size());
            log.warn(
                    "Gateway {}: alarm {} could not be {} ({}); the next run tries again.",
                    gatewayIds,
                    String.join(", ", names),
                    action,
                    e.getMessage());
        }
    }
}
