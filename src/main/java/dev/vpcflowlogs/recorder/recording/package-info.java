/**
 * The heart of the recorder: one state machine per NAT gateway. {@code Transitions} decides, as a pure function of
 * (gateway, event, now), what each alarm signal, deadline or AWS answer does to the gateway's recording; the
 * {@code RecordingService} stores each decision in one transaction under the gateway's lock ({@code TransitionLog}
 * tells it), and its starts and stops go on in the background ({@code BackgroundCalls}, through {@code ActionRunner}),
 * sharing calls with the others of their burst, their answers fed back in as events. {@code OperatorRequests} passes
 * an operator's "Record now" and "Stop" through the same machine. Deadlines are stored and kept by
 * {@code DeadlineTimers} and {@code Housekeeping};
 * the {@code FlowLogReconciler} deletes whatever the recorder left behind. It declares {@code FlowLogProvider} for the
 * {@code aws} module to implement, announces {@code RecordingEnded} for the notifications, and uses no AWS type.
 */
@NullMarked
package dev.vpcflowlogs.recorder.recording;

import org.jspecify.annotations.NullMarked;
