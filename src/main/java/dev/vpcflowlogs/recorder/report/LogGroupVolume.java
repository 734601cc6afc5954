package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.Place;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What AWS says of a log group before anything is read from it: its class, and what it received in a window
 * (AWS/Logs IncomingLogEvents and IncomingBytes). Implemented by the {@code aws} module.
 */
public interface LogGroupVolume {

    /**
     * @throws RuntimeException when the group or its metrics cannot be read; the report then streams, as before
     */
    Volume of(Place place, String logGroup, Instant from, Instant to);

    /**
     * @param logGroupClass STANDARD, INFREQUENT_ACCESS or DELIVERY, as DescribeLogGroups says
     * @param events log events the group received in the window (every stream of it), null when CloudWatch has no
     *     data point
     * @param bytes their uncompressed bytes, null likewise
     */
    record Volume(String logGroupClass, @Nullable Long events, @Nullable Long bytes) {

        public static final String STANDARD = "STANDARD";
        public static final String INFREQUENT_ACCESS = "INFREQUENT_ACCESS";

        public boolean infrequentAccess() {
            return INFREQUENT_ACCESS.equals(logGroupClass);
        }
    }
}
