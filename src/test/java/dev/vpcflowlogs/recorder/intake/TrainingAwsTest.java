package dev.vpcflowlogs.recorder.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class TrainingAwsTest {

    @Test
    void refusesAnEndpointOffTheLoopbackAddress() {
        assertThatThrownBy(() -> TrainingAws.at(URI.create("https://ec2.us-east-1.amazonaws.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spring.cloud.aws.endpoint on 127.0.0.1");
    }

    @Test
    void answersASpikesEc2CallsAndRefusesEverythingElse() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (TrainingAws aws = TrainingAws.at(URI.create("http://127.0.0.1:" + port))) {
            HttpResponse<String> described = post(
                    port,
                    "Action=DescribeNatGateways&Version=2016-11-15&Filter.1.Name=nat-gateway-id"
                            + "&Filter.1.Value.1=nat-0123456789abcdef0");
            HttpResponse<String> dryRun =
                    post(port, "Action=CreateFlowLogs&Version=2016-11-15&DryRun=true&ResourceId.1=eni-1");
            HttpResponse<String> created = post(
                    port,
                    "Action=CreateFlowLogs&Version=2016-11-15&ClientToken=t&ResourceId.1=eni-1&ResourceId.2=eni-2");
            HttpResponse<String> sns = post(port, "Action=Publish&Version=2010-03-31&TopicArn=x");

            assertThat(described.statusCode()).isEqualTo(200);
            assertThat(described.body())
                    .contains("<natGatewayId>nat-0123456789abcdef0</natGatewayId>")
                    .contains("<networkInterfaceId>eni-0123456789abcdef0</networkInterfaceId>");
            assertThat(dryRun.statusCode()).isEqualTo(412);
            assertThat(dryRun.body()).contains("<Code>DryRunOperation</Code>");
            assertThat(created.body())
                    .contains("<clientToken>t</clientToken>")
                    .containsPattern("<flowLogIdSet><item>fl-\\w+</item><item>fl-\\w+</item></flowLogIdSet>");
            assertThat(sns.statusCode()).isEqualTo(400);
            assertThat(aws.answered("DescribeNatGateways")).isEqualTo(1);
            assertThat(aws.answered("CreateFlowLogs"))
                    .as("a dry run is not an answer")
                    .isEqualTo(1);
        }
    }

    private static HttpResponse<String> post(int port, String form) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(form))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
