package dev.vpcflowlogs.recorder.recording;

import org.springframework.core.NestedExceptionUtils;

/** How a failure is said in one log line or health detail. */
final class Failures {

    private Failures() {}

    /** The innermost cause: its type and message. */
    static String rootMessage(Throwable e) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(e);
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
