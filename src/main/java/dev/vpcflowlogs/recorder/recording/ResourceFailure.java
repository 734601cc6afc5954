package dev.vpcflowlogs.recorder.recording;

import com.fasterxml.jackson.annotation.JsonAlias;
import org.jspecify.annotations.Nullable;

/**
 * A resource (a network interface, or a regional NAT gateway) on which no flow log could be created, with AWS's error
 * code and message.
 */
public record ResourceFailure(@JsonAlias("interfaceId") String resourceId, String code, @Nullable String message) {

    @Override
    public String toString() {
        return resourceId + ": " + code + " (" + message + ")";
    }
}
