package dev.vpcflowlogs.recorder.system;

import org.springframework.core.NestedExceptionUtils;

/** How a failure is told in one log line or health detail. */
public final class Failures {

    private Failures() {}

    /** The innermost cause: its type and message. */
    public static String rootMessage(Throwable e) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(e);
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** The innermost cause's message alone. */
    public static String rootText(Throwable e) {
        return String.valueOf(NestedExceptionUtils.getMostSpecificCause(e).getMessage());
    }
}
