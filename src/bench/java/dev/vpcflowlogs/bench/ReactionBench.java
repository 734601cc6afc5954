package dev.vpcflowlogs.bench;

import dev.vpcflowlogs.recorder.e2e.Events;
import dev.vpcflowlogs.recorder.e2e.Gateways;
import dev.vpcflowlogs.recorder.e2e.LocalSqs;
import dev.vpcflowlogs.recorder.e2e.RecorderHarness;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.Call;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.FlowLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import org.awaitility.Awaitility;

/**
 * Part 1: spikes at a steady rate through ElasticMQ, PostgreSQL store. For each, the time from the recorder
 * receiving the ALARM to its CreateFlowLogs reaching the stand-in, and from receiving the OK to the DeleteFlowLogs
 * that carries its flow logs.
 */
final class ReactionBench {

    /** Spikes received this long after the first are the recorder's steady state: its code has run before. */
    static final Duration WARM_AFTER = Duration.ofSeconds(10);

    record Result(
            int spikes,
            double perSecond,
            Stats start,
            Stats stop,
            Stats warmStart,
            int failures,
            ReactionAccount.Result account) {}

    private ReactionBench() {}

    static Result run(LocalSqs sqs, int spikes, double perSecond, Path work) throws IOException {
        List<String> gateways = Gateways.ids(spikes, 0x100000);
        try (AwsStandIn aws = BenchSettings.alarmsUnthrottled(Gateways.standIn(gateways, 0x100000));
                RecorderHarness recorder = new RecorderHarness(sqs, aws)) {
            Gateways.watch(recorder, gateways);
            BenchSettings.apply(recorder)
                    .with("recorder.recording.tail", "0s")
                    .with("logging.level.dev.vpcflowlogs.recorder.standin", "WARN");
            ReceiveProbe.RECEIVED.clear();
            ReceiveProbe.THREAD.clear();
            recorder.startWith(ReceiveProbe.class);
            // Start-up work (one alarm per gateway, the preflight) is over before the first spike.
            Awaitility.await()
                    .atMost(Duration.ofMinutes(5))
                    .until(() -> recorder.count("recorder.alarms.actions", "action", "created") == spikes
                            && !aws.preflightCalls().isEmpty());

            Recording waits = ReactionAccount.record();
            ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger next = new AtomicInteger();
            long periodMicros = (long) (1_000_000 / perSecond);
            sender.scheduleAtFixedRate(
                    () -> {
                        int i = next.getAndIncrement();
                        if (i >= spikes) {
                            return;
                        }
                        String gateway = gateways.get(i);
                        Instant now = Instant.now();
                        recorder.send(Events.alarm(gateway, now));
                        sender.schedule(
                                () -> recorder.send(Events.ok(gateway, now.plusSeconds(1))), 1, TimeUnit.SECONDS);
                    },
                    0,
                    periodMicros,
                    TimeUnit.MICROSECONDS);
            Awaitility.await()
                    .atMost(Duration.ofSeconds((long) (spikes / perSecond) + 120))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> recorder.count("recorder.recordings", "result", "completed")
                                    + recorder.count("recorder.recordings", "result", "failed")
                            >= spikes);
            sender.shutdownNow();

            // A call of a start shared with another (two spikes at once) carries no gateway's tags: the interfaces say.
            Map<String, String> gatewayOfInterface = new HashMap<>();
            for (int i = 0; i < gateways.size(); i++) {
                for (String eni : Gateways.interfaces(i, 0x100000)) {
                    gatewayOfInterface.put(eni, gateways.get(i));
                }
            }
            Map<String, String> gatewayOfFlowLog = new HashMap<>();
            for (FlowLog f : aws.flowLogsEverCreated()) {
                gatewayOfFlowLog.put(f.flowLogId(), gatewayOfInterface.get(f.resourceId()));
            }
            Map<String, Instant> created = new HashMap<>();
            for (Call c : aws.calls("CreateFlowLogs")) {
                for (int n = 1; c.params().containsKey("ResourceId." + n); n++) {
                    created.putIfAbsent(gatewayOfInterface.get(c.params().get("ResourceId." + n)), c.at());
                }
            }
            // A start's look-up names its gateway in a filter (nat-gateway-id); the first after its alarm is its own.
            Map<String, Instant> described = new HashMap<>();
            for (Call c : aws.calls("DescribeNatGateways")) {
                for (String value : c.params().values()) {
                    Instant alarm = ProbeTimes.get(value + " ALARM");
                    if (alarm != null && !c.at().isBefore(alarm)) {
                        described.putIfAbsent(value, c.at());
                    }
                }
            }
            Map<String, Instant> deleted = new HashMap<>();
            for (Call c : aws.calls("DeleteFlowLogs")) {
                for (int n = 1; c.params().containsKey("FlowLogId." + n); n++) {
                    deleted.putIfAbsent(gatewayOfFlowLog.get(c.params().get("FlowLogId." + n)), c.at());
                }
            }
            List<Duration> starts = new ArrayList<>();
            List<Duration> stops = new ArrayList<>();
            List<ReactionAccount.Start> staged = new ArrayList<>();
            for (String gateway : gateways) {
                Instant alarm = ProbeTimes.get(gateway + " ALARM");
                Instant ok = ProbeTimes.get(gateway + " OK");
                if (alarm != null && created.containsKey(gateway)) {
                    starts.add(Duration.between(alarm, created.get(gateway)));
                    if (described.containsKey(gateway)) {
                        staged.add(new ReactionAccount.Start(
                                gateway,
                                ReceiveProbe.THREAD.get(gateway + " ALARM"),
                                alarm,
                                described.get(gateway),
                                created.get(gateway)));
                    }
                }
                if (ok != null && deleted.containsKey(gateway)) {
                    stops.add(Duration.between(ok, deleted.get(gateway)));
                }
            }
            int failures = (int) recorder.count("recorder.recordings", "result", "failed")
                    + (spikes - starts.size())
                    + (spikes - stops.size());
            Files.createDirectories(work);
            ReactionAccount.Result account =
                    ReactionAccount.of(staged, waits, work.resolve("reaction-waits.jfr"), 0.01);
            Instant firstAlarm = ProbeTimes.get(gateways.get(0) + " ALARM");
            List<Duration> warm = staged.stream()
                    .filter(st -> !st.received().isBefore(firstAlarm.plus(WARM_AFTER)))
                    .map(ReactionAccount.Start::total)
                    .toList();
            return new Result(spikes, perSecond, Stats.of(starts), Stats.of(stops), Stats.of(warm), failures, account);
        }
    }

    /** The probe's notes (a name of its own keeps the lookup readable). */
    private static final class ProbeTimes {
        static Instant get(String key) {
            return ReceiveProbe.RECEIVED.get(key);
        }
    }
}
