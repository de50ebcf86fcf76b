package io.jtorrent.sim;

import io.jtorrent.engine.time.Loop;

/**
 * The simulation's one thread and its virtual clock: a discrete-event scheduler that is also the
 * {@link Loop} every simulated torrent is owned by. Events run in order of their time, and events
 * at the same time in the order they were scheduled, so a run depends on nothing but its inputs:
 * not on the wall clock, not on thread timing.
 *
 * <p>Everything runs on the thread that calls {@link #runUntil}; {@link #execute} from any other
 * thread is refused, because it would make the order depend on timing.
 */
final class Scheduler implements Loop {
    /** The wall-clock time the simulation pretends to start at (for announce times and the like). */
    static final long EPOCH_SECONDS = 1_800_000_000L;

    private final EventHeap queue = new EventHeap();
    private long now;
    private long sequence;
    private long executed;
    private Thread runner;

    /** A scheduled task; cancelled ones stay in the queue and are skipped. */
    static final class Event implements Loop.Timer {
        long at;
        long seq;
        final Runnable task;
        final long period;
        boolean cancelled;

        Event(long at, long seq, Runnable task, long period) {
            this.at = at;
            this.seq = seq;
            this.task = task;
            this.period = period;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        boolean before(Event o) {
            return at < o.at || (at == o.at && seq < o.seq);
        }
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == runner;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public long epochSeconds() {
        return EPOCH_SECONDS + now / 1_000_000_000L;
    }

    @Override
    public void execute(Runnable task) {
        at(now, task);
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        return at(now + Math.max(0, delayNanos), task);
    }

    @Override
    public Timer scheduleEvery(Runnable task, long periodNanos) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        return add(new Event(now + periodNanos, sequence++, task, periodNanos));
    }

    /** Runs {@code task} at virtual time {@code time} (now if that has passed). */
    Event at(long time, Runnable task) {
        return add(new Event(Math.max(time, now), sequence++, task, 0));
    }

    private Event add(Event e) {
        if (runner != null && Thread.currentThread() != runner) {
            throw new IllegalStateException("the simulation is driven from one thread; " + Thread.currentThread().getName()
                    + " is not it");
        }
        queue.add(e);
        return e;
    }

    /** Virtual nanoseconds since the start. */
    long now() {
        return now;
    }

    /** Events run so far. */
    long executed() {
        return executed;
    }

    /**
     * Runs events until {@code done} says so (asked after every event), the queue is empty, or
     * virtual time would pass {@code limitNanos}. Returns whether {@code done} was reached.
     */
    boolean runUntil(java.util.function.BooleanSupplier done, long limitNanos) {
        runner = Thread.currentThread();
        while (!done.getAsBoolean()) {
            Event e = queue.poll();
            if (e == null) {
                return false;
            }
            if (e.cancelled) {
                continue;
            }
            if (e.at > limitNanos) {
                queue.add(e);
                now = limitNanos;
                return false;
            }
            now = e.at;
            executed++;
            if (e.period > 0) {
                e.at = now + e.period;
                e.seq = sequence++;
                queue.add(e);
            }
            e.task.run();
        }
        return true;
    }

    /**
     * The queue: a 4-ary min-heap on (time, sequence) in an array. A simulation keeps 10^5 events
     * pending and runs 10^7 or more; a shallower heap than {@link java.util.PriorityQueue}'s
     * halves the levels each removal walks down.
     */
    static final class EventHeap {
        private Event[] heap = new Event[1024];
        private int size;

        void add(Event e) {
            if (size == heap.length) {
                heap = java.util.Arrays.copyOf(heap, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 2;
                Event p = heap[parent];
                if (!e.before(p)) {
                    break;
                }
                heap[i] = p;
                i = parent;
            }
            heap[i] = e;
        }

        Event poll() {
            if (size == 0) {
                return null;
            }
            Event top = heap[0];
            Event last = heap[--size];
            heap[size] = null;
            if (size > 0) {
                int i = 0;
                while (true) {
                    int first = 4 * i + 1;
                    if (first >= size) {
                        break;
                    }
                    int best = first;
                    int end = Math.min(first + 4, size);
                    for (int c = first + 1; c < end; c++) {
                        if (heap[c].before(heap[best])) {
                            best = c;
                        }
                    }
                    if (!heap[best].before(last)) {
                        break;
                    }
                    heap[i] = heap[best];
                    i = best;
                }
                heap[i] = last;
            }
            return top;
        }
    }
}
