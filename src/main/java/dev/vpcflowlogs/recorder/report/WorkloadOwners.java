package dev.vpcflowlogs.recorder.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The VPC's owners with Kubernetes' names beside them: a pod on an address an interface holds alone names that owner;
 * a pod inside a prefix delegated to an interface becomes an owner of its own, of its address. Pods on addresses no
 * interface of the VPC holds (another VPC's cluster) are left out.
 */
final class WorkloadOwners {

    private WorkloadOwners() {}

    static List<AddressOwner> attach(List<AddressOwner> owners, Map<String, Workload> pods) {
        if (pods.isEmpty()) {
            return owners;
        }
        Map<String, Workload> left = new LinkedHashMap<>(pods);
        List<AddressOwner> named = new ArrayList<>(owners.size());
        List<Map.Entry<IpAddressMatcher, AddressOwner>> prefixes = new ArrayList<>();
        for (AddressOwner o : owners) {
            Workload pod = left.remove(o.address());
            named.add(pod == null ? o : o.with(pod));
            if (o.prefix() != null && o.prefix().equals(o.address())) {
                prefixes.add(Map.entry(new IpAddressMatcher(o.prefix()), o));
            }
        }
        if (!prefixes.isEmpty()) {
            left.forEach((address, pod) -> {
                AddressOwner prefix = prefixOf(address, prefixes);
                if (prefix != null) {
                    named.add(prefix.of(address).with(pod));
                }
            });
        }
        return named;
    }

    private static @Nullable AddressOwner prefixOf(
            String address, List<Map.Entry<IpAddressMatcher, AddressOwner>> prefixes) {
        if (!Owners.isAddress(address)) {
            return null;
        }
        for (Map.Entry<IpAddressMatcher, AddressOwner> p : prefixes) {
            if (p.getKey().matches(address)) {
                return p.getValue();
            }
        }
        return null;
    }
}
