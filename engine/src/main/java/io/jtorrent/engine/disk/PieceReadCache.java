package io.jtorrent.engine.disk;

import io.jtorrent.storage.Storage;
import io.jtorrent.wire.PeerMessage;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.IntToLongFunction;

/**
 * Serves blocks to peers. Peers ask for a piece's blocks one after another, so the whole piece is
 * read once (one disk operation instead of one per 16 KiB) into a small cache, least recently used
 * pieces dropped first, and concurrent requests for a piece being read wait for that read.
 * Pieces larger than a quarter of the cache are read block by block. Runs on the torrent's loop.
 */
public final class PieceReadCache {
    public static final long CAPACITY = 4L << 20;

    private final DiskIo disk;
    private final Executor loop;
    private final IntToLongFunction pieceSize;
    private final LinkedHashMap<Integer, ByteBuf> cache = new LinkedHashMap<>(16, 0.75f, true);
    /** Pieces being read, with the requests waiting for each. */
    private final PieceWaiters<Waiter> reading = new PieceWaiters<>();

    private record Waiter(PeerMessage.Request request, BiConsumer<ByteBuf, IOException> done) {}
    private long bytes;
    /**
     * Ticks (seconds) without a read after which the cache is emptied: a torrent whose peers have
     * gone holds no memory (a daemon's hundreds of torrents served once each would otherwise keep
     * 4 MiB each of the JVM's direct memory, whose limit is the heap's size).
     */
    public static final int IDLE_TICKS = 30;
    private int idleTicks;

    public PieceReadCache(DiskIo disk, Executor loop, IntToLongFunction pieceSize) {
        this.disk = disk;
        this.loop = loop;
        this.pieceSize = pieceSize;
    }

    /** Reads a requested block; {@code done} gets a buffer to release, or the error. */
    public void read(Storage storage, PeerMessage.Request r, BiConsumer<ByteBuf, IOException> done) {
        idleTicks = 0;
        long size = pieceSize.applyAsLong(r.piece());
        if (!cachesWhole(size)) {
            disk.read(storage, r.piece(), r.begin(), r.length(), loop, done);
            return;
        }
        ByteBuf cached = cache.get(r.piece());
        if (cached != null) {
            done.accept(cached.retainedSlice(r.begin(), r.length()), null);
            return;
        }
        if (!reading.add(r.piece(), new Waiter(r, done))) {
            return; // the piece is being read: served when it is in
        }
        disk.read(storage, r.piece(), 0, (int) size, loop, (data, error) -> {
            List<Waiter> callers = reading.done(r.piece());
            if (error != null) {
                // every waiter hears it: each caller's count of reads in flight goes down
                callers.forEach(w -> w.done().accept(null, error));
                return;
            }
            put(r.piece(), data);
            callers.forEach(w -> read(storage, w.request(), w.done()));
        });
    }

    /** Whether a piece of this size is read whole and kept (larger ones are read block by block). */
    public static boolean cachesWhole(long pieceSize) {
        return pieceSize <= CAPACITY / 4;
    }

    /** Keeps a whole piece read elsewhere (seed mode's check read it), least recently used ones dropped. */
    public void put(int piece, ByteBuf data) {
        ByteBuf old = cache.put(piece, data);
        if (old != null) {
            bytes -= old.readableBytes();
            old.release();
        }
        bytes += data.readableBytes();
        while (bytes > CAPACITY && cache.size() > 1) {
            var eldest = cache.entrySet().iterator().next();
            bytes -= eldest.getValue().readableBytes();
            eldest.getValue().release();
            cache.remove(eldest.getKey());
        }
    }

    /** Once a second, on the loop: empties the cache once nothing was read from it for {@link #IDLE_TICKS}. */
    public void tick() {
        if (++idleTicks >= IDLE_TICKS && !cache.isEmpty()) {
            clear();
        }
    }

    /** Bytes of pieces held. */
    public long bytes() {
        return bytes;
    }

    /** Releases every cached piece. */
    public void clear() {
        cache.values().forEach(ByteBuf::release);
        cache.clear();
        bytes = 0;
    }
}
