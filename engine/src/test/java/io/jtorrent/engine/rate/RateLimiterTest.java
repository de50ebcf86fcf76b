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

    /**
     * Senders sharing one limiter with allowances (bandwidth priorities), in 1 ms steps of virtual
     * time: each sends 16 KiB blocks while its delay is 0 and its own demand (bytes/s, 0: any) allows.
     */
    private static long[] share(long rate, long[] allowances, long[] demands, int seconds) {
        long[] now = {0};
        RateLimiter r = new RateLimiter(rate, () -> now[0]);
        long[] sent = new long[allowances.length];
        int n = allowances.length;
        for (int ms = 0; ms < seconds * 1000; ms++, now[0] += MS) {
            boolean any = true;
            while (any) { // one block each per round, the first sender turning, as peers' timers interleave
                any = false;
                for (int k = 0; k < n; k++) {
                    int i = (ms + k) % n;
                    if (r.delay(allowances[i]) == 0 && (demands[i] == 0 || sent[i] < demands[i] * (ms + 1) / 1000)) {
                        r.consume(16384, allowances[i]);
                        sent[i] += 16384;
                        any = true;
                    }
                }
            }
        }
        return sent;
    }

    @Test
    void higherAllowancesAreServedFirstAndTheTotalStaysTheRate() {
        long rate = 1_000_000;
        long high = 100 * MS;
        long low = -100 * MS;
        long[] all = share(rate, new long[] {low, 0, high}, new long[] {0, 0, 0}, 20);
        long total = all[0] + all[1] + all[2];
        assertThat(total).as("the limit holds (plus one second's burst at most)").isBetween(19 * rate, 21 * rate + 16384 * 3);
        assertThat(all[2]).as("high takes what it can use").isGreaterThan(total * 9 / 10);
        long[] highBounded = share(rate, new long[] {low, 0, high}, new long[] {0, 0, 300_000}, 20);
        assertThat(highBounded[2]).as("high gets its demand").isGreaterThan(20 * 300_000 * 95 / 100);
        assertThat(highBounded[1]).as("normal the rest").isGreaterThan(20 * 600_000);
        assertThat(highBounded[0]).as("low what is left").isLessThan(highBounded[1] / 10);
        long[] lowAlone = share(rate, new long[] {low}, new long[] {0}, 20);
        assertThat(lowAlone[0]).as("alone, low gets the whole rate").isGreaterThan(19 * rate);
        long[] equal = share(rate, new long[] {0, 0}, new long[] {0, 0}, 20);
        assertThat(Math.abs(equal[0] - equal[1])).as("equal priorities share").isLessThan(rate);
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
