package dev.vpcflowlogs.recorder.standin;

import dev.vpcflowlogs.recorder.standin.Wire.ApiError;
import dev.vpcflowlogs.recorder.standin.Wire.Protocol;
import dev.vpcflowlogs.recorder.standin.Wire.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The faults a test asks of the stand-in, for every service: errors (the next calls, or a share of them), a refused
 * permission (403 with the service's own code), EC2's throttling (aws-facts, section 4: a token bucket per action,
 * RequestLimitExceeded), a delay, and holds that stop a call before or after it takes effect.
 */
final class Faults {

    record Fault(int status, String code) {}

    record RandomFaults(double share, Fault fault) {}

    private final Map<String, ConcurrentLinkedDeque<Fault>> scheduledFaults = new ConcurrentHashMap<>();
    private final Map<String, List<RandomFaults>> randomFaults = new ConcurrentHashMap<>();
    private final Random random = new Random(42);
    private volatile Duration delay = Duration.ZERO;
    private final Set<String> holdBefore = ConcurrentHashMap.newKeySet();
    private final Set<String> holdAfter = ConcurrentHashMap.newKeySet();
    private final Map<String, java.util.function.Predicate<Map<String, String>>> holdAfterIf =
            new ConcurrentHashMap<>();
    private volatile java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    private final AtomicInteger faultsInjected = new AtomicInteger();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final Map<String, io.github.bucket4j.Bucket> ec2Buckets = new ConcurrentHashMap<>();
    private volatile java.util.function.Function<String, io.github.bucket4j.Bucket> ec2Throttle;
    private final AtomicInteger throttled = new AtomicInteger();

    /** The next {@code times} calls of {@code action} fail with this HTTP status and error code. */
    void failNext(String action, int times, int status, String code) {
        ConcurrentLinkedDeque<Fault> queue =
                scheduledFaults.computeIfAbsent(action, a -> new ConcurrentLinkedDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(new Fault(status, code));
        }
    }

    /**
     * From now on a share of the calls of {@code action} ("*" for every EC2 action) fails so; several such faults
     * add up (30% throttled and 10% 500 fail 40% of the calls).
     */
    void failRandomly(String action, double share, int status, String code) {
        randomFaults
                .computeIfAbsent(action, a -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(new RandomFaults(share, new Fault(status, code)));
    }

    /** Calls of {@code action} wait, before anything happens, until {@link #releaseHolds()}. */
    void holdBefore(String action) {
        holdBefore.add(action);
    }

    /** Calls of {@code action} take effect, then their answer waits until {@link #releaseHolds()}. */
    void holdAfter(String action) {
        holdAfter.add(action);
    }

    /** Calls of {@code action} whose parameters match take effect, then their answer waits until {@link #releaseHolds()}. */
    void holdAfterIf(String action, java.util.function.Predicate<Map<String, String>> when) {
        holdAfterIf.put(action, when);
    }

    /** Lets every held call go on, and holds no more. */
    void releaseHolds() {
        holdBefore.clear();
        holdAfter.clear();
        holdAfterIf.clear();
        release.countDown();
        release = new java.util.concurrent.CountDownLatch(1);
    }

    private void hold(Set<String> holds, String action) {
        hold(holds.contains(action));
    }

    private void hold(boolean held) {
        if (held) {
            try {
                release.await(2, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * From now on EC2 throttles as it does (aws-facts, section 4): a token bucket per action, mutating actions
     * ({@code Create*}, {@code Delete*}) {@code mutatingBucket} deep refilled {@code mutatingPerSecond} a second,
     * the others {@code describeBucket} and {@code describePerSecond}; a call without a token gets
     * {@code RequestLimitExceeded}. Buckets start full.
     */
    void throttleLikeEc2(int mutatingBucket, int mutatingPerSecond, int describeBucket, int describePerSecond) {
        ec2Buckets.clear();
        ec2Throttle = action -> {
            boolean mutating = action.startsWith("Create") || action.startsWith("Delete");
            int capacity = mutating ? mutatingBucket : describeBucket;
            int perSecond = mutating ? mutatingPerSecond : describePerSecond;
            return io.github.bucket4j.Bucket.builder()
                    .addLimit(limit -> limit.capacity(capacity).refillGreedy(perSecond, Duration.ofSeconds(1)))
                    .build();
        };
    }

    /** CloudWatch Logs' calls a second per account and region, by action, once {@link #throttleLikeLogs} is on. */
    private final Map<String, io.github.bucket4j.Bucket> logsBuckets = new ConcurrentHashMap<>();

    /**
     * From now on CloudWatch Logs throttles its reads as its documents say: FilterLogEvents 5 transactions a second per
     * account and region (AWS Knowledge Center, "How do I determine throttling in my CloudWatch logs?"; a hard
     * limit), DescribeLogStreams 25 (API reference, DescribeLogStreams; older versions said 5). No burst is
     * documented: a bucket holds one second's calls. A call without a token gets ThrottlingException (400).
     */
    void throttleLikeLogs(int filterLogEventsPerSecond, int describeLogStreamsPerSecond) {
        logsBuckets.clear();
        logsBuckets.put("FilterLogEvents", perSecond(filterLogEventsPerSecond));
        logsBuckets.put("DescribeLogStreams", perSecond(describeLogStreamsPerSecond));
    }

    private static io.github.bucket4j.Bucket perSecond(int calls) {
        return io.github.bucket4j.Bucket.builder()
                .addLimit(limit -> limit.capacity(calls).refillGreedy(calls, Duration.ofSeconds(1)))
                .build();
    }

    /**
     * CloudWatch's alarm actions a second per account and region ("CloudWatch service quotas" in the CloudWatch user
     * guide): PutMetricAlarm 3, DescribeAlarms 9, DeleteAlarms 3. Always on, the preflight's calls included. No burst
     * is documented: a bucket holds one second's calls. A call without a token gets Throttling (400, "Rate exceeded",
     * as field reports quote it).
     */
    static final Map<String, Integer> CLOUDWATCH_ALARM_QUOTAS =
            Map.of("PutMetricAlarm", 3, "DescribeAlarms", 9, "DeleteAlarms", 3);

    private final Map<String, io.github.bucket4j.Bucket> cloudWatchBuckets = new ConcurrentHashMap<>();
    private volatile boolean cloudWatchQuotas = true;
    private final AtomicInteger cloudWatchThrottled = new AtomicInteger();

    /**
     * Off: CloudWatch's alarm actions are never throttled. Only for a benchmark that makes a thousand alarms as a run
     * before the one it measures would have left them, with the recorder's rate raised to match.
     */
    void cloudWatchQuotas(boolean on) {
        cloudWatchQuotas = on;
        cloudWatchBuckets.clear();
    }

    /** How many CloudWatch alarm calls were throttled. */
    int cloudWatchThrottled() {
        return cloudWatchThrottled.get();
    }

    private boolean withinCloudWatchQuota(AwsStandIn.Call call) {
        Integer perSecond = CLOUDWATCH_ALARM_QUOTAS.get(call.action());
        return perSecond == null
                || !cloudWatchQuotas
                || cloudWatchBuckets
                        .computeIfAbsent(
                                call.account() + "/" + call.region() + "/" + call.action(), k -> perSecond(perSecond))
                        .tryConsume(1);
    }

    /** How many EC2 calls {@link #throttleLikeEc2} refused (and CloudWatch Logs calls {@link #throttleLikeLogs}). */
    int throttled() {
        return throttled.get();
    }

    /** How many calls were answered with an injected fault. */
    int faultsInjected() {
        return faultsInjected.get();
    }

    void delay(Duration delay) {
        this.delay = delay;
    }

    void clearFaults() {
        scheduledFaults.clear();
        randomFaults.clear();
        delay = Duration.ZERO;
    }

    /**
     * From now on every call of {@code action}, dry run or not, is refused as the recorder's role lacking the
     * permission: 403 with the service's own code (UnauthorizedOperation for EC2).
     */
    void deny(String action) {
        denied.add(action);
    }

    void allow(String action) {
        denied.remove(action);
    }

    /**
     * What happens to a recorded call before and after its handler: a refused permission, EC2's throttling, holds, the
     * delay and injected faults (the permission preflight's calls and dry runs get plain answers, throttling and
     * refusals aside).
     */
    Response guard(
            AwsStandIn.Call call,
            Protocol protocol,
            boolean dryRun,
            Supplier<Response> handler,
            Supplier<String> requestId) {
        String action = call.action();
        if (denied.contains(action)) {
            return Wire.error(
                    protocol,
                    403,
                    switch (protocol) {
                        case EC2 -> "UnauthorizedOperation";
                        case JSON -> "AccessDeniedException";
                        // The SNS API reference, Publish: AuthorizationErrorException, code AuthorizationError, 403.
                        case SNS -> "AuthorizationError";
                        case STS -> "AccessDenied";
                        case CBOR -> "AccessDenied";
                    },
                    "You are not authorized to perform this operation. User:"
                            + " arn:aws:sts::123456789012:assumed-role/vpc-flowlogs-recorder/i-0 is not authorized to"
                            + " perform: " + Wire.servicePrefix(protocol) + ":" + action,
                    requestId.get());
        }
        java.util.function.Function<String, io.github.bucket4j.Bucket> throttle = ec2Throttle;
        if (throttle != null
                && protocol == Protocol.EC2
                && !ec2Buckets.computeIfAbsent(action, throttle).tryConsume(1)) {
            throttled.incrementAndGet();
            return Wire.error(protocol, 503, "RequestLimitExceeded", "Request limit exceeded.", requestId.get());
        }
        if (protocol == Protocol.CBOR && !withinCloudWatchQuota(call)) {
            cloudWatchThrottled.incrementAndGet();
            return Wire.error(protocol, 400, "Throttling", "Rate exceeded", requestId.get());
        }
        io.github.bucket4j.Bucket logs = protocol == Protocol.JSON ? logsBuckets.get(action) : null;
        if (logs != null && !call.preflight() && !logs.tryConsume(1)) {
            throttled.incrementAndGet();
            return Wire.error(protocol, 400, "ThrottlingException", "Rate exceeded", requestId.get());
        }
        if (dryRun || call.preflight()) {
            // Faults and holds are for the recorder's work; the preflight's checks get plain answers.
            try {
                return handler.get();
            } catch (ApiError e) {
                return Wire.error(protocol, e.status, e.code, e.getMessage(), requestId.get());
            }
        }
        hold(holdBefore, action);
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Fault fault = nextFault(action, protocol);
        if (fault != null) {
            faultsInjected.incrementAndGet();
            return Wire.error(protocol, fault.status(), fault.code(), "injected fault", requestId.get());
        }
        Response response;
        try {
            response = handler.get();
        } catch (ApiError e) {
            response = Wire.error(protocol, e.status, e.code, e.getMessage(), requestId.get());
        }
        hold(holdAfter, action);
        java.util.function.Predicate<Map<String, String>> when = holdAfterIf.get(action);
        hold(when != null && when.test(call.params()));
        return response;
    }

    private Fault nextFault(String action, Protocol protocol) {
        ConcurrentLinkedDeque<Fault> queue = scheduledFaults.get(action);
        Fault fault = queue == null ? null : queue.poll();
        if (fault != null) {
            return fault;
        }
        List<RandomFaults> faults = randomFaults.get(action);
        if (faults == null && protocol == Protocol.EC2) {
            faults = randomFaults.get("*");
        }
        if (faults != null) {
            double draw;
            synchronized (random) {
                draw = random.nextDouble();
            }
            double cumulative = 0;
            for (RandomFaults f : faults) {
                cumulative += f.share();
                if (draw < cumulative) {
                    return f.fault();
                }
            }
        }
        return null;
    }
}
