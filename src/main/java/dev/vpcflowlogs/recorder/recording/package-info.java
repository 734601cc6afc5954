/**
 * The heart of the recorder: one state machine per NAT gateway. {@code Transitions} decides, as a pure function of
 * (gateway, event, now), what each alarm signal, deadline or AWS answer does to the gateway's recording; the
 * {@code RecordingService} stores each decision in one transaction, has {@code ActionRunner} perform its AWS actions,
 * and feeds the answers back in. Deadlines are stored and kept by {@code DeadlineTimers} and {@code Housekeeping};
 * the {@code FlowLogReconciler} deletes whatever the recorder left behind. It declares {@code FlowLogProvider} for the
 * {@code aws} module to implement, announces {@code RecordingEnded} for the notifications, and uses no AWS type.
 */
@NullMarked
package dev.vpcflowlogs.recorder.recording;

import org.jspecify.annotations.NullMarked;
