package io.jtorrent.engine.time;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * A {@link Loop} on virtual time for tests: the test's thread is the owner, time moves only by
 * {@link #advance}, and timers and executed tasks run in time order as it passes.
 */
public final class ManualLoop implements Loop {
    private record Task(long due, long seq, Runnable run, long period) {}

    private final List<Task> timers = new ArrayList<>();
    private final Deque<Runnable> ready = new ArrayDeque<>();
    private long now;
    private long seq;

    @Override
    public boolean inLoop() {
        return true;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public long epochSeconds() {
        return 1_700_000_000L + now / 1_000_000_000L;
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        Task t = new Task(now + Math.max(0, delayNanos), seq++, task, 0);
        timers.add(t);
        return () -> timers.remove(t);
    }

    @Override
    public Timer scheduleEvery(Runnable task, long periodNanos) {
        Task[] current = new Task[1];
        current[0] = new Task(now + periodNanos, seq++, task, periodNanos);
        timers.add(current[0]);
        return () -> timers.removeIf(t -> t.run() == task);
    }

    /** Queued; runs at the next {@link #runReady} or {@link #advance}. */
    @Override
    public void execute(Runnable task) {
        ready.add(task);
    }

    /** Runs every task handed over with {@link #execute} (and those they hand over). */
    public void runReady() {
        while (!ready.isEmpty()) {
            ready.poll().run();
        }
    }

    /** Moves time forward by {@code nanos}, running what falls due on the way, in order. */
    public void advance(long nanos) {
        long end = now + nanos;
        runReady();
        while (true) {
            Task next = timers.stream().filter(t -> t.due() <= end)
                    .min(Comparator.comparingLong(Task::due).thenComparingLong(Task::seq)).orElse(null);
            if (next == null) {
                break;
            }
            timers.remove(next);
            now = next.due();
            if (next.period() > 0) {
                timers.add(new Task(now + next.period(), seq++, next.run(), next.period()));
            }
            next.run().run();
            runReady();
        }
        now = end;
    }
}
