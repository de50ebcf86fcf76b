package io.jtorrent.sim;

import io.jtorrent.engine.disk.DiskIo;
import io.jtorrent.engine.disk.PieceCheck;
import io.jtorrent.storage.Storage;
import io.jtorrent.wire.PeerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The disk of every simulated peer: each call does its work at once, on the simulation's thread
 * (hashing included: the real SHA-1 over the real bytes), and its completion runs on the loop
 * like a real disk's, as a later event at the same virtual time. Disks are not the bottleneck
 * being simulated; the network is.
 */
final class SimDisk implements DiskIo {
    /** Short of memory: one in this many piece buffers, checks and reads finds none. */
    static final int SHORT_ONE_IN = 7;

    private final Map<Integer, ArrayDeque<byte[]>> free = new HashMap<>();
    private byte[] scratch = new byte[0];
    private final boolean shortOfMemory;
    private long tries;

    SimDisk(boolean shortOfMemory) {
        this.shortOfMemory = shortOfMemory;
    }

    /** Whether this buffer, check or read finds no memory (short of memory: one in {@link #SHORT_ONE_IN}). */
    private boolean noMemoryNow() {
        return shortOfMemory && ++tries % SHORT_ONE_IN == 0;
    }

    private static NoBuffersException noMemory() {
        return new NoBuffersException("out of memory: simulated", null);
    }

    private final class HeapPiece implements PieceBuffer {
        final byte[] data;
        final int size;
        boolean released;

        HeapPiece(int size) {
            ArrayDeque<byte[]> pool = free.get(size);
            byte[] b = pool == null ? null : pool.poll();
            this.data = b != null ? b : new byte[size];
            this.size = size;
        }

        @Override
        public void put(int offset, PeerMessage.Piece block) {
            try {
                block.data().getBytes(block.data().readerIndex(), data, offset, block.length());
            } finally {
                block.release();
            }
        }

        @Override
        public void release() {
            if (!released) {
                released = true;
                ArrayDeque<byte[]> pool = free.computeIfAbsent(size, s -> new ArrayDeque<>());
                if (pool.size() < 64) {
                    pool.add(data);
                }
            }
        }
    }

    @Override
    public PieceBuffer pieceBuffer(int size) {
        if (noMemoryNow()) {
            return null;
        }
        return new HeapPiece(size);
    }

    @Override
    public void write(Storage storage, int piece, int begin, PeerMessage.Piece block, Executor loop, Consumer<IOException> done) {
        IOException error = null;
        try {
            storage.write(piece, begin, block.data().nioBuffer());
        } catch (IOException e) {
            error = e;
        } finally {
            block.release();
        }
        IOException e = error;
        loop.execute(() -> done.accept(e));
    }

    @Override
    public void read(Storage storage, int piece, int begin, int length, Executor loop, BiConsumer<ByteBuf, IOException> done) {
        if (noMemoryNow()) {
            loop.execute(() -> done.accept(null, noMemory()));
            return;
        }
        ByteBuf view = storage instanceof GeneratedData.Store s ? s.view(piece, begin, length) : null;
        if (view != null) {
            loop.execute(() -> done.accept(view, null));
            return;
        }
        ByteBuf buf = Unpooled.buffer(length, length);
        try {
            storage.read(piece, begin, buf.nioBuffer(0, length));
            buf.writerIndex(length);
            loop.execute(() -> done.accept(buf, null));
        } catch (IOException e) {
            buf.release();
            loop.execute(() -> done.accept(null, e));
        }
    }

    @Override
    public void hash(Storage storage, int piece, long pieceSize, PieceCheck check, int blockSize, boolean blockCrcs,
                     Executor loop, Consumer<PieceHash> done) {
        PieceHash result;
        try {
            if (scratch.length < pieceSize) {
                scratch = new byte[(int) pieceSize];
            }
            ByteBuffer whole = ByteBuffer.wrap(scratch, 0, (int) pieceSize);
            storage.read(piece, 0, whole.duplicate());
            result = digest(whole, check, blockSize, blockCrcs);
        } catch (IOException e) {
            result = new PieceHash(null, null, e);
        }
        PieceHash r = result;
        loop.execute(() -> done.accept(r));
    }

    @Override
    public void verifyAndWrite(Storage storage, int piece, PieceBuffer data, PieceCheck check, int blockSize, boolean crcsIfGood,
                               Executor loop, Consumer<PieceHash> done) {
        HeapPiece p = (HeapPiece) data;
        if (noMemoryNow()) {
            p.release();
            loop.execute(() -> done.accept(new PieceHash(null, null, noMemory())));
            return;
        }
        PieceHash result;
        try {
            ByteBuffer whole = ByteBuffer.wrap(p.data, 0, p.size);
            PieceHash h = digest(whole, check, blockSize, false);
            boolean good = check.matches(h.digest());
            if (good) {
                storage.write(piece, 0, whole.duplicate());
            }
            // the smart ban's evidence, needed only around a failure
            int[] crcs = good && !crcsIfGood ? null : PieceCheck.blockCrcs(whole, blockSize);
            result = new PieceHash(h.digest(), crcs, null, good ? null : h.leaves());
        } catch (IOException e) {
            result = new PieceHash(null, null, e);
        } finally {
            p.release();
        }
        PieceHash r = result;
        loop.execute(() -> done.accept(r));
    }

    private static PieceHash digest(ByteBuffer whole, PieceCheck check, int blockSize, boolean crcs) {
        PieceCheck.Digest d = check.digest();
        d.update(whole.duplicate());
        byte[] digest = d.finish();
        int[] blockCrcs = crcs ? PieceCheck.blockCrcs(whole, blockSize) : null;
        return new PieceHash(digest, blockCrcs, null, d.leaves());
    }

    @Override
    public <T> void run(Callable<T> task, Executor loop, BiConsumer<T, IOException> done) {
        T result = null;
        IOException error = null;
        try {
            result = task.call();
        } catch (IOException e) {
            error = e;
        } catch (Exception e) {
            error = new IOException(e.toString(), e);
        }
        T r = result;
        IOException e = error;
        loop.execute(() -> done.accept(r, e));
    }

    @Override
    public void close() {
    }
}
