package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.Place;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Who holds the addresses of a gateway's VPC (EC2 DescribeNetworkInterfaces), in the gateway's account and region. */
public interface NetworkInterfaces {

    /**
     * The gateway's VPC and zones: for a zonal gateway the Availability Zone of its interfaces, for a regional one
     * those of its addresses.
     */
    GatewayNetwork networkOf(Place place, String natGatewayId);

    /**
     * The VPC of each of these gateways, with as few calls as the API allows; a gateway that does not exist is absent
     * from the answer. By default one {@link #networkOf} each.
     */
    default Map<String, String> vpcsOf(Place place, Collection<String> natGatewayIds) {
        Map<String, String> vpcs = new HashMap<>();
        for (String id : natGatewayIds) {
            vpcs.put(id, networkOf(place, id).vpcId());
        }
        return vpcs;
    }

    /** Every private address of the VPC and who holds it, every page (at most {@code limit} addresses). */
    List<AddressOwner> everyAddressOf(Place place, String vpcId, int limit);

    /** Who holds these private addresses of the VPC now; an address nobody holds is not among the answers. */
    List<AddressOwner> holding(Place place, String vpcId, Collection<String> addresses);

    record GatewayNetwork(String vpcId, List<String> zones) {

        public GatewayNetwork {
            zones = List.copyOf(zones);
        }
    }
}
