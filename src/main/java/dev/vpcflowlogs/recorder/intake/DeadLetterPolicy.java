package dev.vpcflowlogs.recorder.intake;

import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** The queue's redrive policy as read when consumption starts: after how many receives a message is dead-lettered. */
@Component
class DeadLetterPolicy {

    private volatile @Nullable Integer maxReceiveCount;

    void maxReceiveCount(@Nullable Integer value) {
        this.maxReceiveCount = value;
    }

    OptionalInt maxReceiveCount() {
        Integer max = maxReceiveCount;
        return max == null ? OptionalInt.empty() : OptionalInt.of(max);
    }

    /** Whether a message that failed on this receive goes to the dead-letter queue now. */
    boolean isLastReceive(long receiveCount) {
        Integer max = maxReceiveCount;
        return max != null && receiveCount >= max;
    }
}
