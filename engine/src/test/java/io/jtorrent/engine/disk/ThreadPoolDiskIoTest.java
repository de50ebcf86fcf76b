package io.jtorrent.engine.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.storage.Storage;
import io.jtorrent.wire.PeerMessage;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Written data is flushed as a download goes, not all at its end. */
class ThreadPoolDiskIoTest {

    @Test
    void aLongDownloadIsFlushedAsItGoesNotOnlyAtStop() throws Exception {
        AtomicLong bytes = new AtomicLong();
        AtomicInteger flushes = new AtomicInteger();
        AtomicLong bytesAtFirstFlush = new AtomicLong(-1);
        CountDownLatch flushed = new CountDownLatch(1);
        Storage storage = new Storage() {
            @Override
            public void write(int piece, int offset, ByteBuffer data) {
                bytes.addAndGet(data.remaining());
            }

            @Override
            public void read(int piece, int offset, ByteBuffer dst) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void flush() {
                bytesAtFirstFlush.compareAndSet(-1, bytes.get());
                flushes.incrementAndGet();
                flushed.countDown();
            }

            @Override
            public void close() {
            }
        };
        ThreadPoolDiskIo disk = new ThreadPoolDiskIo(1, 1);
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            int block = 16384;
            byte[] zeros = new byte[block];
            int blocks = (int) (ThreadPoolDiskIo.WRITEBACK_BYTES / block) + 2;
            CountDownLatch written = new CountDownLatch(blocks);
            for (int i = 0; i < blocks; i++) {
                disk.write(storage, i, 0, new PeerMessage.Piece(i, 0, Unpooled.wrappedBuffer(zeros)), loop,
                        e -> written.countDown());
            }
            assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(flushed.await(10, TimeUnit.SECONDS)).as("flushed while nothing was stopped").isTrue();
            assertThat(bytesAtFirstFlush.get()).isGreaterThanOrEqualTo(ThreadPoolDiskIo.WRITEBACK_BYTES);
            assertThat(flushes.get()).as("once per WRITEBACK_BYTES, not per write").isEqualTo(1);
        } finally {
            disk.close();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void verifiedPiecesFromSeveralHashingThreadsAreWrittenOneAtATimeEachOnce() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        java.util.Set<Integer> writtenPieces = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Storage storage = new Storage() {
            @Override
            public void write(int piece, int offset, ByteBuffer data) {
                mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                long sum = 0;
                while (data.hasRemaining()) { // takes a while, as a copy into the page cache does
                    sum += data.get();
                }
                assertThat(sum).isGreaterThanOrEqualTo(0);
                writtenPieces.add(piece);
                inside.decrementAndGet();
            }

            @Override
            public void read(int piece, int offset, ByteBuffer dst) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        int size = 256 * 1024;
        int pieces = 64;
        byte[] content = new byte[size];
        new java.util.Random(7).nextBytes(content);
        for (int i = 0; i < content.length; i++) {
            content[i] &= 0x7f; // non-negative bytes: the write's sum above never overflows below zero
        }
        PieceCheck good = PieceCheck.sha1(ThreadPoolDiskIo.sha1().digest(content));
        PieceCheck bad = PieceCheck.sha1(new byte[20]);
        ThreadPoolDiskIo disk = new ThreadPoolDiskIo(2, 4);
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            java.util.Map<Integer, DiskIo.PieceHash> results = new java.util.concurrent.ConcurrentHashMap<>();
            CountDownLatch done = new CountDownLatch(pieces);
            for (int p = 0; p < pieces; p++) {
                DiskIo.PieceBuffer buffer = disk.pieceBuffer(size);
                for (int at = 0; at < size; at += 16384) {
                    buffer.put(at, new PeerMessage.Piece(p, at, Unpooled.wrappedBuffer(content, at, 16384)));
                }
                int piece = p;
                disk.verifyAndWrite(storage, piece, buffer, piece % 8 == 7 ? bad : good, 16384, false, loop, h -> {
                    results.put(piece, h);
                    done.countDown();
                });
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(mostInside.get()).as("writes to one storage at the same time").isEqualTo(1);
            java.util.Set<Integer> expected = new java.util.HashSet<>();
            for (int p = 0; p < pieces; p++) {
                assertThat(results.get(p).error()).isNull();
                assertThat(good.matches(results.get(p).digest())).as("the data's own digest, told either way").isTrue();
                if (p % 8 != 7) {
                    expected.add(p);
                }
            }
            assertThat(writtenPieces).as("every verified piece written, no failed one").isEqualTo(expected);
        } finally {
            disk.close();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void aReadWithoutMemoryForItsBufferFailsAsNoBuffersAndTheDiskGoesOn() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        Storage storage = new Storage() {
            @Override
            public void write(int piece, int offset, ByteBuffer data) {
            }

            @Override
            public void read(int piece, int offset, ByteBuffer dst) throws java.io.IOException {
                switch (reads.incrementAndGet()) {
                    case 1 -> throw new OutOfMemoryError("Cannot reserve 4194304 bytes of direct buffer memory");
                    case 2 -> throw new java.io.IOException("Input/output error");
                    default -> dst.put(new byte[dst.remaining()]);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        ThreadPoolDiskIo disk = new ThreadPoolDiskIo(1, 1);
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            java.util.List<Object> results = new java.util.concurrent.CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                disk.read(storage, 0, 0, 16384, loop, (buf, e) -> {
                    if (buf != null) {
                        results.add(buf.readableBytes());
                        buf.release();
                    } else {
                        results.add(e);
                    }
                    done.countDown();
                });
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(results.get(0)).isInstanceOf(DiskIo.NoBuffersException.class);
            assertThat(results.get(1)).isInstanceOf(java.io.IOException.class).isNotInstanceOf(DiskIo.NoBuffersException.class);
            assertThat(results.get(2)).as("the disk thread lived on").isEqualTo(16384);
        } finally {
            disk.close();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void releasedPieceBuffersAreReusedUpToABound() throws Exception {
        ThreadPoolDiskIo disk = new ThreadPoolDiskIo(1, 1);
        try {
            int size = 1 << 20;
            int many = (int) (ThreadPoolDiskIo.SPARE_BYTES / size) + 4;
            java.util.List<DiskIo.PieceBuffer> held = new java.util.ArrayList<>();
            for (int i = 0; i < many; i++) {
                held.add(disk.pieceBuffer(size));
            }
            held.forEach(DiskIo.PieceBuffer::release);
            assertThat(disk.spareBytes()).as("kept, but no more than the bound").isEqualTo(ThreadPoolDiskIo.SPARE_BYTES);
            DiskIo.PieceBuffer again = disk.pieceBuffer(size);
            assertThat(disk.spareBytes()).as("a new piece takes a kept buffer").isEqualTo(ThreadPoolDiskIo.SPARE_BYTES - size);
            DiskIo.PieceBuffer other = disk.pieceBuffer(size / 2);
            assertThat(disk.spareBytes()).as("another size is not served from them").isEqualTo(ThreadPoolDiskIo.SPARE_BYTES - size);
            again.release();
            other.release();
            DiskIo.PieceBuffer late = disk.pieceBuffer(size);
            disk.close();
            assertThat(disk.spareBytes()).as("closing frees the kept buffers").isZero();
            late.release();
            assertThat(disk.spareBytes()).as("one released after closing is freed, not kept").isZero();
        } finally {
            disk.close();
        }
    }

    @Test
    void aBufferReleasedWhileTheDiskClosesIsFreedNotLost() throws Exception {
        // a release that passed its "not closed" check, then added its buffer to the spares after
        // close() had drained them, left direct memory no one would free
        int lost = 0;
        for (int round = 0; round < 300; round++) {
            ThreadPoolDiskIo disk = new ThreadPoolDiskIo(1, 1);
            java.util.List<DiskIo.PieceBuffer> held = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(disk.pieceBuffer(16384));
            }
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(held.size() + 1);
            java.util.List<Thread> releasers = new java.util.ArrayList<>();
            for (DiskIo.PieceBuffer b : held) {
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    b.release();
                });
                t.start();
                releasers.add(t);
            }
            start.await();
            disk.close();
            for (Thread t : releasers) {
                t.join(10_000);
            }
            for (DiskIo.PieceBuffer b : held) {
                java.lang.reflect.Field f = b.getClass().getDeclaredField("buf");
                f.setAccessible(true);
                if (((io.netty.buffer.ByteBuf) f.get(b)).refCnt() != 0) {
                    lost++;
                }
            }
        }
        assertThat(lost).as("buffers neither kept nor freed").isZero();
    }
}
