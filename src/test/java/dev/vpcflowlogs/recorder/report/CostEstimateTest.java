package dev.vpcflowlogs.recorder.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.config.RecorderProperties.Prices;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostEstimateTest {

    static final long GB = 1L << 30;

    /** The report settings with these prices by region (us-east-1's always among them). */
    static RecorderProperties.Report prices(Map<String, Prices> prices) {
        return new RecorderProperties.Report(
                true, Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(2), 10, 50_000, 4, prices);
    }

    static SpikeReport report(long natProcessed, Map<String, Long> services) {
        return new SpikeReport(
                10,
                Map.of(),
                2 * natProcessed,
                0,
                null,
                null,
                null,
                null,
                List.of(),
                List.of(),
                List.of(),
                services,
                natProcessed,
                false,
                true,
                0,
                List.of());
    }

    @Test
    void pricesTheNatProcessingAndItsMonthlyRate() {
        CostEstimate costs =
                CostEstimate.of(report(10 * GB, Map.of()), Duration.ofHours(1), "us-east-1", prices(Map.of()));

        assertThat(costs.natProcessing()).isEqualByComparingTo("0.45");
        assertThat(costs.perMonth()).isEqualByComparingTo("328.50");
        assertThat(costs.priceRegion()).isEqualTo("us-east-1");
    }

    @Test
    void gatewayEndpointsSaveAllOfTheirTrafficAndInterfaceEndpointsTheDifference() {
        CostEstimate costs = CostEstimate.of(
                report(10 * GB, Map.of("S3", 4 * GB, "DYNAMODB", GB, "EC2", 2 * GB, "AMAZON", 3 * GB)),
                Duration.ofHours(1),
                "us-east-1",
                prices(Map.of()));

        assertThat(costs.services())
                .extracting(CostEstimate.ServiceAdvice::service)
                .containsExactly("S3", "EC2", "DYNAMODB");
        CostEstimate.ServiceAdvice s3 = costs.services().get(0);
        assertThat(s3.gatewayEndpoint()).isTrue();
        assertThat(s3.saving()).isEqualByComparingTo("0.18");
        CostEstimate.ServiceAdvice ec2 = costs.services().get(1);
        assertThat(ec2.gatewayEndpoint()).isFalse();
        assertThat(ec2.saving()).isEqualByComparingTo("0.07");
    }

    @Test
    void aRegionWithoutPricesUsesUsEast1AndTheSummarySaysSo() {
        SpikeReport report = report(GB, Map.of());
        CostEstimate costs = CostEstimate.of(
                report,
                Duration.ofMinutes(10),
                "eu-central-1",
                prices(Map.of("eu-west-1", new Prices(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE))));

        assertThat(costs.priceRegion()).isEqualTo("us-east-1");
        assertThat(ReportSummary.render(report, costs, new DeliveryReport(Map.of(), List.of(), List.of())))
                .contains("Prices are us-east-1's: none are configured for eu-central-1.");
    }

    @Test
    void showsHumanUnits() {
        assertThat(ReportSummary.bytes(512)).isEqualTo("512 B");
        assertThat(ReportSummary.bytes(1536)).isEqualTo("1.5 KB");
        assertThat(ReportSummary.bytes(1_500_000_000L)).isEqualTo("1.4 GB");
        assertThat(ReportSummary.money(new BigDecimal("0.04213"))).isEqualTo("$0.0421");
        assertThat(ReportSummary.money(new BigDecimal("12.345"))).isEqualTo("$12.35");
        assertThat(ReportSummary.money(new BigDecimal("73853.791"))).isEqualTo("$73,853.79");
    }
}
