package io.jtorrent.engine;

/**
 * Bytes per second over a sliding window of the last {@value #SECONDS} seconds. Fed as bytes pass
 * and ticked once a second by its owner. Not thread-safe: one event loop owns it.
 */
final class RateMeter {
    static final int SECONDS = 5;

    private final long[] buckets = new long[SECONDS];
    private int current;
    private long total;
    private int ticks;

    void add(long bytes) {
        buckets[current] += bytes;
        total += bytes;
    }

    /** Closes the current second. */
    void tick() {
        current = (current + 1) % SECONDS;
        buckets[current] = 0;
        ticks = Math.min(SECONDS - 1, ticks + 1);
    }

    /** Average over the completed seconds of the window, counting the current one too. */
    long rate() {
        long sum = 0;
        for (long b : buckets) {
            sum += b;
        }
        return sum / Math.max(1, ticks + 1);
    }

    long total() {
        return total;
    }
}
