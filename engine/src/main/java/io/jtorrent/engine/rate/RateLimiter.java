package io.jtorrent.engine.rate;

import java.util.function.LongSupplier;

/**
 * A token bucket for payload bytes: {@code rate} bytes per second, bursts of up to one second's
 * worth. Shared between event loops for session-wide limits, hence synchronized (a few
 * nanoseconds per block; it holds no lock while anyone waits). Rate 0 means unlimited.
 */
public final class RateLimiter {
    private final LongSupplier nanoClock;
    private long rate;
    private double tokens;
    private long last;

    public RateLimiter(long bytesPerSecond, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.rate = bytesPerSecond;
        this.last = nanoClock.getAsLong();
        this.tokens = 0; // no initial burst: a limit holds from the first second
    }

    public synchronized void setRate(long bytesPerSecond) {
        refill();
        this.rate = bytesPerSecond;
        this.tokens = Math.min(tokens, bytesPerSecond);
    }

    public synchronized long rate() {
        return rate;
    }

    /**
     * Takes {@code bytes} tokens, going into debt if there are too few.
     *
     * @return nanoseconds to wait before sending more (0 if no wait is needed)
     */
    public synchronized long consume(long bytes) {
        if (rate <= 0) {
            return 0;
        }
        refill();
        tokens -= bytes;
        return tokens >= 0 ? 0 : (long) (-tokens * 1e9 / rate);
    }

    /** Nanoseconds until the bucket is out of debt; 0 if it has tokens now. */
    public synchronized long delay() {
        if (rate <= 0) {
            return 0;
        }
        refill();
        return tokens >= 0 ? 0 : (long) (-tokens * 1e9 / rate);
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(rate, tokens + (now - last) * (double) rate / 1e9);
        last = now;
    }
}
