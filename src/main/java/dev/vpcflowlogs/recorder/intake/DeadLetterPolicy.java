package dev.vpcflowlogs.recorder.intake;

import java.util.OptionalInt;
import org.springframework.stereotype.Component;

/** The queue's redrive policy as read when consumption starts: after how many receives a message is dead-lettered. */
@Component
class DeadLetterPolicy {

    private volatile Integer maxReceiveCount;

    void maxReceiveCount(Integer value) {
        this.maxReceiveCount = value;
    }

    OptionalInt maxReceiveCount() {
        return maxReceiveCount == null ? OptionalInt.empty() : OptionalInt.of(maxReceiveCount);
    }

    /** Whether a message that failed on this receive goes to the dead-letter queue now. */
    boolean isLastReceive(long receiveCount) {
        return maxReceiveCount != null && receiveCount >= maxReceiveCount;
    }
}
