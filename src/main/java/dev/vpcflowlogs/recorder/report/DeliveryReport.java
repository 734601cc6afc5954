package dev.vpcflowlogs.recorder.report;

import java.util.List;
import java.util.Map;

/**
 * What each flow log of the recording delivered, as the report tells it.
 *
 * @param bySource per source (a zonal gateway's interface, or a regional gateway): its streams and the records read
 *     in the window
 * @param silent those that delivered no record in the window
 * @param suspicious those silent while the gateway was busy (its alarm had fired): a delivery problem is likely
 */
record DeliveryReport(Map<String, FlowLogSource.Delivered> bySource, List<String> silent, List<String> suspicious) {

    static DeliveryReport of(FlowLogSource.Delivery delivery, boolean gatewayBusy) {
        List<String> silent = delivery.silent();
        return new DeliveryReport(delivery.bySource(), silent, gatewayBusy ? silent : List.of());
    }

    /** Why one silent source delivered nothing, in words. */
    String why(String source) {
        FlowLogSource.Delivered d = bySource.get(source);
        return d == null || d.streams().isEmpty() ? "no log stream" : "no record in the window";
    }
}
