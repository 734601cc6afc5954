package dev.vpcflowlogs.recorder.recording;

import org.jspecify.annotations.Nullable;

/** A network interface on which no flow log could be created, with AWS's error code and message. */
public record InterfaceFailure(String interfaceId, String code, @Nullable String message) {

    @Override
    public String toString() {
        return interfaceId + ": " + code + " (" + message + ")";
    }
}
