/**
 * What the recorder watches: the listed gateways plus those discovered by tag, and the CloudWatch alarms that feed
 * it, kept matching the configuration. Ports {@link dev.vpcflowlogs.recorder.watch.GatewayDiscovery} and
 * {@link dev.vpcflowlogs.recorder.watch.AlarmProvider} are implemented by the {@code aws} module.
 */
@NullMarked
package dev.vpcflowlogs.recorder.watch;

import org.jspecify.annotations.NullMarked;
