package io.jtorrent.engine.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.storage.Storage;
import io.jtorrent.wire.PeerMessage;
import io.netty.channel.DefaultEventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Whole-piece reads shared by the requests that wait for them: every waiter hears the outcome. */
class PieceReadCacheTest {
    private static final int PIECE = 65536;

    /** A storage whose reads wait for {@code go}, then fail or fill with the piece's index. */
    private static Storage storage(CountDownLatch go, boolean fail, AtomicInteger reads) {
        return new Storage() {
            @Override
            public void write(int piece, int offset, ByteBuffer data) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void read(int piece, int offset, ByteBuffer dst) throws IOException {
                reads.incrementAndGet();
                try {
                    go.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                if (fail) {
                    throw new IOException("disk gone");
                }
                while (dst.hasRemaining()) {
                    dst.put((byte) piece);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    private static List<Object> readThree(boolean fail, AtomicInteger reads) throws Exception {
        DiskIo disk = new ThreadPoolDiskIo(1, 1);
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            PieceReadCache cache = new PieceReadCache(disk, loop, p -> PIECE);
            CountDownLatch go = new CountDownLatch(1);
            Storage s = storage(go, fail, reads);
            List<Object> outcomes = new CopyOnWriteArrayList<>();
            CountDownLatch all = new CountDownLatch(3);
            loop.submit(() -> {
                for (int i = 0; i < 3; i++) {
                    cache.read(s, new PeerMessage.Request(2, i * 16384, 16384), (data, error) -> {
                        if (data != null) {
                            outcomes.add(data.getByte(0));
                            data.release();
                        } else {
                            outcomes.add(error.getMessage());
                        }
                        all.countDown();
                    });
                }
            }).sync();
            go.countDown();
            assertThat(all.await(10, TimeUnit.SECONDS)).as("every request answered").isTrue();
            return outcomes;
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            disk.close();
        }
    }

    @Test
    void aFailedReadIsReportedToEveryWaiter() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        assertThat(readThree(true, reads)).containsExactly("disk gone", "disk gone", "disk gone");
        assertThat(reads.get()).as("one disk read for the three").isEqualTo(1);
    }

    @Test
    void aCacheNobodyReadsFromForHalfAMinuteIsEmptied() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        DiskIo disk = new ThreadPoolDiskIo(1, 1);
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            PieceReadCache cache = new PieceReadCache(disk, loop, p -> PIECE);
            Storage s = storage(new CountDownLatch(0), false, reads);
            readOne(cache, s, loop);
            ticks(cache, loop, PieceReadCache.IDLE_TICKS - 1);
            assertThat(cache.bytes()).isEqualTo(PIECE);
            readOne(cache, s, loop); // from the cache; idle from now
            assertThat(reads.get()).isEqualTo(1);
            ticks(cache, loop, PieceReadCache.IDLE_TICKS);
            assertThat(cache.bytes()).as("emptied").isZero();
            readOne(cache, s, loop);
            assertThat(reads.get()).as("read from the disk again").isEqualTo(2);
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            disk.close();
        }
    }

    private static void ticks(PieceReadCache cache, DefaultEventLoop loop, int n) throws Exception {
        loop.submit(() -> {
            for (int i = 0; i < n; i++) {
                cache.tick();
            }
        }).sync();
    }

    private static void readOne(PieceReadCache cache, Storage s, DefaultEventLoop loop) throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        loop.submit(() -> cache.read(s, new PeerMessage.Request(1, 0, 16384), (data, error) -> {
            assertThat(error).isNull();
            data.release();
            answered.countDown();
        })).sync();
        assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void oneReadServesEveryWaiter() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        assertThat(readThree(false, reads)).containsExactly((byte) 2, (byte) 2, (byte) 2);
        assertThat(reads.get()).isEqualTo(1);
    }
}
