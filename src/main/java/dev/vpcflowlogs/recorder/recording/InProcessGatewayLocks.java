package dev.vpcflowlogs.recorder.recording;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** One lock per gateway in this process: enough for a single replica (and the first step for several). */
class InProcessGatewayLocks implements GatewayLocks {

    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    @Override
    public <T> T withLock(String gatewayId, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(gatewayId, id -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
