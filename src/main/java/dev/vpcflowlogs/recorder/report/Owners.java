package dev.vpcflowlogs.recorder.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * Who held the report's internal addresses: as read while the recording ran, and as read when the report was made.
 * An address seen with two owners had changed hands in between; one seen with none says so.
 *
 * @param byAddress each address and its owners, the recording's first
 * @param note why owners are missing, when they could not be read
 */
record Owners(Map<String, List<Sighting>> byAddress, @Nullable String note) {

    Owners {
        byAddress = Map.copyOf(byAddress);
    }

    /** An owner, and when it was seen: while the recording ran, or when the report was made. */
    record Sighting(AddressOwner owner, When when, Instant at) {}

    enum When {
        RECORDING,
        REPORT,
        /** Named by the flow log records themselves (version 11's next hop), when EC2 knew no owner. */
        RECORDS
    }

    static Owners of(
            Collection<String> addresses,
            @Nullable Instant recordingAt,
            List<AddressOwner> duringRecording,
            Instant reportAt,
            List<AddressOwner> atReport,
            @Nullable String note) {
        Index first = new Index(duringRecording);
        Index now = new Index(atReport);
        Map<String, List<Sighting>> byAddress = new LinkedHashMap<>();
        for (String address : addresses) {
            List<Sighting> seen = new ArrayList<>();
            AddressOwner then = first.holderOf(address);
            AddressOwner later = now.holderOf(address);
            if (then != null && recordingAt != null) {
                seen.add(new Sighting(then, When.RECORDING, recordingAt));
            }
            if (later != null && (then == null || !then.sameAs(later))) {
                seen.add(new Sighting(later, When.REPORT, reportAt));
            }
            byAddress.put(address, List.copyOf(seen));
        }
        return new Owners(byAddress, note);
    }

    /**
     * The same, an address no one was found holding named by its flow log records' next hop (version 11): the
     * interface it sent from, which may be gone (a Lambda function's, a task's).
     */
    Owners withNextHops(Map<String, dev.vpcflowlogs.recorder.report.engine.NextHop> hops, Instant reportAt) {
        if (hops.isEmpty()) {
            return this;
        }
        Map<String, List<Sighting>> all = new LinkedHashMap<>(byAddress);
        hops.forEach((address, hop) -> {
            if (all.getOrDefault(address, List.of()).isEmpty()) {
                String type = hop.interfaceType() == null ? "" : hop.interfaceType() + " ";
                AddressOwner named = new AddressOwner(
                        address,
                        hop.interfaceId(),
                        null,
                        type + "interface named by its flow log records",
                        null,
                        false,
                        null,
                        null,
                        null,
                        null,
                        Map.of());
                all.put(address, List.of(new Sighting(named, When.RECORDS, reportAt)));
            }
        });
        return new Owners(all, note);
    }

    /**
     * Owners by address, and the prefixes delegated to interfaces: an address no one holds alone may be in one of
     * them (a pod under prefix delegation), which DescribeNetworkInterfaces lists as the prefix, never the address.
     */
    private static final class Index {

        private final Map<String, AddressOwner> byAddress = new LinkedHashMap<>();
        private final List<Map.Entry<IpAddressMatcher, AddressOwner>> prefixes = new ArrayList<>();

        Index(List<AddressOwner> owners) {
            for (AddressOwner o : owners) {
                byAddress.putIfAbsent(o.address(), o);
                if (o.prefix() != null && o.prefix().equals(o.address())) {
                    prefixes.add(Map.entry(new IpAddressMatcher(o.prefix()), o));
                }
            }
        }

        @Nullable
        AddressOwner holderOf(String address) {
            AddressOwner owner = byAddress.get(address);
            if (owner != null || prefixes.isEmpty() || !isAddress(address)) {
                return owner;
            }
            return prefixes.stream()
                    .filter(p -> p.getKey().matches(address))
                    .map(p -> p.getValue().of(address))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** An IP literal (flow log fields hold nothing else, but a matcher would look a host name up). */
    static boolean isAddress(String address) {
        return !address.isEmpty()
                && (address.indexOf(':') >= 0 || Character.isDigit(address.charAt(0)))
                && address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
    }

    /** The same, for these addresses only. */
    Owners only(Collection<String> addresses) {
        Map<String, List<Sighting>> kept = new LinkedHashMap<>();
        addresses.forEach(a -> kept.put(a, byAddress.getOrDefault(a, List.of())));
        return new Owners(kept, note);
    }

    /** "i-0abc (web-1)", "EKS pod ..., then Lambda function f", or "not found". */
    String label(String address) {
        List<Sighting> seen = byAddress.getOrDefault(address, List.of());
        if (seen.isEmpty()) {
            return "not found";
        }
        if (seen.size() == 1) {
            return seen.get(0).owner().label();
        }
        return seen.get(0).owner().label() + ", then " + seen.get(1).owner().label();
    }

    /** The Kubernetes pod on the address while the recording ran, if the link named one. */
    @Nullable
    Workload workloadOf(String address) {
        List<Sighting> seen = byAddress.getOrDefault(address, List.of());
        return seen.isEmpty() || seen.get(0).when() != When.RECORDING
                ? null
                : seen.get(0).owner().workload();
    }

    /**
     * The zone of any address, in a prefix too: a look-up for every host of a report, its prefixes read once (an
     * address in a delegated prefix is a key of its own only when the report names it).
     */
    java.util.function.Function<String, @Nullable String> zones() {
        List<Map.Entry<IpAddressMatcher, String>> prefixes = new ArrayList<>();
        byAddress.forEach((key, seen) -> {
            String zone = zoneOf(key);
            if (key.indexOf('/') > 0 && zone != null) {
                prefixes.add(Map.entry(new IpAddressMatcher(key), zone));
            }
        });
        return address -> {
            String zone = zoneOf(address);
            if (zone != null || prefixes.isEmpty() || !isAddress(address)) {
                return zone;
            }
            return prefixes.stream()
                    .filter(p -> p.getKey().matches(address))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null);
        };
    }

    /** The Availability Zone the address was in while the recording ran (else when the report was made). */
    @Nullable
    String zoneOf(String address) {
        return byAddress.getOrDefault(address, List.of()).stream()
                .map(s -> s.owner().availabilityZone())
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElse(null);
    }
}
