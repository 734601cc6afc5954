package dev.vpcflowlogs.recorder.recording;

import java.util.function.Supplier;

/**
 * Serializes everything that happens to one gateway: an alarm, its AWS calls and its deadline never interleave. The
 * stored versions still guard every row, so a broken lock makes a change fail and retry, never corrupt.
 */
interface GatewayLocks {

    <T> T withLock(String gatewayId, Supplier<T> work);
}
