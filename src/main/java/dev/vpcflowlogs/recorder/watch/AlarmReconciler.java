package dev.vpcflowlogs.recorder.watch;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** One pass; package-private for tests. */
    void reconcile() {
        Map<String, AlarmDefinition> actual = alarms.alarmsNamedFrom(settings.namePrefix()).stream()
                .collect(Collectors.toMap(AlarmDefinition::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        Map<String, String> desiredGateways = new LinkedHashMap<>();
        for (String gatewayId : watched.ids()) {
            String name = settings.alarmName(gatewayId);
            desiredGateways.put(name, gatewayId);
            AlarmDefinition desired = AlarmDefinitions.of(name, gatewayId, watched.alarmSettings(gatewayId));
            AlarmDefinition existing = actual.get(name);
            if (existing == null) {
                act("created", gatewayId, name, () -> alarms.put(desired));
            } else if (!existing.managedByRecorder()) {
                meters.counter("recorder.alarms.actions", "action", "foreign").increment();
                log.warn(
                        "Gateway {}: alarm {} exists without the tag {}={}, so the recorder leaves it alone; its"
                                + " events still start recordings.",
                        gatewayId,
                        name,
                        AlarmDefinition.MANAGED_BY,
                        AlarmDefinition.MANAGED_BY_VALUE);
            } else if (!existing.sameSettingsAs(desired)) {
                act("updated", gatewayId, name, () -> alarms.put(desired));
            }
        }
        if (!watched.complete()) {
            log.info("The tagged gateways are not known yet: no alarm is deleted in this run.");
        } else {
            List<AlarmDefinition> stale = new ArrayList<>();
            for (AlarmDefinition existing : actual.values()) {
                if (existing.managedByRecorder() && !desiredGateways.containsKey(existing.name())) {
                    stale.add(existing);
                }
            }
            for (AlarmDefinition alarm : stale) {
                String gatewayId = alarm.tags().getOrDefault(AlarmDefinition.GATEWAY_TAG, "?");
                act("deleted", gatewayId, alarm.name(), () -> alarms.delete(List.of(alarm.name())));
            }
        }
        meters.counter("recorder.alarms.runs", "result", "succeeded").increment();
    }

    private void act(String action, String gatewayId, String name, Runnable call) {
        try {
            call.run();
            meters.counter("recorder.alarms.actions", "action", action).increment();
            log.info("Gateway {}: alarm {} {}.", gatewayId, name, action);
        } catch (RuntimeException e) {
            meters.counter("recorder.alarms.actions", "action", "failed").increment();
            log.warn(
                    "Gateway {}: alarm {} could not be {} ({}); the next run tries again.",
                    gatewayId,
                    name,
                    action,
                    e.getMessage());
        }
    }
}
