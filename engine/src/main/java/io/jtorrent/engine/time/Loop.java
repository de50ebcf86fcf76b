package io.jtorrent.engine.time;

import java.util.concurrent.Executor;

/**
 * The one thread that owns a torrent's state, with the time and timers it sees. Everything the
 * engine's core does with time goes through here, never the system clock or a Netty loop
 * directly: the Netty adapter supplies the real ones, a simulation its own virtual clock.
 * {@link #execute} hands work to the owning thread from anywhere.
 */
public interface Loop extends Executor {
    /** Whether the caller is the owning thread (what loop-owned methods assert). */
    boolean inLoop();

    /** Monotonic time in nanoseconds. */
    long nanoTime();

    /** Wall-clock time in seconds since the epoch, for what people read (announce times, say). */
    long epochSeconds();

    /** Runs {@code task} on the owning thread after {@code delayNanos}. */
    Timer schedule(Runnable task, long delayNanos);

    /** Runs {@code task} on the owning thread every {@code periodNanos}, the first time after one period. */
    Timer scheduleEvery(Runnable task, long periodNanos);

    /** A scheduled task. */
    interface Timer {
        void cancel();
    }
}
