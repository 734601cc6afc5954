package dev.vpcflowlogs.recorder.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.config.Places.EventPlace;
import dev.vpcflowlogs.recorder.config.Places.NotServed;
import dev.vpcflowlogs.recorder.config.Places.OwnAccountUnknown;
import dev.vpcflowlogs.recorder.config.Places.Served;
import dev.vpcflowlogs.recorder.config.RecorderProperties.Account;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlacesTest {

    static final String B = "222222222222";

    static Places organization(List<String> ownRegions, List<RecorderProperties.NatGateway> gateways) {
        RecorderProperties d = TestProperties.defaults();
        RecorderProperties p = new RecorderProperties(
                d.queue(),
                gateways,
                d.alarms(),
                d.discovery(),
                d.recording(),
                d.flowLogs(),
                d.notifications(),
                d.intake(),
                d.report(),
                d.reconciler(),
                d.aws(),
                List.of(new Account(B, null, "ext", List.of("eu-west-1", "us-east-1"))),
                RecorderProperties.DEFAULT_MEMBER_ROLE,
                ownRegions,
                d.console(),
                d.preflight());
        return new Places(p, "us-east-1");
    }

    static RecorderProperties.NatGateway gateway(String id, String account, String region) {
        return new RecorderProperties.NatGateway(id, null, null, null, null, null, null, null, account, region);
    }

    @Test
    void withOneAccountEveryEventIsTheRecordersOwnAsBeforeAccountsExisted() {
        Places places = TestProperties.places();

        assertThat(places.forEvent("999999999999", "us-east-1")).isEqualTo(new Served(Place.home("us-east-1")));
        assertThat(places.forEvent(null, null)).isEqualTo(new Served(Place.home("us-east-1")));
        assertThat(places.forEvent("999999999999", "eu-west-1")).isInstanceOf(NotServed.class);
        assertThat(places.needsOwnAccountId()).isFalse();
        assertThat(places.all()).containsExactly(Place.home("us-east-1"));
    }

    @Test
    void aMemberAccountsEventsArePlacedInItsRegionsOnly() {
        Places places = organization(
                List.of(), List.of(TestProperties.defaults().natGateways().get(0)));

        assertThat(places.forEvent(B, "eu-west-1")).isEqualTo(new Served(new Place(B, "eu-west-1")));
        assertThat(places.forEvent(B, "ap-south-1"))
                .isEqualTo(new NotServed(
                        "region ap-south-1 is not configured for account " + B + " [eu-west-1, us-east-1]"));
        // The member template makes one role per region, so that no stack instance of a StackSet is half a member.
        assertThat(places.roleArn(new Place(B, "eu-west-1")))
                .isEqualTo("arn:aws:iam::" + B + ":role/vpc-flowlogs-recorder-member-eu-west-1");
        assertThat(places.roleArn(new Place(B, "us-east-1")))
                .isEqualTo("arn:aws:iam::" + B + ":role/vpc-flowlogs-recorder-member-us-east-1");
        assertThat(places.externalId(new Place(B, "us-east-1"))).contains("ext");
        assertThat(places.all())
                .containsExactly(Place.home("us-east-1"), new Place(B, "eu-west-1"), new Place(B, "us-east-1"));
    }

    @Test
    void theOwnAccountsEventsWaitUntilItsIdIsKnownAndOthersAreIgnored() {
        Places places = organization(
                List.of("eu-west-1"),
                List.of(TestProperties.defaults().natGateways().get(0)));

        EventPlace before = places.forEvent("123456789012", "eu-west-1");
        places.ownAccountId("123456789012");

        assertThat(before).isInstanceOf(OwnAccountUnknown.class);
        assertThat(places.forEvent("123456789012", "eu-west-1")).isEqualTo(new Served(Place.home("eu-west-1")));
        assertThat(places.forEvent("333333333333", "us-east-1"))
                .isEqualTo(new NotServed("account 333333333333 is not configured (recorder.accounts)"));
    }

    @Test
    void aGatewayInARegionItsAccountDoesNotListNamesItsEntry() {
        assertThatThrownBy(() -> organization(List.of(), List.of(gateway("nat-0a1b2c3d4e5f60718", B, "ap-south-1"))))
                .hasMessageContaining("recorder.nat-gateways[0].region: ap-south-1 is not a region of account " + B);
    }

    @Test
    void logGroupsAndDeliveryRolesFollowTheirPatternsPerAccountAndRegion() {
        RecorderProperties.FlowLogs f = new RecorderProperties.FlowLogs(
                "/recordings/{account}/{region}",
                7,
                "arn:aws:iam::{account}:role/delivery",
                null,
                java.time.Duration.ofSeconds(60),
                null,
                null);

        assertThat(f.logGroupIn(B, "eu-west-1")).isEqualTo("/recordings/" + B + "/eu-west-1");
        assertThat(f.deliveryRoleArnIn(B, "eu-west-1")).isEqualTo("arn:aws:iam::" + B + ":role/delivery");
        assertThat(f.namesAccount()).isTrue();
    }
}
