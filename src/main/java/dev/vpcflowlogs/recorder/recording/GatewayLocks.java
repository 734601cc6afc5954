package dev.vpcflowlogs.recorder.recording;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Serializes everything that happens to one gateway in this process: an alarm, its AWS calls and its deadline never
 * interleave. The stored versions still guard the rows, so a second replica fails loudly rather than silently.
 */
@Component
class GatewayLocks {

    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    <T> T withLock(String gatewayId, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(gatewayId, id -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
