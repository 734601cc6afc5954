package dev.vpcflowlogs.recorder.intake;

import java.util.OptionalInt;

/** What the intake reads of its queue (implemented with SQS's GetQueueAttributes by the {@code aws} module). */
public interface QueueAttributes {

    /**
     * After how many receives the queue's redrive policy moves a message to its dead-letter queue; empty without
     * one.
     */
    OptionalInt maxReceiveCount(String queue);

    /** The queue's approximate backlog. */
    Backlog backlog(String queue);

    /** Messages waiting to be received, and those received but not yet deleted. */
    record Backlog(long waiting, long inFlight) {}
}
