package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.system.Failures;
import dev.vpcflowlogs.recorder.system.OwnThread;
import dev.vpcflowlogs.recorder.system.StartUpStep;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Whether each account and region can be worked in, as the {@code accounts} health component: a dry run of
 * DescribeNatGateways there (which needs the role assumed, the region reached and the permission granted) every
 * {@value #HEALTHY_MINUTES} minutes while it answers, and with growing pauses (from 30 s to 10 min) while it does not.
 * A place that fails is DOWN in the component's details, by account and region, and the others go on. It also
 * learns the recorder's own account id (STS GetCallerIdentity, which needs no permission) when other accounts are
 * configured or the flow log settings name {@code {account}}.
 */
@Component("accountsHealthIndicator")
class AccountsHealth implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(AccountsHealth.class);
    static final int HEALTHY_MINUTES = 5;
    static final Duration FIRST_PAUSE = Duration.ofSeconds(30);
    static final Duration LONGEST_PAUSE = Duration.ofMinutes(10);

    record State(boolean up, String detail, Instant nextProbe, int failures) {}

    private final Places places;
    private final AwsClients clients;
    private final StsClient sts;
    private final Clock clock;
    private final StartUpStep ownAccount;
    private final Map<Place, State> states = new ConcurrentHashMap<>();
    /** A thousand accounts take minutes to probe: never on the shared scheduler (OwnThread). */
    private final ThreadPoolTaskScheduler probing = OwnThread.scheduler("account-probes");

    AccountsHealth(
            Places places,
            AwsClients clients,
            StsClient sts,
            TaskScheduler scheduler,
            Clock clock,
            MeterRegistry meters) {
        this.places = places;
        this.clients = clients;
        this.sts = sts;
        this.clock = clock;
        this.ownAccount = new StartUpStep(
                log,
                scheduler,
                clock,
                "the recorder's own account has not been looked up yet",
                Duration.ofMinutes(2),
                e -> "the recorder's own account id cannot be learnt (sts:GetCallerIdentity): " + Failures.rootText(e));
        Gauge.builder(
                        "recorder.accounts.down",
                        () -> states.values().stream().filter(s -> !s.up()).count())
                .description("Accounts and regions the recorder cannot work in now")
                .register(meters);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (places.needsOwnAccountId()) {
            ownAccount.tryOffThread(() -> {
                String id = sts.getCallerIdentity().account();
                places.ownAccountId(id);
                log.info("The recorder runs in account {}.", id);
            });
        }
    }

    /** Probes the places whose time has come, every 5 s from a second after the start, on a thread of their own. */
    @EventListener(ApplicationReadyEvent.class)
    void startProbing() {
        probing.scheduleWithFixedDelay(this::probe, clock.instant().plusSeconds(1), Duration.ofSeconds(5));
    }

    @PreDestroy
    void stopProbing() {
        probing.shutdown();
    }

    void probe() {
        if (!places.multiAccount() && places.all().size() == 1) {
            return; // one place: the other health components and the preflight already say all of it
        }
        Instant now = clock.instant();
        for (Place place : places.all()) {
            State state = states.get(place);
            if (state == null || !state.nextProbe().isAfter(now)) {
                states.put(place, probe(place, state, now));
            }
        }
    }

    private State probe(Place place, @Nullable State before, Instant now) {
        try {
            clients.ec2(place).describeNatGateways(r -> r.dryRun(true).maxResults(5));
            return up(place, before, now);
        } catch (AwsServiceException e) {
            if (PermissionPreflight.DRY_RUN_OK.equals(AwsErrors.codeOf(e))) {
                return up(place, before, now);
            }
            return down(place, before, now, e);
        } catch (SdkException e) {
            return down(place, before, now, e);
        }
    }

    private State up(Place place, @Nullable State before, Instant now) {
        if (before != null && !before.up()) {
            log.info("{} answers again.", place);
        }
        return new State(true, "UP", now.plus(Duration.ofMinutes(HEALTHY_MINUTES)), 0);
    }

    private State down(Place place, @Nullable State before, Instant now, SdkException e) {
        int failures = before == null || before.up() ? 1 : before.failures() + 1;
        Duration pause = FIRST_PAUSE.multipliedBy(1L << Math.min(failures - 1, 10));
        if (pause.compareTo(LONGEST_PAUSE) > 0) {
            pause = LONGEST_PAUSE;
        }
        String why = place.home() ? "" : "as " + places.roleArn(place) + ": ";
        String detail = "DOWN: " + why + AwsErrors.codeOf(e) + ": " + Failures.rootText(e);
        if (before == null || before.up()) {
            log.warn("{} cannot be worked in ({}); its recordings wait, the other accounts go on.", place, detail);
        }
        return new State(false, detail + " (tried again at " + now.plus(pause) + ")", now.plus(pause), failures);
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean allUp = true;
        for (Place place : places.all()) {
            State state = states.get(place);
            details.put(place.label(), state == null ? "not probed yet" : state.detail());
            allUp &= state == null || state.up();
        }
        if (places.needsOwnAccountId()) {
            String own = places.ownAccountId();
            details.put("ownAccount", own != null ? own : String.valueOf(ownAccount.problem()));
            allUp &= own != null;
        }
        return (allUp ? Health.up() : Health.down()).withDetails(details).build();
    }
}
