package io.jtorrent.engine.torrent;

import io.jtorrent.engine.disk.DiskIo;
import io.jtorrent.engine.pieces.PieceRanges;
import io.jtorrent.engine.time.Loop;
import io.jtorrent.metainfo.Info;
import io.jtorrent.storage.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * Reads of torrent byte ranges (streaming) that wait until every piece under them is verified,
 * then read on a disk thread. The torrent moves those pieces to the front of its picker; this
 * keeps the waiting reads and serves them as pieces arrive. Owned by the torrent's loop.
 */
final class RangeReads {
    private record RangeRead(long offset, int length, int first, int last, CompletableFuture<byte[]> result) {}

    private final Info info;
    private final DiskIo disk;
    private final Loop loop;
    private final IntPredicate verified;
    private final Supplier<Storage> storage;
    private final List<RangeRead> waiting = new ArrayList<>();

    /**
     * @param verified whether a piece is verified
     * @param storage the open storage, or null while it is closed
     */
    RangeReads(Info info, DiskIo disk, Loop loop, IntPredicate verified, Supplier<Storage> storage) {
        this.info = info;
        this.disk = disk;
        this.loop = loop;
        this.verified = verified;
        this.storage = storage;
    }

    /**
     * Reads [offset, offset + length) now if its pieces are verified; otherwise the read waits and
     * this returns false (the caller gives those pieces priority).
     */
    boolean read(long offset, int length, CompletableFuture<byte[]> result) {
        assert loop.inLoop();
        RangeRead r = new RangeRead(offset, length, PieceRanges.firstPiece(info, offset),
                PieceRanges.lastPiece(info, offset, length), result);
        if (serve(r)) {
            return true;
        }
        waiting.add(r);
        return false;
    }

    /** Serves every waiting read whose pieces are now all verified. */
    void pieceVerified() {
        assert loop.inLoop();
        if (!waiting.isEmpty()) {
            waiting.removeIf(r -> r.result().isDone() || serve(r));
        }
    }

    private boolean serve(RangeRead r) {
        for (int i = r.first(); i <= r.last(); i++) {
            if (!verified.test(i)) {
                return false;
            }
        }
        Storage s = storage.get();
        if (s == null) {
            r.result().completeExceptionally(new IOException("the torrent is not open"));
            return true;
        }
        long pieceLength = info.pieceLength();
        disk.run(() -> {
            java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(r.length());
            long at = r.offset();
            while (out.hasRemaining()) {
                int piece = (int) (at / pieceLength);
                int begin = (int) (at - piece * pieceLength);
                int n = (int) Math.min(out.remaining(), info.pieceSize(piece) - begin);
                java.nio.ByteBuffer slice = out.slice();
                slice.limit(n);
                s.read(piece, begin, slice);
                out.position(out.position() + n);
                at += n;
            }
            return out.array();
        }, loop, (bytes, e) -> {
            if (e != null) {
                r.result().completeExceptionally(e);
            } else {
                r.result().complete(bytes);
            }
        });
        return true;
    }
}
