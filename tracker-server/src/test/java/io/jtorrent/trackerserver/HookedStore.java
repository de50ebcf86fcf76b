package io.jtorrent.trackerserver;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A memory store with a hook run before each announce: for tests of how the servers treat a
 * store that fails (the hook throws), is slow (it sleeps or waits) or may block ({@code blocking}).
 */
final class HookedStore implements SwarmStore {
    private final MemoryStore memory = new MemoryStore(TimeUnit.MINUTES.toNanos(2), System::nanoTime);
    private final boolean blocking;
    private final Consumer<Announce> before;

    HookedStore(boolean blocking, Consumer<Announce> before) {
        this.blocking = blocking;
        this.before = before;
    }

    /** Waits for {@code millis} (the test's thread interrupted: it stops waiting). */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Answer announce(Announce a) {
        before.accept(a);
        return memory.announce(a);
    }

    @Override
    public Counts scrape(byte[] infoHash) {
        return memory.scrape(infoHash);
    }

    @Override
    public long[] totals() {
        return memory.totals();
    }

    @Override
    public boolean blocking() {
        return blocking;
    }
}
