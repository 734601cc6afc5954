package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.Place;
import java.util.Collection;
import java.util.List;

/** Who holds the addresses of a gateway's VPC (EC2 DescribeNetworkInterfaces), in the gateway's account and region. */
public interface NetworkInterfaces {

    /**
     * The gateway's VPC and zones: for a zonal gateway the Availability Zone of its interfaces, for a regional one
     * those of its addresses.
     */
    GatewayNetwork networkOf(Place place, String natGatewayId);

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
