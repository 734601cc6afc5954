package dev.vpcflowlogs.recorder.recording;

/** A network interface on which no flow log could be created, with AWS's error code and message. */
public record InterfaceFailure(String interfaceId, String code, String message) {

    @Override
    public String toString() {
        return interfaceId + ": " + code + " (" + message + ")";
    }
}
