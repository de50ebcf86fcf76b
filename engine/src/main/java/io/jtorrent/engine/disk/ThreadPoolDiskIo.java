package io.jtorrent.engine.disk;

import io.jtorrent.storage.Storage;
import io.jtorrent.wire.PeerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * The {@link DiskIo} every session uses: disk reads and writes and SHA-1 checks, each on its own
 * bounded pool of threads, never on an event loop. Every completion is posted back to the event
 * loop that asked.
 */
public final class ThreadPoolDiskIo implements DiskIo {
    private static final int HASH_CHUNK = 1 << 20;
    /**
     * Written bytes of one storage after which its files are flushed on a disk thread while the
     * transfer goes on: the kernel would otherwise keep a whole download dirty until the final
     * flush (at stop), and a 1 GiB download then waited 1.3-2 s for it at exit.
     */
    static final long WRITEBACK_BYTES = 32L << 20;

    private final ExecutorService disk;
    private final ExecutorService hash;
    /** Bytes written to each open storage since its last flush; weak: a closed storage is dropped. */
    private final Map<Storage, long[]> unflushed = Collections.synchronizedMap(new WeakHashMap<>());
    /** Each open storage's writes, one at a time; weak: a closed storage is dropped. */
    private final Map<Storage, OneAtATime> writers = Collections.synchronizedMap(new WeakHashMap<>());
    private final ThreadLocal<ByteBuffer> hashBuffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(HASH_CHUNK));

    public ThreadPoolDiskIo(int diskThreads, int hashThreads) {
        this.disk = Executors.newFixedThreadPool(diskThreads, named("jtorrent-disk"));
        this.hash = Executors.newFixedThreadPool(hashThreads, named("jtorrent-hash"));
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Released piece buffers kept for the next pieces, by size, at most {@link #SPARE_BYTES} in
     * all. Netty's pool frees a chunk whose last buffer is released, and a new one is zeroed and
     * faulted in page by page: with 1 MiB pieces that was every piece, a fifth of a 4 GiB
     * download's CPU samples.
     */
    static final long SPARE_BYTES = 16L << 20;
    private final Map<Integer, ConcurrentLinkedQueue<ByteBuf>> spares = new ConcurrentHashMap<>();
    private final AtomicLong spareBytes = new AtomicLong();
    /** Set by {@link #close()}: buffers released after it are freed, not kept. */
    private volatile boolean closed;

    /** A piece in a direct buffer: one copy in per block, one positional write per file out. */
    private final class DirectPieceBuffer implements PieceBuffer {
        final ByteBuf buf;

        DirectPieceBuffer(int size) {
            ByteBuf spare = spares(size).poll();
            if (spare != null) {
                spareBytes.addAndGet(-size);
                buf = spare;
            } else {
                buf = Unpooled.directBuffer(size, size);
                buf.writerIndex(size);
            }
        }

        @Override
        public void put(int offset, PeerMessage.Piece block) {
            try {
                buf.setBytes(offset, block.data(), block.data().readerIndex(), block.length());
            } finally {
                block.release();
            }
        }

        /** Keeps the buffer for another piece while the spares are under their bound, else frees it. */
        @Override
        public void release() {
            int size = buf.capacity();
            if (!closed && spareBytes.addAndGet(size) <= SPARE_BYTES) {
                spares(size).add(buf);
                if (closed) {
                    // close() drained the spares between our check and the add: this one would
                    // never be freed (close sets the flag before it drains, so one of us sees it)
                    freeSpares();
                }
            } else {
                if (!closed) {
                    spareBytes.addAndGet(-size);
                }
                buf.release();
            }
        }
    }

    private ConcurrentLinkedQueue<ByteBuf> spares(int size) {
        return spares.computeIfAbsent(size, n -> new ConcurrentLinkedQueue<>());
    }

    @Override
    public PieceBuffer pieceBuffer(int size) {
        try {
            return new DirectPieceBuffer(size);
        } catch (OutOfMemoryError directMemoryUsedUp) {
            return null; // the piece goes block by block: its blocks are in memory already
        }
    }

    /** Bytes of piece buffers kept for reuse (tests). */
    long spareBytes() {
        return spareBytes.get();
    }

    /** Writes a block and releases it; {@code done} gets null or the error, on {@code loop}. */
    @Override
    public void write(Storage storage, int piece, int begin, PeerMessage.Piece block, Executor loop, Consumer<IOException> done) {
        ByteBuf data = block.data();
        try {
            disk.execute(() -> serially(storage, () -> {
                IOException error = null;
                try {
                    int n = data.readableBytes();
                    storage.write(piece, begin, data.nioBuffer());
                    written(storage, n);
                } catch (Exception | OutOfMemoryError e) {
                    error = asIo(e);
                } finally {
                    data.release();
                }
                IOException e = error;
                post(loop, () -> done.accept(e), null);
            }));
        } catch (RejectedExecutionException closing) {
            data.release();
        }
    }

    /** Reads a block into a new buffer; {@code done} gets it (to release) or the error, on {@code loop}. */
    @Override
    public void read(Storage storage, int piece, int begin, int length, Executor loop, BiConsumer<ByteBuf, IOException> done) {
        submit(disk, loop, () -> {
            // pooled: whole pieces (up to 1 MiB) are read for the read cache, and Netty 4.2's default
            // (adaptive) allocator does not pool buffers that large (7% of a seeder's CPU samples)
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(length, length);
            try {
                storage.read(piece, begin, buf.nioBuffer(0, length));
                buf.writerIndex(length);
                return buf;
            } catch (IOException | RuntimeException e) {
                buf.release();
                throw e;
            }
        }, done, () -> { });
    }

    @Override
    public void hash(Storage storage, int piece, long pieceSize, PieceCheck check, int blockSize, boolean blockCrcs,
                     Executor loop, Consumer<PieceHash> done) {
        submit(hash, loop, () -> hashNow(storage, piece, pieceSize, check, blockSize, blockCrcs),
                (r, e) -> done.accept(e != null ? new PieceHash(null, null, e) : r), () -> { });
    }

    private PieceHash hashNow(Storage storage, int piece, long pieceSize, PieceCheck check, int blockSize,
                              boolean blockCrcs) throws IOException {
        PieceCheck.Digest digest = check.digest();
        int[] crcs = blockCrcs ? new int[(int) ((pieceSize + blockSize - 1) / blockSize)] : null;
        CRC32 crc = new CRC32();
        ByteBuffer buf = hashBuffers.get();
        long done = 0;
        int block = 0;
        long blockFilled = 0;
        while (done < pieceSize) {
            int n = (int) Math.min(buf.capacity(), pieceSize - done);
            buf.clear().limit(n);
            storage.read(piece, (int) done, buf);
            buf.flip();
            digest.update(buf.duplicate());
            while (crcs != null && buf.hasRemaining()) { // CRC per block: blocks and chunks need not align
                int take = (int) Math.min(buf.remaining(), blockSize - blockFilled);
                ByteBuffer part = buf.slice().limit(take);
                crc.update(part);
                buf.position(buf.position() + take);
                blockFilled += take;
                if (blockFilled == blockSize || done + buf.position() == pieceSize) {
                    crcs[block++] = (int) crc.getValue();
                    crc.reset();
                    blockFilled = 0;
                }
            }
            done += n;
        }
        return new PieceHash(digest.finish(), crcs, null, digest.leaves());
    }

    /**
     * Hashes a whole piece held in memory and, only if it passes {@code check}, writes it with
     * one positional write per file it spans. The buffer is released either way.
     */
    @Override
    public void verifyAndWrite(Storage storage, int piece, PieceBuffer buffer, PieceCheck check, int blockSize,
                               boolean crcsIfGood, Executor loop, Consumer<PieceHash> done) {
        DirectPieceBuffer owned = (DirectPieceBuffer) buffer;
        ByteBuf data = owned.buf;
        try {
            hash.execute(() -> {
                boolean handedOn = false;
                PieceHash result;
                try {
                    int size = data.readableBytes();
                    ByteBuffer whole = data.nioBuffer(data.readerIndex(), size);
                    PieceCheck.Digest d = check.digest();
                    d.update(whole.duplicate());
                    byte[] digest = d.finish();
                    boolean good = check.matches(digest);
                    int[] crcs = null;
                    if (!good || crcsIfGood) { // the smart ban's evidence, needed only around a failure
                        crcs = PieceCheck.blockCrcs(whole, blockSize);
                    }
                    if (good) {
                        PieceHash passed = new PieceHash(digest, crcs, null, null);
                        handedOn = true; // the write releases the buffer and tells done
                        serially(storage, () -> {
                            PieceHash r = passed;
                            try {
                                storage.write(piece, 0, whole);
                                written(storage, size);
                            } catch (Exception | OutOfMemoryError e) {
                                r = new PieceHash(null, null, asIo(e));
                            } finally {
                                owned.release();
                            }
                            PieceHash told = r;
                            post(loop, () -> done.accept(told), null);
                        });
                        return;
                    }
                    result = new PieceHash(digest, crcs, null, d.leaves());
                } catch (Exception | OutOfMemoryError e) {
                    result = new PieceHash(null, null, asIo(e));
                } finally {
                    if (!handedOn) {
                        owned.release();
                    }
                }
                PieceHash told = result;
                post(loop, () -> done.accept(told), null);
            });
        } catch (RejectedExecutionException closing) {
            owned.release();
        }
    }

    /**
     * Runs {@code write} on this thread, or has the thread writing to {@code storage} now run it
     * next: one storage's writes never run at the same time (see {@link OneAtATime}).
     */
    private void serially(Storage storage, Runnable write) {
        writers.computeIfAbsent(storage, s -> new OneAtATime()).run(write);
    }

    /** Counts written bytes; past {@link #WRITEBACK_BYTES} since the last flush, flushes on a disk thread. */
    private void written(Storage storage, long bytes) {
        synchronized (unflushed) {
            long[] n = unflushed.computeIfAbsent(storage, s -> new long[1]);
            n[0] += bytes;
            if (n[0] < WRITEBACK_BYTES) {
                return;
            }
            n[0] = 0;
        }
        try {
            disk.execute(() -> {
                try {
                    storage.flush();
                } catch (IOException e) {
                    // the flush at stop reports it; a failing disk fails the next write too
                }
            });
        } catch (RejectedExecutionException closing) {
            // the session's close flushes every storage
        }
    }

    /** Runs any disk task (flush, resume save) off the loop. */
    @Override
    public <T> void run(Callable<T> task, Executor loop, BiConsumer<T, IOException> done) {
        submit(disk, loop, task, done, () -> { });
    }

    private <T> void submit(ExecutorService pool, Executor loop, Callable<T> task, BiConsumer<T, IOException> done,
                            Runnable onRejected) {
        try {
            pool.execute(() -> {
                T result = null;
                IOException error = null;
                try {
                    result = task.call();
                } catch (Exception | OutOfMemoryError e) {
                    error = asIo(e);
                }
                T r = result;
                IOException err = error;
                post(loop, () -> done.accept(r, err), r);
            });
        } catch (RejectedExecutionException closing) {
            onRejected.run();
        }
    }

    /**
     * Runs {@code completion} on the event loop; if the loop is shutting down, releases
     * {@code result} when it is a buffer (nobody will take it).
     */
    private static void post(Executor loop, Runnable completion, Object result) {
        try {
            loop.execute(completion);
        } catch (RejectedExecutionException shuttingDown) {
            if (result instanceof ByteBuf b) {
                b.release();
            }
        }
    }

    /** A failed disk task's error as the IOException its completion gets. */
    private static IOException asIo(Throwable e) {
        if (e instanceof IOException io) {
            return io;
        }
        if (e instanceof OutOfMemoryError) { // direct memory: fail this operation, not the thread
            return new NoBuffersException("out of memory: " + e.getMessage(), e);
        }
        return new IOException(e.toString(), e);
    }

    static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        disk.shutdown();
        hash.shutdown();
        disk.awaitTermination(30, TimeUnit.SECONDS);
        hash.awaitTermination(30, TimeUnit.SECONDS);
        closed = true;
        freeSpares();
    }

    /** Frees the kept piece buffers: direct memory no collector frees. */
    private void freeSpares() {
        for (ConcurrentLinkedQueue<ByteBuf> q : spares.values()) {
            for (ByteBuf b; (b = q.poll()) != null; ) {
                spareBytes.addAndGet(-b.capacity());
                b.release();
            }
        }
    }
}
