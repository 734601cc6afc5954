package dev.vpcflowlogs.recorder.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FlowLogFormatTest {

    @Test
    void theDefaultIsTheOriginalsFourteenFields() {
        FlowLogFormat format = FlowLogFormat.parse(FlowLogFormat.ORIGINAL_FORMAT);

        assertThat(format.fields()).hasSize(14).startsWith("action", "flow-direction", "traffic-path");
        assertThat(format.toAwsFormat()).isEqualTo(FlowLogFormat.ORIGINAL_FORMAT);
        assertThat(format.insightsNames()).contains("flow_direction", "pkt_dst_aws_service");
    }

    @Test
    void acceptsBareFieldNamesAndWritesThemAsAwsExpects() {
        assertThat(FlowLogFormat.parse("srcaddr dstaddr bytes").toAwsFormat())
                .isEqualTo("${srcaddr} ${dstaddr} ${bytes}");
    }

    @Test
    void rejectsUnknownFieldsByName() {
        assertThatThrownBy(() -> FlowLogFormat.parse("${srcaddr} ${source-address}"))
                .hasMessageContaining("[source-address]");
    }

    @Test
    void rejectsAnythingButSingleSpacesBetweenFields() {
        assertThatThrownBy(() -> FlowLogFormat.parse("${srcaddr}  ${dstaddr}")).hasMessageContaining("single spaces");
        assertThatThrownBy(() -> FlowLogFormat.parse(" ${srcaddr}")).hasMessageContaining("single spaces");
    }

    @Test
    void rejectsRepeatedAndEmptyFormats() {
        assertThatThrownBy(() -> FlowLogFormat.parse("${bytes} ${bytes}")).hasMessageContaining("twice");
        assertThatThrownBy(() -> FlowLogFormat.parse("")).hasMessageContaining("empty");
    }
}
