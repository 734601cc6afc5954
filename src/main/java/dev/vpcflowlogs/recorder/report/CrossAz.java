package dev.vpcflowlogs.recorder.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What internal hosts in other Availability Zones than a zonal gateway's sent and received through it: data between
 * zones is billed in each direction (the region's inter-AZ price), on top of the NAT's processing.
 *
 * @param bytesByZone bytes of hosts in each other zone
 * @param unknownZoneBytes bytes of hosts whose zone is not known (their owner was not found)
 * @param perGbEachWay the inter-AZ price, charged out of one zone and into the other
 * @param cost what those bytes cost crossing zones in this window
 */
record CrossAz(
        String gatewayZone,
        Map<String, Long> bytesByZone,
        long bytes,
        long unknownZoneBytes,
        BigDecimal perGbEachWay,
        BigDecimal cost) {

    CrossAz {
        bytesByZone = Map.copyOf(bytesByZone);
    }

    /**
     * For a zonal gateway in one zone: the bytes of each internal host by its zone.
     *
     * @return null for a regional gateway (it serves each zone in that zone) or when the gateway's zone is not known
     */
    static @Nullable CrossAz of(
            boolean regional,
            List<String> gatewayZones,
            Map<String, Long> hostBytes,
            Function<String, @Nullable String> zoneOf,
            BigDecimal perGbEachWay) {
        if (regional || gatewayZones.size() != 1) {
            return null;
        }
        String home = gatewayZones.get(0);
        Map<String, Long> byZone = new TreeMap<>();
        long unknown = 0;
        for (Map.Entry<String, Long> host : hostBytes.entrySet()) {
            String zone = zoneOf.apply(host.getKey());
            if (zone == null) {
                unknown += host.getValue();
            } else if (!zone.equals(home)) {
                byZone.merge(zone, host.getValue(), Long::sum);
            }
        }
        long bytes = byZone.values().stream().mapToLong(Long::longValue).sum();
        BigDecimal cost = BigDecimal.valueOf(bytes)
                .divide(CostEstimate.GB, MathContext.DECIMAL64)
                .multiply(perGbEachWay)
                .multiply(BigDecimal.valueOf(2));
        return new CrossAz(home, byZone, bytes, unknown, perGbEachWay, cost);
    }
}
