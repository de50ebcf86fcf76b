package io.jtorrent.sim;

import java.util.ArrayDeque;

/**
 * A host's upload capacity, shared by all its connections the way TCP flows share a bottleneck:
 * connections with data queued take turns, one batch each (a block, or the small messages queued
 * before it), each batch occupying the link for its size over the capacity. Then it travels the
 * one-way latency and, if the receiver has a download capacity, waits its turn there.
 */
final class Uplink {
    /** A batch ends before a message that would take it past one block message's size. */
    static final int BATCH_BYTES = 16 * 1024 + 13;

    private final Scheduler clock;
    private final long bytesPerSecond;
    private final ArrayDeque<Pipe> ready = new ArrayDeque<>();
    private boolean busy;
    long sent;
    /** Nanoseconds the link has spent sending, so far (a batch counts when it starts). */
    long busyNanos;

    /** @param bytesPerSecond the capacity; 0 for none to speak of (instant) */
    Uplink(Scheduler clock, long bytesPerSecond) {
        this.clock = clock;
        this.bytesPerSecond = bytesPerSecond;
    }

    long rate() {
        return bytesPerSecond;
    }

    /** {@code p} has data queued: it takes its turn. */
    void wake(Pipe p) {
        if (!p.inReady && p.hasQueued()) {
            p.inReady = true;
            ready.add(p);
        }
        if (!busy) {
            next();
        }
    }

    /** Nanoseconds {@code bytes} take at {@code bytesPerSecond} (rounded up); 0 for no limit. */
    static long nanos(long bytes, long bytesPerSecond) {
        return bytesPerSecond <= 0 ? 0 : (bytes * 1_000_000_000L + bytesPerSecond - 1) / bytesPerSecond;
    }

    private void next() {
        Pipe p;
        while ((p = ready.poll()) != null) {
            p.inReady = false;
            if (p.hasQueued()) {
                break;
            }
        }
        if (p == null) {
            busy = false;
            return;
        }
        busy = true;
        Pipe pipe = p;
        Pipe.Batch batch = pipe.takeBatch(BATCH_BYTES);
        long nanos = nanos(batch.bytes(), bytesPerSecond);
        busyNanos += nanos;
        clock.at(clock.now() + nanos, () -> {
            sent += batch.bytes();
            pipe.transmitted(batch);
            if (pipe.hasQueued() && !pipe.inReady) {
                pipe.inReady = true;
                ready.add(pipe);
            }
            next();
        });
    }
}
