/**
 * What operators read: the {@code recordings} actuator endpoint (active and recent recordings, each with its
 * notification and spike report). Health components and metrics are contributed by the modules they describe.
 */
@NullMarked
package dev.vpcflowlogs.recorder.ops;

import org.jspecify.annotations.NullMarked;
