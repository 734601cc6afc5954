package dev.vpcflowlogs.recorder.intake;

import java.util.Locale;

/**
 * Why the intake itself decided a message's outcome (the recording service gives its own, {@code Reason}, whose tags
 * are never the same): the {@code reason}
 * tag of {@code recorder.events}, in lower case with hyphens.
 */
enum IntakeReason {
    OTHER_DETAIL_TYPE,
    INSUFFICIENT_DATA,
    NO_NAT_GATEWAY,
    GATEWAY_NOT_WATCHED,
    /** The gateway is watched, but in another account or region than the event comes from. */
    GATEWAY_ELSEWHERE,
    /** The event's account or region is not one the recorder works in. */
    PLACE_NOT_SERVED,
    /** The recorder's own account id is not known yet, so an event of it cannot be told from another's. */
    OWN_ACCOUNT_PENDING,
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
