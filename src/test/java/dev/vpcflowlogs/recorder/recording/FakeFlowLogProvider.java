package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.config.Place;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * EC2 in memory, for tests of the recording module: gateways with their interfaces, flow logs made per request, the
 * calls in order, and failures to inject.
 */
class FakeFlowLogProvider implements FlowLogProvider {

    final Map<String, Target> gateways = new LinkedHashMap<>();
    final Map<String, ManagedFlowLog> flowLogs = Collections.synchronizedMap(new LinkedHashMap<>());
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final List<FlowLogRequest> creates = Collections.synchronizedList(new ArrayList<>());
    final List<List<String>> deletes = Collections.synchronizedList(new ArrayList<>());
    /** Thrown by the next calls of an action, one each, in order. */
    final Map<String, List<RuntimeException>> failures = new LinkedHashMap<>();
    /** Runs when CreateFlowLogs is called, before it answers: a test looks at the store there. */
    Consumer<FlowLogRequest> onCreate = request -> {};

    private int nextId;

    FakeFlowLogProvider gateway(String id, String... interfaces) {
        gateways.put(id, new Target(GatewayMode.ZONAL, List.of(interfaces)));
        return this;
    }

    /** A regional gateway: its flow log is made on the gateway itself. */
    FakeFlowLogProvider regionalGateway(String id) {
        gateways.put(id, new Target(GatewayMode.REGIONAL, List.of(id)));
        return this;
    }

    FakeFlowLogProvider failNext(String action, RuntimeException failure) {
        failures.computeIfAbsent(action, a -> new ArrayList<>()).add(failure);
        return this;
    }

    private synchronized void call(String action) {
        calls.add(action);
        List<RuntimeException> queued = failures.get(action);
        if (queued != null && !queued.isEmpty()) {
            throw queued.remove(0);
        }
    }

    long count(String action) {
        return calls.stream().filter(action::equals).count();
    }

    @Override
    public Map<String, LookUp> targetsOf(Place place, List<String> natGatewayIds) {
        call("DescribeNatGateways");
        Map<String, LookUp> found = new LinkedHashMap<>();
        for (String id : natGatewayIds) {
            Target target = gateways.get(id);
            found.put(
                    id,
                    target == null
                            ? LookUp.failed(new ProviderException(
                                    "DescribeNatGateways", "NatGatewayNotFound", id + " does not exist", false, null))
                            : LookUp.of(target));
        }
        return found;
    }

    /** The batches CreateFlowLogs was called with, in order. */
    final List<FlowLogBatch> batches = Collections.synchronizedList(new ArrayList<>());
    /** What each ClientToken made, as EC2 remembers it: the same token again makes nothing new. */
    private final Map<String, Map<String, CreatedFlowLogs>> tokens = new LinkedHashMap<>();

    @Override
    public synchronized Map<String, CreatedFlowLogs> create(Place place, FlowLogBatch batch) {
        batches.add(batch);
        batch.requests().forEach(creates::add);
        call("CreateFlowLogs");
        batch.requests().forEach(onCreate);
        Map<String, CreatedFlowLogs> earlier = tokens.get(batch.token());
        if (earlier != null) {
            return earlier;
        }
        Map<String, CreatedFlowLogs> made = new LinkedHashMap<>();
        for (FlowLogRequest request : batch.requests()) {
            List<String> ids = new ArrayList<>();
            for (String resource : request.resourceIds()) {
                String id = String.format("fl-%017d", ++nextId);
                flowLogs.put(
                        id,
                        batch.single()
                                ? new ManagedFlowLog(id, resource, request.recordingId(), request.expiresAt())
                                : new ManagedFlowLog(id, resource, null, batch.expiresAt(), batch.token()));
                placeOf.put(id, place);
                ids.add(id);
            }
            made.put(request.recordingId(), new CreatedFlowLogs(ids, List.of()));
        }
        tokens.put(batch.token(), made);
        return made;
    }

    @Override
    public void delete(Place place, List<String> flowLogIds) {
        call("DeleteFlowLogs");
        deletes.add(List.copyOf(flowLogIds));
        // As EC2 does, a delete reaches only the flow logs of its own account and region.
        flowLogIds.stream()
                .filter(id -> place.equals(placeOf.getOrDefault(id, TestProperties.HOME)))
                .forEach(flowLogs::remove);
    }

    /** Flow logs that do not deliver, by id, with AWS's message. */
    final Map<String, String> deliveryErrors = Collections.synchronizedMap(new LinkedHashMap<>());

    @Override
    public List<DeliveryFailure> deliveryFailures(Place place, List<String> flowLogIds) {
        call("DescribeFlowLogs");
        List<DeliveryFailure> failed = new ArrayList<>();
        for (String id : flowLogIds) {
            ManagedFlowLog flowLog = flowLogs.get(id);
            String error = deliveryErrors.get(id);
            if (flowLog != null && error != null) {
                failed.add(new DeliveryFailure(id, flowLog.resourceId(), error));
            }
        }
        return failed;
    }

    /** Runs once the flow logs are listed, before the listing returns: what happens meanwhile elsewhere. */
    volatile Runnable afterListing = () -> {};

    @Override
    public List<ManagedFlowLog> managedFlowLogs(Place place) {
        call("DescribeFlowLogs");
        List<ManagedFlowLog> listed;
        synchronized (flowLogs) {
            listed = flowLogs.values().stream()
                    .filter(f -> place.equals(placeOf.getOrDefault(f.flowLogId(), TestProperties.HOME)))
                    .toList();
        }
        afterListing.run();
        return listed;
    }

    /** Where each flow log was made (one a test puts in itself is the recorder's own, in its region). */
    final Map<String, Place> placeOf = Collections.synchronizedMap(new LinkedHashMap<>());
}
