package io.jtorrent.engine.torrent;

import io.jtorrent.engine.TorrentState;
import io.jtorrent.engine.pieces.PieceRanges;
import java.util.concurrent.CompletableFuture;

/**
 * Reading a torrent's bytes while it downloads: a read waits for the pieces under it, and those
 * pieces are fetched before any other (above every file priority, in order). Owned by the
 * torrent's loop.
 */
public final class Streaming {
    /** The picker priority of pieces a read waits for: above any file priority. */
    private static final int STREAMING_PRIORITY = 7;

    private final Torrent t;
    private RangeReads reads;

    Streaming(Torrent t) {
        this.t = t;
    }

    /** Torrent bytes [offset, offset + length), once every piece under them is verified. */
    public CompletableFuture<byte[]> read(long offset, int length) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        if (t.info == null) {
            result.completeExceptionally(new IllegalStateException("no metadata yet"));
            return result;
        }
        if (offset < 0 || length <= 0 || offset + length > t.info.totalLength()) {
            result.completeExceptionally(new IllegalArgumentException("range " + offset + "+" + length + " outside the torrent"));
            return result;
        }
        if (reads == null) {
            reads = new RangeReads(t.info, t.services.disk(), t.owner, i -> t.picker.have(i), () -> t.storage);
        }
        if (!reads.read(offset, length, result)) {
            byte[] p = new byte[t.info.pieceCount()];
            for (int i = 0; i < p.length; i++) {
                p[i] = (byte) t.picker.priority(i);
            }
            for (int i = PieceRanges.firstPiece(t.info, offset); i <= PieceRanges.lastPiece(t.info, offset, length); i++) {
                p[i] = (byte) Math.max(p[i], STREAMING_PRIORITY);
            }
            t.picker.setPriorities(p);
            if (t.state == TorrentState.SEEDING) {
                t.setState(TorrentState.DOWNLOADING); // a skipped file's pieces asked for
            }
            t.peerSet.wantedChanged();
        }
        return result;
    }

    /** A piece verified: the reads it completes are served. */
    void pieceVerified() {
        if (reads != null) {
            reads.pieceVerified();
        }
    }
}
