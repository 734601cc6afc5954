package dev.vpcflowlogs.recorder.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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
        REPORT
    }

    static Owners of(
            Collection<String> addresses,
            @Nullable Instant recordingAt,
            List<AddressOwner> duringRecording,
            Instant reportAt,
            List<AddressOwner> atReport,
            @Nullable String note) {
        Map<String, AddressOwner> first = index(duringRecording);
        Map<String, AddressOwner> now = index(atReport);
        Map<String, List<Sighting>> byAddress = new LinkedHashMap<>();
        for (String address : addresses) {
            List<Sighting> seen = new ArrayList<>();
            AddressOwner then = first.get(address);
            AddressOwner later = now.get(address);
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

    private static Map<String, AddressOwner> index(List<AddressOwner> owners) {
        Map<String, AddressOwner> byAddress = new LinkedHashMap<>();
        owners.forEach(o -> byAddress.putIfAbsent(o.address(), o));
        return byAddress;
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
