package io.jtorrent.engine.rate;

/**
 * Bytes per second over a sliding window of the last {@value #SECONDS} seconds. Fed as bytes pass
 * and ticked once a second by its owner. Not thread-safe: one event loop owns it.
 */
public final class RateMeter {
    public static final int SECONDS = 5;

    private final long[] buckets = new long[SECONDS];
    private int current;
    private long total;
    private int ticks;

    public void add(long bytes) {
        buckets[current] += bytes;
        total += bytes;
    }

    /** Closes the current second. */
    public void tick() {
        current = (current + 1) % SECONDS;
        buckets[current] = 0;
        ticks = Math.min(SECONDS - 1, ticks + 1);
    }

    /** Average over the completed seconds of the window, counting the current one too. */
    public long rate() {
        long sum = 0;
        for (long b : buckets) {
            sum += b;
        }
        return sum / Math.max(1, ticks + 1);
    }

    public long total() {
        return total;
    }
}
