/**
 * The adapters to AWS: EC2 (NAT gateways and flow logs, with EC2's per-action rate limits), CloudWatch (the managed
 * alarms), CloudWatch Logs (the log group, reading the records), SNS (the notification channel) and SQS (the
 * intake's queue), plus the permission preflight. They implement the small interfaces the other modules declare;
 * nothing else in the recorder calls an AWS SDK client.
 */
@NullMarked
package dev.vpcflowlogs.recorder.aws;

import org.jspecify.annotations.NullMarked;
