/**
 * Alarm events in: consumes the SQS queue that EventBridge fills with "CloudWatch Alarm State Change" events, parses
 * each one (the NAT gateway is found in any metric's dimension, the alarm's tags or a managed alarm's name), routes
 * it to the watched gateways and hands their signals to the {@code recording} module. Each message ends in exactly
 * one counted outcome. It reads its queue's attributes through {@code QueueAttributes}, implemented by the
 * {@code aws} module, and calls no AWS SDK itself.
 */
@NullMarked
package dev.vpcflowlogs.recorder.intake;

import org.jspecify.annotations.NullMarked;
