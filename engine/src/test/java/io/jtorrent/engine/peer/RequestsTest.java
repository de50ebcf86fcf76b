package io.jtorrent.engine.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.engine.picker.PiecePicker;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/** How deep the request queue to a peer grows, against peers that answer steadily and in batches. */
class RequestsTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1000 * MS;

    /** Our side only: requests as room allows, blocks as the peer sends them, the queue re-sized each second. */
    private static final class Downloader {
        final Requests r = new Requests(null, null, 0);
        final Deque<PiecePicker.Block> asked = new ArrayDeque<>();
        int next;
        long bytesThisSecond;
        long rate;

        void topUp(long now) {
            for (int n = r.room(); n > 0; n--) {
                PiecePicker.Block b = new PiecePicker.Block(next / 16, next % 16);
                next++;
                r.sent(b, now);
                asked.add(b);
            }
        }

        void arrive(long now) {
            PiecePicker.Block b = asked.poll();
            assertThat(r.arrived(b, now)).isNotNull();
            r.delivered(now);
            bytesThisSecond += PiecePicker.BLOCK;
            topUp(now);
        }

        void second(long now) {
            rate = bytesThisSecond;
            bytesThisSecond = 0;
            r.adjust(rate, 500);
            topUp(now);
        }
    }

    @Test
    void aPeerThatAnswersInBatchesTwiceASecondGetsAQueueThatCoversTheWait() {
        Downloader d = new Downloader();
        d.topUp(0);
        batchesTwiceASecond(d, 0, 2);
        long rateAtFirst = d.rate;
        batchesTwiceASecond(d, 2 * SECOND, 18);
        // the queue covers the half second between batches, up to its cap of 500: 500 blocks a
        // batch. Sized from the round trip alone (~0 here, + 50 ms) it settled at 2-3 blocks, and
        // the rate with it: 2 + 2 x 2q/s x 0.05 s = q gives q = 2.5, 80 KB/s
        assertThat(rateAtFirst).isGreaterThan(20L * PiecePicker.BLOCK);
        assertThat(d.rate).isEqualTo(1000L * PiecePicker.BLOCK);
        assertThat(d.r.room() + d.r.size()).isEqualTo(500);
    }

    @Test
    void aSteadyRateLimitedPeerKeepsAQueueSizedFromItsRoundTrip() {
        // 1 MiB/s: a block every 15.6 ms, the first 20 ms after it was asked
        Downloader d = linkAtOneMiBps(now -> false);
        // 2 + 2 x 1 MiB/s x (20 ms + 50 ms) / 16 KiB = 10.75: no more for the steady stream's spacing
        assertThat(d.rate).isBetween(900_000L, 1_100_000L);
        assertThat(d.r.room() + d.r.size()).isBetween(8, 12);
    }

    @Test
    void aSharedLinkThatKeepsUsWaitingButSendsAtItsPaceIsNoBatch() {
        // 1 MiB/s, but after two seconds, every half second the peer serves others for 300 ms:
        // waits end with one block, then the link's spacing (15.6 ms), never a batch
        Downloader d = linkAtOneMiBps(now -> now > 2 * SECOND && now % (500 * MS) < 300 * MS);
        // sized from the round trip (20 ms, seen in the first two seconds) like the steady
        // stream's, at the 40% of the rate it now gets: the 300 ms waits do not grow it
        assertThat(d.rate).isBetween(300_000L, 500_000L);
        long expected = 2 + 2 * d.rate * 70 / 1000 / PiecePicker.BLOCK;
        assertThat(d.r.room() + d.r.size()).isBetween(2, (int) expected + 1);
    }

    /** 20 s of a peer sending at 1 MiB/s, one block at a time, except while {@code busyElsewhere}; the first block 20 ms after it was asked. */
    private static Downloader linkAtOneMiBps(java.util.function.LongPredicate busyElsewhere) {
        Downloader d = new Downloader();
        d.topUp(0);
        long spacing = SECOND * PiecePicker.BLOCK / (1 << 20);
        long nextArrival = 20 * MS;
        for (long now = 0; now < 20 * SECOND; now += MS) {
            if (!busyElsewhere.test(now) && now >= nextArrival && !d.asked.isEmpty()) {
                d.arrive(now);
                nextArrival = now + spacing;
            }
            if (now % SECOND == 0 && now > 0) {
                d.second(now);
            }
        }
        return d;
    }

    @Test
    void aPeerThatStopsBatchingGetsTheRoundTripsQueueBack() {
        Downloader d = new Downloader();
        d.topUp(0);
        // 10 s of batches twice a second, then 20 s of a steady 1 MiB/s stream, 20 ms away
        long now = batchesTwiceASecond(d, 0, 10);
        assertThat(d.r.room() + d.r.size()).isEqualTo(500);
        long spacing = SECOND * PiecePicker.BLOCK / (1 << 20);
        long nextArrival = now + 20 * MS;
        for (long t = now + MS; t < now + 20 * SECOND; t += MS) {
            if (t >= nextArrival && !d.asked.isEmpty()) {
                d.arrive(t);
                nextArrival = t + spacing;
            }
            if ((t - now) % SECOND == 0) {
                d.second(t);
            }
        }
        // sized from the round trip again (20 ms, once the batches' 500 requests drained, + 50 ms
        // at 1 MiB/s: 2 + 2 x 64 x 0.07 = 11); with the old waits still counted (+0.5 s) it was ~72
        assertThat(d.rate).isBetween(900_000L, 1_100_000L);
        assertThat(d.r.room() + d.r.size()).isBetween(2, 20);
    }

    /**
     * {@code seconds} from {@code from} of a peer that answers every request it has twice a second,
     * all at once (10 us apart), the queue re-sized each second; returns the time at the end.
     */
    private static long batchesTwiceASecond(Downloader d, long from, int seconds) {
        long now = from;
        for (int tick = 1; tick <= seconds * 10; tick++) {
            now = from + tick * 100 * MS;
            if (tick % 5 == 0) {
                int n = d.asked.size();
                for (int i = 0; i < n; i++) {
                    d.arrive(now + i * MS / 100);
                }
            }
            if (tick % 10 == 0) {
                d.second(now);
            }
        }
        return now;
    }
}
