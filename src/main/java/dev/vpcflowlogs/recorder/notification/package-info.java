/**
 * The end-of-recording notification, end to end: when a recording ends ({@code RecordingEnded}) its notification is
 * stored in the same transaction, delivered once due (after the spike report's delay for a completed recording) by
 * one replica holding a lease, at least once across crashes and restarts, to the log and to every
 * {@code NotificationChannel} (SNS, implemented by the {@code aws} module). {@code NotificationComposer} writes the
 * text; the spike report comes from the {@code report} module.
 */
@NullMarked
package dev.vpcflowlogs.recorder.notification;

import org.jspecify.annotations.NullMarked;
