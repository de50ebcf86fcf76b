package io.jtorrent.engine.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OneAtATimeTest {

    @Test
    void tasksFromManyThreadsRunEachOnceNeverTwoAtATimeAndEachThreadsInItsOrder() throws Exception {
        OneAtATime serial = new OneAtATime();
        int threads = 4;
        int each = 20_000;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        int[] lastSeen = new int[threads];
        AtomicInteger outOfOrder = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> givers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int giver = t;
            Thread th = new Thread(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 1; i <= each; i++) {
                    int n = i;
                    serial.run(() -> {
                        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        // plain fields: safe only because no two tasks overlap
                        if (lastSeen[giver] != n - 1) {
                            outOfOrder.incrementAndGet();
                        }
                        lastSeen[giver] = n;
                        ran.incrementAndGet();
                        inside.decrementAndGet();
                    });
                }
            });
            givers.add(th);
            th.start();
        }
        for (Thread th : givers) {
            th.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(th.isAlive()).isFalse();
        }
        // every giver has returned, so every task has run: the last running thread drains the queue before it returns
        assertThat(ran.get()).isEqualTo(threads * each);
        assertThat(mostInside.get()).as("tasks running at the same time").isEqualTo(1);
        assertThat(outOfOrder.get()).as("one giver's tasks run in the order given").isZero();
    }

    @Test
    void aTaskGivenWhileAnotherRunsIsRunByThatThreadAndTheGiverGoesOn() throws Exception {
        OneAtATime serial = new OneAtATime();
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch letFirstFinish = new CountDownLatch(1);
        List<String> ranOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread writer = new Thread(() -> serial.run(() -> {
            ranOn.add(Thread.currentThread().getName());
            firstRunning.countDown();
            try {
                letFirstFinish.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), "writer");
        writer.start();
        assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
        serial.run(() -> ranOn.add(Thread.currentThread().getName())); // returns at once: not run here
        assertThat(ranOn).containsExactly("writer");
        letFirstFinish.countDown();
        writer.join(10_000);
        assertThat(ranOn).containsExactly("writer", "writer");
    }

    @Test
    void aTaskThatThrowsIsReportedAndTheTasksAfterItStillRun() throws Exception {
        OneAtATime serial = new OneAtATime();
        List<Throwable> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger ran = new AtomicInteger();
        Thread th = new Thread(() -> {
            serial.run(() -> {
                throw new IllegalStateException("a bug in one write");
            });
            serial.run(ran::incrementAndGet);
        });
        th.setUncaughtExceptionHandler((t, e) -> reported.add(e));
        th.start();
        th.join(10_000);
        assertThat(reported).singleElement().isInstanceOf(IllegalStateException.class);
        assertThat(ran.get()).isEqualTo(1);
    }
}
