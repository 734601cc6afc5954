package dev.vpcflowlogs.recorder.recording;

import org.jspecify.annotations.Nullable;

/** A failed call to the cloud provider, with its error code and whether trying again later may help. */
public class ProviderException extends RuntimeException {

    private final String operation;
    private final String code;
    private final boolean retryable;

    public ProviderException(
            String operation, String code, @Nullable String message, boolean retryable, @Nullable Throwable cause) {
        super(operation + " failed: " + code + ": " + message, cause);
        this.operation = operation;
        this.code = code;
        this.retryable = retryable;
    }

    public String operation() {
        return operation;
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
