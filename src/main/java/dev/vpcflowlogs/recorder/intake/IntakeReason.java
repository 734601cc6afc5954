package dev.vpcflowlogs.recorder.intake;

import java.util.Locale;

/**
 * Why the intake itself decided a message's outcome (the recording service gives its own reasons): the {@code reason}
 * tag of {@code recorder.events}, in lower case with hyphens.
 */
enum IntakeReason {
    OTHER_DETAIL_TYPE,
    INSUFFICIENT_DATA,
    NO_NAT_GATEWAY,
    GATEWAY_NOT_WATCHED,
    DISCOVERY_PENDING,
    // Why a message is malformed.
    NOT_JSON,
    NOT_AN_EVENT,
    MISSING_ID,
    MISSING_DETAIL_TYPE,
    MISSING_STATE,
    BAD_TIMESTAMP,
    UNKNOWN_STATE;

    String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return tag();
    }
}
