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
                true,
                Duration.ofMinutes(5),
                Duration.ofMinutes(5),
                Duration.ofMinutes(2),
                10,
                50_000,
                4,
                20,
                4,
                prices,
                null,
                null);
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
                List.of(),
                natProcessed / 10,
                natProcessed - natProcessed / 10);
    }

    static final Owners NOBODY = new Owners(Map.of(), null);

    @Test
    void pricesTheSpikesNatProcessingAndTheGatewaysMonthFromItsLast30Days() {
        CostEstimate costs =
                CostEstimate.of(report(10 * GB, Map.of()), "us-east-1", prices(Map.of()), 720 * GB, null, 1);

        assertThat(costs.natProcessing()).isEqualByComparingTo("0.45");
        // 30 days of 24 hours, scaled to a month of 730.
        assertThat(costs.monthlyBytes()).isEqualTo(730 * GB);
        assertThat(costs.priceRegion()).isEqualTo("us-east-1");
    }

    @Test
    void aGatewayEndpointIsAlwaysAdvisedAndAnInterfaceEndpointOnlyWhereItsSavingBeatsItsFee() {
        // The spike: 10 GB, of which S3 4 GB (40%), KINESIS 2 GB (20%), SQS 0.01 GB; the gateway: 1000 GB a month.
        CostEstimate costs = CostEstimate.of(
                report(10 * GB, Map.of("S3", 4 * GB, "KINESIS", 2 * GB, "SQS", GB / 100, "AMAZON", 3 * GB)),
                "us-east-1",
                prices(Map.of()),
                1000 * GB * 720 / 730,
                null,
                2);

        assertThat(costs.services())
                .extracting(CostEstimate.ServiceAdvice::service)
                .containsExactly("S3", "KINESIS", "SQS");
        CostEstimate.ServiceAdvice s3 = costs.services().get(0);
        assertThat(s3.gatewayEndpoint()).isTrue();
        assertThat(s3.advised()).isTrue();
        assertThat(s3.monthlyBytes()).isEqualTo(400 * GB);
        assertThat(s3.monthlySaving()).isEqualByComparingTo("18.00"); // 400 GB at $0.045
        CostEstimate.ServiceAdvice kinesis = costs.services().get(1);
        // 200 GB a month saves $0.035 a GB = $7.00; two zones cost $0.01 x 2 x 730 h = $14.60: not worth it.
        assertThat(kinesis.monthlySaving()).isEqualByComparingTo("7.00");
        assertThat(kinesis.monthlyFee()).isEqualByComparingTo("14.60");
        assertThat(kinesis.advised()).isFalse();
        assertThat(ReportSummary.advice(kinesis)).contains("not worth it", "$7.00", "$14.60");
    }

    @Test
    void anInterfaceEndpointThatPaysForItselfIsAdvisedWithItsFigures() {
        CostEstimate costs = CostEstimate.of(
                report(10 * GB, Map.of("KINESIS", 5 * GB)), "us-east-1", prices(Map.of()), 2000 * GB, null, 1);

        CostEstimate.ServiceAdvice kinesis = costs.services().get(0);
        // Half of ~2028 GB a month: about $35.49 saved against $7.30 in fees.
        assertThat(kinesis.advised()).isTrue();
        assertThat(kinesis.monthlyFee()).isEqualByComparingTo("7.30");
        assertThat(kinesis.monthlySaving()).isGreaterThan(kinesis.monthlyFee());
        assertThat(ReportSummary.advice(kinesis)).startsWith("interface endpoint advised: saves $35.");
    }

    @Test
    void withoutTheGatewaysMonthNoInterfaceEndpointIsAdvisedAndTheSummarySaysWhy() {
        SpikeReport report = report(10 * GB, Map.of("S3", GB, "KINESIS", 5 * GB));
        CostEstimate costs = CostEstimate.of(report, "us-east-1", prices(Map.of()), null, "AccessDenied", 1);

        assertThat(costs.services()).filteredOn(s -> !s.gatewayEndpoint()).allMatch(s -> !s.advised());
        assertThat(ReportSummary.render(
                        report, costs, new DeliveryReport(Map.of(), List.of(), List.of()), NOBODY, null))
                .contains("the gateway's month is unknown: AccessDenied")
                .contains("gateway endpoint: no charge")
                .contains("interface endpoint: cannot tell whether it pays");
    }

    @Test
    void aRegionWithoutPricesUsesUsEast1AndTheSummarySaysSo() {
        SpikeReport report = report(GB, Map.of());
        CostEstimate costs = CostEstimate.of(
                report,
                "eu-central-1",
                prices(Map.of(
                        "eu-west-1",
                        new Prices(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, null, null, null, null))),
                null,
                "no metrics",
                1);

        assertThat(costs.priceRegion()).isEqualTo("us-east-1");
        assertThat(ReportSummary.render(
                        report, costs, new DeliveryReport(Map.of(), List.of(), List.of()), NOBODY, null))
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
