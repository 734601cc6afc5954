package dev.vpcflowlogs.recorder.watch;

/**
 * The watched gateways were looked up again.
 *
 * @param first the first time since the start
 * @param changed gateways came or went
 */
public record WatchRefreshed(boolean first, boolean changed) {}
