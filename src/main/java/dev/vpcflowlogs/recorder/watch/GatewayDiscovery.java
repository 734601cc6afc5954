package dev.vpcflowlogs.recorder.watch;

import java.util.Map;
import java.util.Set;

/** Finds NAT gateways by their tags. */
public interface GatewayDiscovery {

    /**
     * @return the ids of the available gateways carrying every one of these tags
     * @throws RuntimeException when they cannot be listed; the previous answer then stands
     */
    Set<String> available(Map<String, String> tags);
}
