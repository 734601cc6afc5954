package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.watch.GatewayDiscovery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NatGateway;

/** DescribeNatGateways in one account and region, with a filter per tag and {@code state=available}, every page. */
@Component
class Ec2GatewayDiscovery implements GatewayDiscovery {

    private final AwsClients clients;
    private final AwsErrors errors;

    Ec2GatewayDiscovery(AwsClients clients, AwsErrors errors) {
        this.clients = clients;
        this.errors = errors;
    }

    @Override
    public Set<String> available(Place place, Map<String, String> tags) {
        Ec2Client ec2 = clients.ec2(place);
        List<Filter> filters = new ArrayList<>();
        filters.add(Filter.builder().name("state").values("available").build());
        tags.forEach((key, value) ->
                filters.add(Filter.builder().name("tag:" + key).values(value).build()));
        Set<String> ids = new TreeSet<>();
        try {
            for (NatGateway gateway : ec2.describeNatGatewaysPaginator(
                            r -> r.filter(filters).maxResults(1000))
                    .natGateways()) {
                ids.add(gateway.natGatewayId());
            }
        } catch (SdkException e) {
            throw errors.translate(place, "DescribeNatGateways", e);
        }
        return ids;
    }
}
