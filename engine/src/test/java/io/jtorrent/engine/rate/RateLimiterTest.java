package io.jtorrent.engine.rate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket on a virtual clock: debt, refill, the one-second burst, unlimited, many threads. */
class RateLimiterTest {
    private static final long MS = 1_000_000L;

    @Test
    void debtRefillAndBurst() {
        long[] now = {1_000 * MS};
        RateLimiter r = new RateLimiter(1000, () -> now[0]);
        assertThat(r.consume(500)).as("no burst at the start: 500 B at 1,000 B/s is half a second of debt").isEqualTo(500 * MS);
        assertThat(r.delay()).isEqualTo(500 * MS);
        now[0] += 500 * MS;
        assertThat(r.delay()).isZero();
        now[0] += 10_000 * MS; // idle for long: at most one second of tokens saved
        assertThat(r.consume(1000)).isZero();
        assertThat(r.consume(250)).isEqualTo(250 * MS);
        r.setRate(0);
        assertThat(r.consume(1 << 30)).as("unlimited").isZero();
        assertThat(r.delay()).isZero();
    }

    @Test
    void manyThreadsTogetherGetTheRateNoMore() throws Exception {
        AtomicLong now = new AtomicLong(0);
        RateLimiter r = new RateLimiter(1_000_000, now::get);
        var pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.execute(() -> {
                for (int i = 0; i < 1000; i++) {
                    r.consume(1000);
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        // 4 MB taken at once at 1 MB/s: four seconds of debt, to the nanosecond (no update lost)
        assertThat(r.delay()).isEqualTo(4_000 * MS);
    }
}
