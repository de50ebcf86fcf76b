package io.jtorrent.engine;

import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.metainfo.Metainfo;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A program's handle on one torrent of a {@link Session}. Thin: every call is dispatched onto the
 * torrent's event loop and returns at once; results come as futures.
 */
public final class TorrentHandle {
    private final Torrent torrent;

    TorrentHandle(Torrent torrent) {
        this.torrent = torrent;
    }

    public InfoHash infoHash() {
        return torrent.infoHash;
    }

    /** The torrent's metadata; null while a magnet link's is still being fetched (see {@link #metadata()}). */
    public Metainfo metainfo() {
        return torrent.metainfo;
    }

    /** Completes with the metadata: at once for a torrent file, once peers sent it for a magnet link. */
    public CompletableFuture<Metainfo> metadata() {
        return torrent.metadata();
    }

    /** A snapshot of the torrent's state, progress, rates and totals. */
    public CompletableFuture<TorrentStatus> status() {
        return onLoop(torrent::status);
    }

    /** The pieces we have (verified), a copy. */
    public CompletableFuture<java.util.BitSet> pieces() {
        return onLoop(torrent::havePieces);
    }

    /** Disconnects from all peers and stops transferring; state PAUSED. */
    public CompletableFuture<Void> pause() {
        return onLoop(() -> {
            torrent.pause();
            return null;
        });
    }

    public CompletableFuture<Void> resume() {
        return onLoop(() -> {
            torrent.resume();
            return null;
        });
    }

    /** Connects to this peer (as well as those trackers give). */
    public CompletableFuture<Void> addPeer(InetSocketAddress address) {
        return onLoop(() -> {
            torrent.addCandidates(java.util.List.of(address), true);
            return null;
        });
    }

    /** This torrent's own rate limits in bytes per second; 0 is unlimited. */
    public CompletableFuture<Void> setLimits(long upload, long download) {
        return onLoop(() -> {
            torrent.setLimits(upload, download);
            return null;
        });
    }

    /** Stops the torrent (announcing stopped, saving resume data) and forgets it. */
    public CompletableFuture<Void> remove() {
        return torrent.session.remove(torrent);
    }

    private <T> CompletableFuture<T> onLoop(java.util.function.Supplier<T> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        torrent.loop.execute(() -> {
            try {
                f.complete(action.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    @Override
    public String toString() {
        return "TorrentHandle[" + torrent.infoHash.hex() + " " + torrent.name() + "]";
    }
}
