package dev.vpcflowlogs.recorder.report.engine;

import org.jspecify.annotations.Nullable;

/**
 * The interface an internal host's packets came from, as version 11 flow log records name it: on a NAT gateway's
 * interface the next hop of an ingress record is the sending interface ({@code next-hop-interface-id}, and its
 * {@code next-hop-interface-type} when the format has it).
 */
public record NextHop(String interfaceId, @Nullable String interfaceType) {}
