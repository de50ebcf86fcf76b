package io.jtorrent.trackerserver;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Announces one address may make per announce interval (HTTP and UDP together): a token bucket per
 * address holding {@code perInterval} tokens, refilled evenly over the interval. Loopback sources
 * are not counted unless asked (a reverse proxy or a load generator on this machine speaks for many). At most
 * {@link #MAX_ADDRESSES} addresses are tracked, the least recently seen of a stripe forgotten first.
 */
final class AnnounceBudget {
    static final int MAX_ADDRESSES = 100_000;

    private final long perInterval;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final boolean countLoopback;
    /**
     * The buckets, in {@value #STRIPES} maps chosen by the address's hash, each locked on its own:
     * the HTTP thread and every UDP reader take from it at each announce, and one lock for all
     * made them wait on each other.
     */
    private static final int STRIPES = 16;
    @SuppressWarnings("unchecked")
    private final Map<InetAddress, long[]>[] stripes = new Map[STRIPES];

    AnnounceBudget(long perInterval, long intervalNanos, LongSupplier nanoClock, boolean countLoopback) {
        this.perInterval = perInterval;
        this.intervalNanos = intervalNanos;
        this.clock = nanoClock;
        this.countLoopback = countLoopback;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<InetAddress, long[]> eldest) {
                    return size() > MAX_ADDRESSES / STRIPES;
                }
            };
        }
    }

    /** Takes one announce from {@code from}'s budget; false when it has none left. */
    boolean take(InetAddress from) {
        if (perInterval <= 0 || (!countLoopback && from.isLoopbackAddress())) {
            return true; // not counted: no lock taken
        }
        Map<InetAddress, long[]> buckets = stripes[(from.hashCode() * 0x9E3779B9 >>> 28) & (STRIPES - 1)];
        synchronized (buckets) {
            long now = clock.getAsLong();
            long[] b = buckets.computeIfAbsent(from, k -> new long[] {perInterval, now});
            long refill = (long) ((double) (now - b[1]) * perInterval / intervalNanos);
            if (refill > 0) {
                b[0] = Math.min(perInterval, b[0] + refill);
                b[1] = now;
            }
            if (b[0] <= 0) {
                return false;
            }
            b[0]--;
            return true;
        }
    }
}
