package dev.vpcflowlogs.recorder.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NatGateway;

/**
 * The filters of EC2's Describe calls, and their bound: "The maximum number of filter values specified on a single
 * call is 200" (EC2 API reference, DescribeInstances, Filter; the other Describe actions say nothing, so the same
 * bound). It counts the values of all the filters of a call: a list of ids beside a {@code vpc-id} filter takes 199.
 */
final class Ec2Filters {

    static final int MAX_VALUES = 200;

    /** DescribeNatGateways.MaxResults: 5 to 1000. */
    static final int MAX_NAT_GATEWAY_RESULTS = 1000;

    private Ec2Filters() {}

    static Filter filter(String name, Collection<String> values) {
        return Filter.builder().name(name).values(values).build();
    }

    /**
     * These values, without repeats, in chunks that each fit one call beside {@code besides} values of the call's
     * other filters.
     */
    static List<List<String>> chunks(Collection<String> values, int besides) {
        int size = MAX_VALUES - besides;
        if (size < 1) {
            throw new IllegalArgumentException("a call's other filters take all " + MAX_VALUES + " values");
        }
        List<String> all = List.copyOf(new LinkedHashSet<>(values));
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            chunks.add(all.subList(i, Math.min(i + size, all.size())));
        }
        return chunks;
    }

    /**
     * The gateways among these that exist, by id: DescribeNatGateways by the {@code nat-gateway-id} filter, every page.
     * Unlike the {@code NatGatewayIds} parameter, a filter does not refuse the whole call when one gateway is gone.
     * SDK exceptions are the caller's to translate.
     */
    static Map<String, NatGateway> natGateways(Ec2Client ec2, Collection<String> natGatewayIds) {
        return natGateways(
                ec2, natGatewayIds, AwsRequestOverrideConfiguration.builder().build());
    }

    /** The same, each request marked by {@code override} (the permission preflight tags its calls). */
    static Map<String, NatGateway> natGateways(
            Ec2Client ec2, Collection<String> natGatewayIds, AwsRequestOverrideConfiguration override) {
        Map<String, NatGateway> found = new HashMap<>();
        for (List<String> chunk : chunks(natGatewayIds, 0)) {
            ec2.describeNatGatewaysPaginator(r -> r.filter(filter("nat-gateway-id", chunk))
                            .maxResults(MAX_NAT_GATEWAY_RESULTS)
                            .overrideConfiguration(override))
                    .natGateways()
                    .forEach(g -> found.put(g.natGatewayId(), g));
        }
        return found;
    }
}
