package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.CreatedFlowLogs;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.FlowLogBatch;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.FlowLogRequest;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.LookUp;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.Target;
import dev.vpcflowlogs.recorder.system.Batcher;
import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts that arrive together share their calls: one DescribeNatGateways for up to {@value FlowLogProvider#MAX_LOOK_UPS}
 * gateways, then one CreateFlowLogs per {@value FlowLogProvider#MAX_RESOURCES_PER_CREATE} resources of a mode. A
 * thousand gateways alarming at once cost a few calls of EC2's buckets instead of two thousand. A start alone goes at
 * once; starts wait for each other only during a burst ({@code recorder.recording.start-batch-window}), or while the
 * call would wait anyway for a token of EC2's CreateFlowLogs bucket (the recorder keeps its own copy of it).
 *
 * <p>Each CreateFlowLogs is written down, member by member, before it is sent: a retry, or the recorder started again
 * after a crash, sends the same call again to the letter (same ClientToken), and EC2 answers with the flow logs of the
 * first, never new ones. A recording alone in its call keeps the call it had before batches: its own ClientToken and
 * its own tags.
 */
@Component
class StartBatches {

    private static final Logger log = LoggerFactory.getLogger(StartBatches.class);

    /** A recording asking for its flow logs. */
    private record Ask(String recordingId, String gatewayId, Instant expiresAt) {}

    /** What a start found and made: its target, and the flow logs of its share of the call, or why it failed. */
    record Started(@Nullable Target target, @Nullable CreatedFlowLogs created, @Nullable RuntimeException failure) {}

    private final FlowLogProvider flowLogs;
    private final StartBatchStore store;
    private final TransactionTemplate tx;
    private final RecorderProperties.Recording settings;
    private final Map<Place, Batcher<Ask, Started>> batchers = new ConcurrentHashMap<>();
    /** Batches being sent again, by token: the members of one that resume together share its one call. */
    private final Map<String, CompletableFuture<Map<String, CreatedFlowLogs>>> resending = new ConcurrentHashMap<>();

    StartBatches(
            FlowLogProvider flowLogs, StartBatchStore store, TransactionTemplate tx, RecorderProperties properties) {
        this.flowLogs = flowLogs;
        this.store = store;
        this.tx = tx;
        this.settings = properties.recording();
    }

    /**
     * The flow logs of one recording: looked up and made with whatever else starts now, or those its earlier batch
     * made. Fails with the failure that is the recording's own, or its whole call's. {@code first}: the recording is
     * new in this process, so no call of it was written down before and none is looked for.
     */
    CompletableFuture<Started> startAsync(Recording r, boolean first) {
        try {
            return begin(r, first);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Started> begin(Recording r, boolean first) {
        Optional<FlowLogBatch> earlier = first ? Optional.empty() : tx.execute(s -> store.batchOf(r.id()));
        if (earlier != null && earlier.isPresent()) {
            FlowLogBatch batch = earlier.get();
            FlowLogRequest own = batch.requests().stream()
                    .filter(q -> q.recordingId().equals(r.id()))
                    .findFirst()
                    .orElseThrow();
            CreatedFlowLogs share = resend(r.place(), batch).get(r.id());
            if (share == null) {
                throw notToldApart(r.id());
            }
            return CompletableFuture.completedFuture(
                    new Started(new Target(own.mode(), own.resourceIds()), share, null));
        }
        Ask ask = new Ask(r.id(), r.gatewayId(), r.maxEndsAt());
        return batchers.computeIfAbsent(
                        r.place(),
                        place -> new Batcher<Ask, Started>(
                                "start-flow-logs",
                                settings.startBatchWindow(),
                                FlowLogProvider.MAX_LOOK_UPS,
                                each -> 1,
                                () -> flowLogs.untilCreateAllowed(place),
                                asks -> send(place, asks)))
                .submitAsync(List.of(ask))
                .thenApply(answers -> {
                    Started started = answers.get(ask);
                    if (started == null) {
                        throw new IllegalStateException("the start of recording " + r.id() + " was answered nothing");
                    }
                    if (started.failure() != null) {
                        throw started.failure();
                    }
                    return started;
                });
    }

    /** One look-up for every gateway asked, then one CreateFlowLogs per mode and up to the resources a call takes. */
    private Map<Ask, Started> send(Place place, List<Ask> asks) {
        Map<String, LookUp> found = flowLogs.targetsOf(
                place, asks.stream().map(Ask::gatewayId).distinct().toList());
        Map<Ask, Started> answers = new HashMap<>();
        Map<GatewayMode, List<List<FlowLogRequest>>> calls = new LinkedHashMap<>();
        for (Ask ask : asks) {
            LookUp lookUp = found.get(ask.gatewayId());
            if (lookUp == null || lookUp.target() == null) {
                answers.put(
                        ask,
                        new Started(
                                null,
                                null,
                                lookUp == null || lookUp.failure() == null
                                        ? new IllegalStateException(ask.gatewayId() + " was not looked up")
                                        : lookUp.failure()));
                continue;
            }
            Target target = lookUp.target();
            if (target.resourceIds().isEmpty()) {
                answers.put(ask, new Started(target, null, null)); // nothing to record on: the recording fails
                continue;
            }
            List<List<FlowLogRequest>> ofMode = calls.computeIfAbsent(target.mode(), m -> new ArrayList<>());
            if (ofMode.isEmpty()
                    || resourcesOf(ofMode.get(ofMode.size() - 1))
                                    + target.resourceIds().size()
                            > FlowLogProvider.MAX_RESOURCES_PER_CREATE) {
                ofMode.add(new ArrayList<>());
            }
            ofMode.get(ofMode.size() - 1)
                    .add(new FlowLogRequest(
                            ask.recordingId(), ask.gatewayId(), target.mode(), target.resourceIds(), ask.expiresAt()));
        }
        Map<String, Ask> byRecording = new HashMap<>();
        asks.forEach(a -> byRecording.put(a.recordingId(), a));
        calls.values().stream().flatMap(List::stream).forEach(requests -> {
            FlowLogBatch batch = new FlowLogBatch(
                    requests.size() == 1
                            ? FlowLogBatch.tokenOf(requests.get(0).recordingId())
                            : "vfr-b-" + UUID.randomUUID(),
                    requests);
            try {
                Map<String, CreatedFlowLogs> shares = create(place, batch);
                for (FlowLogRequest q : requests) {
                    CreatedFlowLogs share = shares.get(q.recordingId());
                    answers.put(
                            byRecording.get(q.recordingId()),
                            share == null
                                    ? new Started(null, null, notToldApart(q.recordingId()))
                                    : new Started(new Target(q.mode(), q.resourceIds()), share, null));
                }
            } catch (RuntimeException e) {
                requests.forEach(q -> answers.put(byRecording.get(q.recordingId()), new Started(null, null, e)));
            }
        });
        return answers;
    }

    /** Its flow logs were made, but EC2 does not list them yet: the start is retried, with the same call. */
    private static ProviderException notToldApart(String recordingId) {
        return new ProviderException(
                "DescribeFlowLogs",
                "NotListedYet",
                "the flow logs of recording " + recordingId + " were made, but EC2 does not list them yet",
                true,
                null);
    }

    private static int resourcesOf(List<FlowLogRequest> requests) {
        return requests.stream().mapToInt(q -> q.resourceIds().size()).sum();
    }

    /** Writes the batch down, then sends it. */
    private Map<String, CreatedFlowLogs> create(Place place, FlowLogBatch batch) {
        tx.executeWithoutResult(s -> store.save(batch));
        if (!batch.single()) {
            log.info(
                    "{} recordings in {} share CreateFlowLogs {} ({} resources).",
                    batch.requests().size(),
                    place,
                    batch.token(),
                    batch.resourceIds().size());
        }
        return flowLogs.create(place, batch);
    }

    /** The earlier batch's call again, once for all its members that ask now. */
    private Map<String, CreatedFlowLogs> resend(Place place, FlowLogBatch batch) {
        CompletableFuture<Map<String, CreatedFlowLogs>> mine = new CompletableFuture<>();
        CompletableFuture<Map<String, CreatedFlowLogs>> running = resending.putIfAbsent(batch.token(), mine);
        if (running == null) {
            try {
                mine.complete(flowLogs.create(place, batch));
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
            } finally {
                resending.remove(batch.token());
            }
            running = mine;
        }
        try {
            return running.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    @PreDestroy
    void stopBatching() {
        batchers.values().forEach(Batcher::close);
    }
}
