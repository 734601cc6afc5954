package dev.vpcflowlogs.recorder.system;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell every reconciler plugs into (the flow logs', the alarms'): a pass makes what AWS has match what the
 * recorder wants, place by place (an account in a region), on one replica at a time. A place that fails is logged and
 * the others go on; a pass that cannot run at all (the store, the lock) is logged and waits for the next one. Each
 * pass is counted in {@code <metric>{result=succeeded|failed}}: failed once per place that failed, or once for a pass
 * that did not run; succeeded for a pass in which every place succeeded.
 *
 * <p>The reconciler says when a pass runs (its schedule, and the events that call for one) and what a pass does in
 * one place; the shell does the rest the same way for all.
 *
 * @param <P> a place (in the recorder, {@code config.Place})
 */
public final class Reconciliation<P> {

    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

    /** The {@code result} tag of a reconciler's runs. */
    public static final String SUCCEEDED = "succeeded";

    public static final String FAILED = "failed";

    private final String name;
    private final String lock;
    private final String metric;
    private final Supplier<Duration> interval;
    private final Supplier<Duration> lockFor;
    private final Supplier<? extends Iterable<P>> places;
    private final Consumer<P> pass;
    private final OneReplica oneReplica;
    private final MeterRegistry meters;

    /**
     * @param name what the reconciler reconciles, for the log ("flow logs", "alarms")
     * @param lock its lock: one replica at a time runs it
     * @param metric the counter of its runs
     * @param interval how long until the next pass (the lock is held for at most twice that)
     * @param places the places of a pass, asked at each pass
     * @param pass one place's reconciliation; it throws when that place failed
     */
    public Reconciliation(
            String name,
            String lock,
            String metric,
            Supplier<Duration> interval,
            Supplier<? extends Iterable<P>> places,
            Consumer<P> pass,
            OneReplica oneReplica,
            MeterRegistry meters) {
        this(name, lock, metric, interval, () -> interval.get().multipliedBy(2), places, pass, oneReplica, meters);
    }

    /**
     * As above, for a reconciler whose pass may outlast twice its interval (one that waits on AWS's quotas): its lock is
     * held for at most {@code lockFor}, asked at each pass.
     */
    public Reconciliation(
            String name,
            String lock,
            String metric,
            Supplier<Duration> interval,
            Supplier<Duration> lockFor,
            Supplier<? extends Iterable<P>> places,
            Consumer<P> pass,
            OneReplica oneReplica,
            MeterRegistry meters) {
        this.name = name;
        this.lockFor = lockFor;
        this.lock = lock;
        this.metric = metric;
        this.interval = interval;
        this.places = places;
        this.pass = pass;
        this.oneReplica = oneReplica;
        this.meters = meters;
    }

    /** A pass, unless another replica is running one now. */
    public void runOnOneReplica() {
        try {
            oneReplica.run(lock, lockFor.get(), this::runHere);
        } catch (RuntimeException e) {
            meters.counter(metric, "result", FAILED).increment();
            log.warn(
                    "The {} could not be reconciled ({}); the next pass, in {}, tries again.",
                    name,
                    Failures.rootMessage(e),
                    interval.get());
        }
    }

    /** A pass on this replica, whoever else runs one: for tests and for the replica that holds the lock. */
    public void runHere() {
        int failed = 0;
        for (P place : places.get()) {
            if (Thread.currentThread().isInterrupted()) {
                log.info("The {} pass stopped before {}: the recorder is stopping.", name, place);
                return;
            }
            try {
                pass.accept(place);
            } catch (RuntimeException e) {
                failed++;
                meters.counter(metric, "result", FAILED).increment();
                log.warn(
                        "The {} in {} could not be reconciled ({}); the next pass, in {}, tries again.",
                        name,
                        place,
                        Failures.rootMessage(e),
                        interval.get());
            }
        }
        if (failed == 0) {
            meters.counter(metric, "result", SUCCEEDED).increment();
        }
    }
}
