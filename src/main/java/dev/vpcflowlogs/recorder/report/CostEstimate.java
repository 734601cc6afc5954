package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.config.RecorderProperties.Prices;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the spike cost through the NAT gateway, and which endpoints would pay for themselves. A month is estimated
 * from the gateway's own last 30 days (its AWS/NATGateway metrics), not from the spike's few minutes: each service's
 * month is its share of the spike times the gateway's month.
 *
 * @param priceRegion the region whose prices were used (us-east-1 when none are configured for the recorder's)
 * @param monthlyBytes what the gateway processes in a month of 730 hours, from its last 30 days; null if unknown
 * @param monthlyUnknown why {@code monthlyBytes} is not known
 * @param endpointZones the zones an interface endpoint's hourly fee is counted in: the gateway's
 */
record CostEstimate(
        String region,
        String priceRegion,
        BigDecimal natProcessing,
        @Nullable Long monthlyBytes,
        @Nullable String monthlyUnknown,
        int endpointZones,
        List<ServiceAdvice> services) {

    /** AWS bills data in units of 2^30 bytes. */
    static final BigDecimal GB = BigDecimal.valueOf(1L << 30);

    static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(730);
    /** The metrics' window: 30 days, scaled to a month of 730 hours. */
    static final BigDecimal WINDOW_HOURS = BigDecimal.valueOf(30 * 24);

    /**
     * One AWS service reached through the NAT, and whether an endpoint pays for itself.
     *
     * @param share its part of what the NAT processed in the spike
     * @param natCost what it cost through the NAT in this window
     * @param gatewayEndpoint S3 and DynamoDB: a gateway endpoint carries it at no charge
     * @param monthlyBytes its estimated month: {@code share} of the gateway's month
     * @param monthlySaving what an endpoint would save a month (for an interface endpoint: the processing prices'
     *     difference)
     * @param monthlyFee an interface endpoint's hourly fee for a month in {@code endpointZones}
     * @param advised a gateway endpoint always; an interface endpoint when its saving beats its fee
     */
    record ServiceAdvice(
            String service,
            long bytes,
            double share,
            BigDecimal natCost,
            boolean gatewayEndpoint,
            @Nullable Long monthlyBytes,
            @Nullable BigDecimal monthlySaving,
            BigDecimal monthlyFee,
            boolean advised) {}

    static CostEstimate of(
            SpikeReport report,
            String region,
            RecorderProperties.Report settings,
            @Nullable Long last30DaysBytes,
            @Nullable String last30DaysUnknown,
            int endpointZones) {
        String priceRegion = settings.priceRegionFor(region);
        Prices p = settings.pricesFor(region);
        BigDecimal nat = cost(report.natProcessedBytes(), p.natGatewayPerGb());
        Long monthly = last30DaysBytes == null
                ? null
                : BigDecimal.valueOf(last30DaysBytes)
                        .multiply(HOURS_PER_MONTH)
                        .divide(WINDOW_HOURS, 0, RoundingMode.HALF_UP)
                        .longValue();
        int zones = Math.max(1, endpointZones);
        BigDecimal fee = p.interfaceEndpointPerAzHour()
                .multiply(BigDecimal.valueOf(zones))
                .multiply(HOURS_PER_MONTH);
        List<ServiceAdvice> services = report.bytesByService().entrySet().stream()
                .filter(e -> !e.getKey().equals("AMAZON"))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> {
                    boolean gateway = e.getKey().equals("S3") || e.getKey().equals("DYNAMODB");
                    double share = report.natProcessedBytes() == 0
                            ? 0
                            : Math.min(1, (double) e.getValue() / report.natProcessedBytes());
                    Long serviceMonthly = monthly == null ? null : Math.round(monthly * share);
                    BigDecimal saving = serviceMonthly == null
                            ? null
                            : gateway
                                    ? cost(serviceMonthly, p.natGatewayPerGb())
                                    : cost(serviceMonthly, p.natGatewayPerGb().subtract(p.interfaceEndpointPerGb()))
                                            .max(BigDecimal.ZERO);
                    boolean advised = gateway || (saving != null && saving.compareTo(fee) > 0);
                    return new ServiceAdvice(
                            e.getKey(),
                            e.getValue(),
                            share,
                            cost(e.getValue(), p.natGatewayPerGb()),
                            gateway,
                            serviceMonthly,
                            saving == null ? null : saving.setScale(2, RoundingMode.HALF_UP),
                            gateway ? BigDecimal.ZERO : fee.setScale(2, RoundingMode.HALF_UP),
                            advised);
                })
                .toList();
        return new CostEstimate(region, priceRegion, nat, monthly, last30DaysUnknown, zones, services);
    }

    static BigDecimal cost(long bytes, BigDecimal perGb) {
        return BigDecimal.valueOf(bytes).divide(GB, MathContext.DECIMAL64).multiply(perGb);
    }
}
