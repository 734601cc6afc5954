package dev.vpcflowlogs.recorder.watch;

import dev.vpcflowlogs.recorder.config.Place;
import java.util.Map;
import java.util.Set;

/** Finds NAT gateways by their tags, in one account and region. */
public interface GatewayDiscovery {

    /**
     * @return the ids of the available gateways there carrying every one of these tags
     * @throws RuntimeException when they cannot be listed; the previous answer then stands
     */
    Set<String> available(Place place, Map<String, String> tags);
}
