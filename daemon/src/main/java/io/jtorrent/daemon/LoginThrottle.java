package io.jtorrent.daemon;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing: after {@link #FREE_FAILURES} failed logins from one address, that
 * address is refused (429) for a time that doubles with every further failure, up to
 * {@link #MAX_LOCK_MILLIS}; a successful login clears its record. Records are kept for at most
 * {@link #MAX_ADDRESSES} addresses (the oldest forgotten first), so a spray of addresses cannot grow
 * it. Called from the RPC's event loops, hence synchronized (rare: only on a login failure or a lock).
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 10;
    static final long FIRST_LOCK_MILLIS = 1_000;
    static final long MAX_LOCK_MILLIS = 5 * 60_000;
    static final int MAX_ADDRESSES = 4096;

    private static final class Entry {
        int failures;
        long lockedUntil;
    }

    private final LongSupplier clockMillis;
    private final Map<InetAddress, Entry> byAddress = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Entry> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    LoginThrottle(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    /** Milliseconds this address must still wait, or 0 when it may try. */
    synchronized long lockedFor(InetAddress a) {
        Entry e = byAddress.get(a);
        return e == null ? 0 : Math.max(0, e.lockedUntil - clockMillis.getAsLong());
    }

    synchronized void failed(InetAddress a) {
        Entry e = byAddress.computeIfAbsent(a, k -> new Entry());
        e.failures++;
        if (e.failures >= FREE_FAILURES) {
            int over = Math.min(e.failures - FREE_FAILURES, 20);
            e.lockedUntil = clockMillis.getAsLong() + Math.min(MAX_LOCK_MILLIS, FIRST_LOCK_MILLIS << over);
        }
    }

    synchronized void succeeded(InetAddress a) {
        byAddress.remove(a);
    }
}
