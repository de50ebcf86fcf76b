package io.jtorrent.engine.rate;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket for payload bytes: {@code rate} bytes per second, bursts of up to one second's
 * worth, no burst at the start (a limit holds from the first second). Rate 0 means unlimited.
 *
 * <p>Shared by every event loop for session-wide limits, so it takes no lock: the bucket is kept
 * as the time at which it is out of debt (the generic cell rate algorithm), moved forward by one
 * compare-and-set per call; an unlimited one touches nothing shared at all.
 */
public final class RateLimiter {
    private static final long SECOND = 1_000_000_000L;

    private final LongSupplier nanoClock;
    private volatile long rate;
    /** When the bucket is out of debt; it holds at most one second's tokens ({@code now - SECOND}). */
    private final AtomicLong clearAt;

    public RateLimiter(long bytesPerSecond, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.rate = bytesPerSecond;
        this.clearAt = new AtomicLong(nanoClock.getAsLong());
    }

    public void setRate(long bytesPerSecond) {
        this.rate = bytesPerSecond;
    }

    public long rate() {
        return rate;
    }

    /**
     * Takes {@code bytes} tokens, going into debt if there are too few.
     *
     * @return nanoseconds to wait before sending more (0 if no wait is needed)
     */
    public long consume(long bytes) {
        return consume(bytes, 0);
    }

    /**
     * As {@link #consume(long)}, for a sender of some priority: the wait is the debt less
     * {@code allowanceNanos}. A positive allowance lets its holder go on while others already wait
     * (higher priority); a negative one makes it wait until the bucket holds that much in tokens
     * (lower priority). Under contention the higher allowance takes what it can use first, the
     * total rate staying the limit.
     */
    public long consume(long bytes, long allowanceNanos) {
        long r = rate;
        if (r <= 0) {
            return 0;
        }
        long cost = bytes * SECOND / r;
        while (true) {
            long now = nanoClock.getAsLong();
            long at = clearAt.get();
            long next = Math.max(at, now - SECOND) + cost;
            if (clearAt.compareAndSet(at, next)) {
                return Math.max(0, next - now - allowanceNanos);
            }
        }
    }

    /** Nanoseconds until the bucket is out of debt; 0 if it has tokens now. */
    public long delay() {
        return delay(0);
    }

    /** Nanoseconds until a sender with this allowance (see {@link #consume(long, long)}) may send. */
    public long delay(long allowanceNanos) {
        if (rate <= 0) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        return Math.max(0, Math.max(clearAt.get(), now - SECOND) - now - allowanceNanos);
    }
}
