package io.jtorrent.engine.peer;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slots for incoming connections that have not finished the handshake, apart from the slots of
 * established peers: idle sockets can hold at most {@code total} of them, and one address at most
 * {@code perAddress}, so a flood of silent connections from one place cannot lock honest peers out
 * (they time out after the handshake timeout meanwhile). Taken on the acceptor's children, released
 * on their loops: thread-safe.
 */
public final class HandshakeSlots {
    private final int total;
    private final int perAddress;
    private final AtomicInteger used = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

    public HandshakeSlots(int total, int perAddress) {
        this.total = total;
        this.perAddress = perAddress;
    }

    /** Takes a slot for a connection from {@code from}; false (nothing taken) when none is free. */
    public boolean tryAcquire(InetAddress from) {
        if (used.incrementAndGet() > total) {
            used.decrementAndGet();
            return false;
        }
        boolean[] ok = {true};
        byAddress.compute(from, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= perAddress) {
                ok[0] = false;
                return n;
            }
            return count + 1;
        });
        if (!ok[0]) {
            used.decrementAndGet();
        }
        return ok[0];
    }

    public void release(InetAddress from) {
        used.decrementAndGet();
        byAddress.computeIfPresent(from, (k, n) -> n <= 1 ? null : n - 1);
    }

    public int inUse() {
        return used.get();
    }
}
