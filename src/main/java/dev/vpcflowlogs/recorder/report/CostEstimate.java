package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.config.RecorderProperties.Prices;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the spike cost through the NAT gateway, and what endpoints would save.
 *
 * @param priceRegion the region whose prices were used (us-east-1 when none are configured for the recorder's)
 * @param perMonth the same rate for a month of 730 hours
 */
record CostEstimate(
        String region,
        String priceRegion,
        BigDecimal natProcessing,
        BigDecimal perMonth,
        List<ServiceAdvice> services) {

    /** AWS bills data in units of 2^30 bytes. */
    static final BigDecimal GB = BigDecimal.valueOf(1L << 30);

    static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(730);

    /**
     * @param gatewayEndpoint true for S3 and DynamoDB: a gateway endpoint would carry it at no charge
     * @param saving what an endpoint would save for this window (for an interface endpoint: before its hourly fee)
     */
    record ServiceAdvice(String service, long bytes, BigDecimal natCost, boolean gatewayEndpoint, BigDecimal saving) {}

    static CostEstimate of(SpikeReport report, Duration window, String region, RecorderProperties.Report settings) {
        String priceRegion = settings.priceRegionFor(region);
        Prices p = settings.pricesFor(region);
        BigDecimal nat = cost(report.natProcessedBytes(), p.natGatewayPerGb());
        BigDecimal hours = BigDecimal.valueOf(Math.max(1, window.toSeconds()))
                .divide(BigDecimal.valueOf(3600), MathContext.DECIMAL64);
        BigDecimal perMonth = nat.multiply(HOURS_PER_MONTH).divide(hours, 2, RoundingMode.HALF_UP);
        List<ServiceAdvice> services = report.bytesByService().entrySet().stream()
                .filter(e -> !e.getKey().equals("AMAZON"))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> {
                    boolean gateway = e.getKey().equals("S3") || e.getKey().equals("DYNAMODB");
                    BigDecimal natCost = cost(e.getValue(), p.natGatewayPerGb());
                    BigDecimal saving =
                            gateway ? natCost : natCost.subtract(cost(e.getValue(), p.interfaceEndpointPerGb()));
                    return new ServiceAdvice(e.getKey(), e.getValue(), natCost, gateway, saving.max(BigDecimal.ZERO));
                })
                .toList();
        return new CostEstimate(region, priceRegion, nat, perMonth, services);
    }

    /** Per month at this window's rate. */
    BigDecimal monthly(BigDecimal windowAmount) {
        return natProcessing.signum() == 0
                ? BigDecimal.ZERO
                : windowAmount.multiply(perMonth).divide(natProcessing, 2, RoundingMode.HALF_UP);
    }

    private static BigDecimal cost(long bytes, BigDecimal perGb) {
        return BigDecimal.valueOf(bytes).divide(GB, MathContext.DECIMAL64).multiply(perGb);
    }
}
