package dev.vpcflowlogs.recorder.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.MutableClock;
import dev.vpcflowlogs.recorder.TestDatabase;
import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.recording.GatewayMode;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class OwnerSnapshotsTest {

    static final Instant START = Instant.parse("2026-12-02T10:00:00Z");
    static final Place HOME = Place.home("us-east-1");

    final TestDatabase database = TestDatabase.h2();
    final MutableClock clock = new MutableClock(START);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Calls made of EC2, by the recorder's names for them. */
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** Gateways 1 and 2 in vpc-a, 3 in vpc-b; one address each VPC, whose owner changes with each reading. */
    final NetworkInterfaces interfaces = new NetworkInterfaces() {
        @Override
        public GatewayNetwork networkOf(Place place, String natGatewayId) {
            throw new AssertionError("one DescribeNatGateways for all the gateways of a turn, not one each");
        }

        @Override
        public Map<String, String> vpcsOf(Place place, Collection<String> natGatewayIds) {
            calls.add("DescribeNatGateways " + List.copyOf(natGatewayIds));
            Map<String, String> vpcs = new java.util.HashMap<>();
            natGatewayIds.forEach(id -> {
                if (!id.equals("nat-gone")) {
                    vpcs.put(id, id.equals("nat-3") ? "vpc-b" : "vpc-a");
                }
            });
            return vpcs;
        }

        @Override
        public List<AddressOwner> everyAddressOf(Place place, String vpcId, int limit) {
            calls.add("DescribeNetworkInterfaces " + vpcId);
            return List.of(new AddressOwner(
                    "10.0.0.5",
                    "eni-" + calls.size(),
                    "interface",
                    null,
                    null,
                    true,
                    null,
                    null,
                    null,
                    null,
                    Map.of()));
        }

        @Override
        public List<AddressOwner> holding(Place place, String vpcId, Collection<String> addresses) {
            return List.of();
        }
    };

    final OwnerSnapshots snapshots =
            new OwnerSnapshots(interfaces, database.jdbc(), JsonMapper.builder().build(), clock, meters);

    @AfterEach
    void close() {
        snapshots.close();
        database.close();
    }

    static Recording started(String id, String gatewayId) {
        return new Recording(
                id,
                gatewayId,
                HOME,
                RecordingState.RECORDING,
                "e-" + id,
                START,
                START,
                null,
                START.plusSeconds(3600),
                null,
                null,
                null,
                null,
                GatewayMode.ZONAL,
                List.of("eni-x"),
                List.of("fl-" + id),
                List.of(),
                0,
                List.of(),
                null,
                null,
                1);
    }

    @Test
    void recordingsOfOneVpcStartingTogetherShareOneReadingOfItsOwners() {
        snapshots.take(List.of(started("r1", "nat-1"), started("r2", "nat-2"), started("r3", "nat-3")));

        assertThat(calls)
                .containsExactly(
                        "DescribeNatGateways [nat-1, nat-2, nat-3]",
                        "DescribeNetworkInterfaces vpc-a",
                        "DescribeNetworkInterfaces vpc-b");
        assertThat(owner("r1")).isEqualTo(owner("r2")).isEqualTo("eni-2");
        assertThat(owner("r3")).isEqualTo("eni-3");
        assertThat(database.jdbc()
                        .sql("select count(*) from owner_snapshot")
                        .query(Integer.class)
                        .single())
                .as("each VPC's owners kept once")
                .isEqualTo(2);
        assertThat(meters.counter("recorder.owners.snapshots", "result", "taken")
                        .count())
                .isEqualTo(3);
    }

    @Test
    void aRecordingStartingWithinAMinuteOfAReadingSharesItAndALaterOneReadsAgain() {
        snapshots.take(List.of(started("r1", "nat-1")));
        clock.advance(OwnerSnapshots.SHARED_FOR.minusSeconds(1));
        snapshots.take(List.of(started("r2", "nat-2")));
        clock.advance(Duration.ofSeconds(2));
        snapshots.take(List.of(started("r3", "nat-1")));

        assertThat(owner("r2")).as("shared, the VPC's gateway known").isEqualTo(owner("r1"));
        assertThat(snapshots.of("r2").orElseThrow().takenAt()).isEqualTo(START);
        assertThat(owner("r3")).as("read again").isNotEqualTo(owner("r1"));
        assertThat(snapshots.of("r3").orElseThrow().takenAt()).isEqualTo(START.plusSeconds(61));
        assertThat(new ArrayList<>(calls))
                .containsExactly(
                        "DescribeNatGateways [nat-1]",
                        "DescribeNetworkInterfaces vpc-a",
                        "DescribeNatGateways [nat-2]",
                        "DescribeNetworkInterfaces vpc-a");
    }

    @Test
    void aGatewayGoneSinceItsStartCountsAFailureAndTheOthersAreKept() {
        snapshots.take(List.of(started("r1", "nat-1"), started("r2", "nat-gone")));

        assertThat(snapshots.of("r1")).isPresent();
        assertThat(snapshots.of("r2")).isEmpty();
        assertThat(meters.counter("recorder.owners.snapshots", "result", "failed")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void ownersKeptBeforeReadingsWereSharedAreStillRead() {
        database.jdbc()
                .sql(
                        """
                        insert into recording_owners (recording_id, taken_at, owners)
                        values ('old', :at, '[{"address":"10.0.0.9","interfaceId":"eni-old","primary":true,"tags":{}}]')
                        """)
                .param("at", START.atOffset(java.time.ZoneOffset.UTC))
                .update();

        assertThat(owner("old")).isEqualTo("eni-old");
    }

    private String owner(String recordingId) {
        return snapshots.of(recordingId).orElseThrow().owners().get(0).interfaceId();
    }
}
