package io.jtorrent.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Bounded waits for a condition, polling: what every test uses instead of a sleep. */
public final class Await {
    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    /**
     * Polls {@code condition} until it holds; fails naming {@code what} after {@code timeout}. A
     * condition that throws fails at once (as an {@link AssertionError} unless it is one).
     */
    public static void until(Duration timeout, String what, Callable<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static boolean holds(Callable<Boolean> condition) throws InterruptedException {
        try {
            return Boolean.TRUE.equals(condition.call());
        } catch (InterruptedException | AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
