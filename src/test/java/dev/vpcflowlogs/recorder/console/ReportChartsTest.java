package dev.vpcflowlogs.recorder.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The recording page names each internal host's owner as the notification does. */
class ReportChartsTest {

    static Map<String, Object> document(String json) {
        return JsonMapper.builder().build().readValue(json, new TypeReference<Map<String, Object>>() {});
    }

    @Test
    void namesAPodByItsWorkloadNodeAndPrefix() {
        ReportCharts charts = ReportCharts.of(
                document(
                        """
                {"report": {"internalHosts": [{"address": "10.0.3.37", "bytes": 400}]},
                 "owners": {"byAddress": {"10.0.3.37": [{"when": "RECORDING", "at": "2026-12-05T10:00:00Z", "owner": {
                   "address": "10.0.3.37", "interfaceId": "eni-0node1", "interfaceType": "interface",
                   "description": "aws-K8S-i-0node", "primary": false, "instanceId": "i-0node",
                   "instanceName": "prod-node", "availabilityZone": "us-east-1b", "tags": {},
                   "prefix": "10.0.3.32/28", "cluster": "prod",
                   "workload": {"cluster": "prod", "namespace": "payments", "pod": "settlement-7d9f-abcde",
                                "controllerKind": "Deployment", "controllerName": "settlement"}}}]}}}
                """));

        assertThat(charts.hosts()).singleElement().satisfies(bar -> assertThat(bar.detail())
                .isEqualTo("payments/settlement-7d9f-abcde (Deployment settlement), EKS pod on node i-0node"
                        + " (prod-node), cluster prod, prefix 10.0.3.32/28"));
    }

    @Test
    void anAddressNobodyHeldSaysSo() {
        ReportCharts charts = ReportCharts.of(
                document(
                        """
                {"report": {"internalHosts": [{"address": "10.0.9.9", "bytes": 1}]}, "owners": {"byAddress": {}}}
                """));

        assertThat(charts.hosts()).extracting(ReportCharts.Bar::detail).containsExactly("not found");
    }
}
