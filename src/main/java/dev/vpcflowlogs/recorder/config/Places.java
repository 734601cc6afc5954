package dev.vpcflowlogs.recorder.config;

import dev.vpcflowlogs.recorder.config.RecorderProperties.Account;
import dev.vpcflowlogs.recorder.config.RecorderProperties.NatGateway;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Every account and region the recorder works in: its own account in its own region (and in
 * {@code recorder.regions}), and each of {@code recorder.accounts} in its regions. Without {@code recorder.accounts}
 * there is one place, and events are taken from wherever they say they come from, as before accounts existed.
 */
public final class Places {

    private final String homeRegion;
    private final Set<String> ownRegions;
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final List<Place> all;
    private final String memberRoleArn;
    private final RecorderProperties.FlowLogs flowLogs;
    private volatile @Nullable String ownAccountId;

    public Places(RecorderProperties properties, String homeRegion) {
        this.homeRegion = homeRegion;
        this.memberRoleArn = properties.memberRoleArn();
        this.flowLogs = properties.flowLogs();
        this.ownRegions = new LinkedHashSet<>();
        ownRegions.add(homeRegion);
        ownRegions.addAll(properties.regions());
        properties.accounts().forEach(a -> accounts.put(a.id(), a));
        List<Place> places = new ArrayList<>();
        ownRegions.forEach(r -> places.add(Place.home(r)));
        for (Account account : properties.accounts()) {
            regionsOf(account).forEach(r -> places.add(new Place(account.id(), r)));
        }
        this.all = List.copyOf(places);
        List<NatGateway> gateways = properties.natGateways();
        for (int i = 0; i < gateways.size(); i++) {
            Place place = of(gateways.get(i));
            if (!all.contains(place)) {
                throw new IllegalArgumentException("recorder.nat-gateways[" + i + "].region: " + place.region()
                        + " is not a region of " + (place.home() ? "recorder.regions" : "account " + place.account())
                        + " (" + (place.home() ? ownRegions : regionsOf(member(place))) + ")");
            }
        }
    }

    private List<String> regionsOf(Account account) {
        return account.regions().isEmpty() ? List.of(homeRegion) : account.regions();
    }

    /** The recorder's own account in its own region. */
    public Place home() {
        return Place.home(homeRegion);
    }

    /** Every place, the recorder's own first. */
    public List<Place> all() {
        return all;
    }

    /** Whether other accounts than the recorder's own are configured. */
    public boolean multiAccount() {
        return !accounts.isEmpty();
    }

    /** Where a listed gateway is. */
    public Place of(NatGateway gateway) {
        String region = gateway.region() == null ? homeRegion : gateway.region();
        return gateway.account() == null ? Place.home(region) : new Place(gateway.account(), region);
    }

    /** Why an event's account and region are not served, or the place they name. */
    public sealed interface EventPlace permits Served, NotServed, OwnAccountUnknown {}

    public record Served(Place place) implements EventPlace {}

    public record NotServed(String why) implements EventPlace {}

    /** The recorder's own account id is not known yet: the event cannot be placed for now. */
    public record OwnAccountUnknown() implements EventPlace {}

    /**
     * The place an event's {@code account} and {@code region} fields name. With one account, every event is the
     * recorder's own account's (in its region if the event names one of {@code recorder.regions}).
     */
    public EventPlace forEvent(@Nullable String account, @Nullable String region) {
        String where = region == null ? homeRegion : region;
        if (!multiAccount()) {
            if (region != null && !ownRegions.contains(region)) {
                return new NotServed("region " + region + " is not among the recorder's regions " + ownRegions);
            }
            return new Served(Place.home(where));
        }
        if (account == null) {
            return new NotServed("the event names no account");
        }
        Account member = accounts.get(account);
        if (member != null) {
            return regionsOf(member).contains(where)
                    ? new Served(new Place(account, where))
                    : new NotServed(
                            "region " + where + " is not configured for account " + account + " " + regionsOf(member));
        }
        String own = ownAccountId;
        if (own == null) {
            return new OwnAccountUnknown();
        }
        if (!own.equals(account)) {
            return new NotServed("account " + account + " is not configured (recorder.accounts)");
        }
        return ownRegions.contains(where)
                ? new Served(Place.home(where))
                : new NotServed("region " + where + " is not among the recorder's regions " + ownRegions);
    }

    /** The role assumed in a member account's region. */
    public String roleArn(Place place) {
        Account account = member(place);
        String role = account.roleArn() != null ? account.roleArn() : memberRoleArn.replace("{account}", account.id());
        return role.replace("{region}", place.region());
    }

    public Optional<String> externalId(Place place) {
        return Optional.ofNullable(member(place).externalId());
    }

    private Account member(Place place) {
        Account account = place.account() == null ? null : accounts.get(place.account());
        if (account == null) {
            throw new IllegalArgumentException(place + " is not a member account of recorder.accounts");
        }
        return account;
    }

    /** The log group flow logs are written to there. */
    public String logGroup(Place place) {
        return flowLogs.logGroupIn(accountId(place), place.region());
    }

    /** The delivery role VPC Flow Logs assumes there. */
    public String deliveryRoleArn(Place place) {
        return flowLogs.deliveryRoleArnIn(accountId(place), place.region());
    }

    /**
     * A place's account id: the recorder's own is known once looked up (needed only when the flow log settings name
     * {@code {account}}, or other accounts are configured).
     */
    private String accountId(Place place) {
        if (place.account() != null) {
            return place.account();
        }
        String own = ownAccountId;
        if (own == null && flowLogs.namesAccount()) {
            throw new IllegalStateException(
                    "the recorder's own account id is not known yet (recorder.flow-logs names {account})");
        }
        return own == null ? "" : own;
    }

    /** Whether the recorder must learn its own account's id (STS GetCallerIdentity) to place events and names. */
    public boolean needsOwnAccountId() {
        return multiAccount() || flowLogs.namesAccount();
    }

    public @Nullable String ownAccountId() {
        return ownAccountId;
    }

    public void ownAccountId(String id) {
        this.ownAccountId = id;
    }
}
