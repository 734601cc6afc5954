package dev.vpcflowlogs.recorder.report;

import java.util.List;
import java.util.Map;

/**
 * What each flow log of the recording delivered, as the report tells it.
 *
 * @param byInterface per interface (or other stream prefix): its streams and the records read in the window
 * @param silent those that delivered no record in the window
 * @param suspicious those silent while the gateway was busy (its alarm had fired): a delivery problem is likely
 */
record DeliveryReport(Map<String, FlowLogSource.Delivered> byInterface, List<String> silent, List<String> suspicious) {

    static DeliveryReport of(FlowLogSource.Delivery delivery, boolean gatewayBusy) {
        List<String> silent = delivery.silent();
        return new DeliveryReport(delivery.byPrefix(), silent, gatewayBusy ? silent : List.of());
    }

    /** Why one silent interface delivered nothing, in words. */
    String why(String prefix) {
        FlowLogSource.Delivered d = byInterface.get(prefix);
        return d == null || d.streams().isEmpty() ? "no log stream" : "no record in the window";
    }
}
