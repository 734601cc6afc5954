package dev.vpcflowlogs.recorder.config;

import org.jspecify.annotations.Nullable;

/**
 * Where in AWS something is: an account and a region. The recorder's own account ({@code account} null) is reached
 * with its own credentials; any other through the role it assumes there.
 *
 * @param account a 12-digit account id, or null for the recorder's own
 * @param region a region id such as eu-west-1
 */
public record Place(@Nullable String account, String region) {

    /** The recorder's own account in this region. */
    public static Place home(String region) {
        return new Place(null, region);
    }

    public boolean home() {
        return account == null;
    }

    /** Like "222222222222/eu-west-1", or "own account/us-east-1". */
    public String label() {
        return (account == null ? "own account" : account) + "/" + region;
    }

    /** The {@code account} tag of metrics: the id, or "own". */
    public String accountTag() {
        return account == null ? "own" : account;
    }

    @Override
    public String toString() {
        return label();
    }
}
