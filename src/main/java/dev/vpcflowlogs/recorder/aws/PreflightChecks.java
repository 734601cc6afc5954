package dev.vpcflowlogs.recorder.aws;

import java.util.Map;

/** The permission preflight, for the console: its last result, or a new one now. */
public interface PreflightChecks {

    /** The status ({@code UP}, {@code DOWN}, {@code UNKNOWN}) and each check of the last run. */
    Map<String, Object> last();

    /** Checks again now (after a permission was granted), as {@code operator} asked. */
    Map<String, Object> runNow(String operator);
}
