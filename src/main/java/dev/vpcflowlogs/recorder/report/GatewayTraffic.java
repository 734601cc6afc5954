package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.Place;
import java.time.Duration;

/** What a NAT gateway processed over a longer time than a recording: its AWS/NATGateway metrics. */
public interface GatewayTraffic {

    /**
     * The bytes the gateway processed in the last {@code days} (BytesInFromSource and BytesInFromDestination, daily
     * sums).
     *
     * @throws RuntimeException when CloudWatch cannot answer; the report then says the figure is unknown
     */
    long processedBytes(Place place, String natGatewayId, Duration last);
}
