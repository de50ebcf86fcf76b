package io.jtorrent.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    @Test
    void eventsRunInTimeOrderAndTiesInTheOrderScheduled() {
        Scheduler s = new Scheduler();
        List<String> ran = new ArrayList<>();
        s.at(20, () -> ran.add("b@20"));
        s.at(10, () -> ran.add("a@10"));
        s.at(20, () -> ran.add("c@20"));
        s.at(10, () -> s.execute(() -> ran.add("d@10 (scheduled by a@10's neighbour)")));
        s.runUntil(() -> false, 1_000);
        assertThat(ran).containsExactly("a@10", "d@10 (scheduled by a@10's neighbour)", "b@20", "c@20");
        assertThat(s.now()).isEqualTo(20);
    }

    @Test
    void periodicTimersRepeatUntilCancelledAndTheLimitStopsTime() {
        Scheduler s = new Scheduler();
        List<Long> at = new ArrayList<>();
        var timer = s.scheduleEvery(() -> at.add(s.nanoTime()), 100);
        s.schedule(timer::cancel, 350);
        s.runUntil(() -> false, 10_000);
        assertThat(at).containsExactly(100L, 200L, 300L);

        Scheduler t = new Scheduler();
        t.scheduleEvery(() -> { }, 100);
        assertThat(t.runUntil(() -> false, 1_000)).isFalse();
        assertThat(t.nanoTime()).isEqualTo(1_000);
        assertThat(t.epochSeconds()).isEqualTo(Scheduler.EPOCH_SECONDS);
    }

    @Test
    void anotherThreadCannotScheduleWhileItRuns() throws Exception {
        Scheduler s = new Scheduler();
        Throwable[] seen = new Throwable[1];
        s.at(1, () -> {
            Thread other = new Thread(() -> {
                try {
                    s.execute(() -> { });
                } catch (Throwable e) {
                    seen[0] = e;
                }
            });
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        s.runUntil(() -> false, 10);
        assertThat(seen[0]).isInstanceOf(IllegalStateException.class).hasMessageContaining("one thread");
        assertThatThrownBy(() -> s.scheduleEvery(() -> { }, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
