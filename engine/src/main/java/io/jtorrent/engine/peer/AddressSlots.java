package io.jtorrent.engine.peer;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connection slots counted in all and per remote address: at most {@code total} taken, and at most
 * {@code perAddress} by one address, so a flood of connections from one place cannot take every
 * slot. The session gives incoming connections still in the handshake one each (apart from the
 * slots of established peers: silent sockets time out meanwhile); the daemon's HTTP side gives one
 * to every connection. Taken and released on any thread: thread-safe.
 */
public final class AddressSlots {
    private final int total;
    private final int perAddress;
    private final AtomicInteger used = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

    public AddressSlots(int total, int perAddress) {
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
