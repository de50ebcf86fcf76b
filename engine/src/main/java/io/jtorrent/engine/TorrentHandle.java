package io.jtorrent.engine;

import io.jtorrent.engine.torrent.Torrent;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.metainfo.Metainfo;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A program's handle on one torrent of a {@link Session}. Thin: every call is dispatched onto the
 * torrent's event loop and returns at once; results come as futures.
 */
public final class TorrentHandle {
    private final Session session;
    private final Torrent torrent;

    TorrentHandle(Session session, Torrent torrent) {
        this.session = session;
        this.torrent = torrent;
    }

    public InfoHash infoHash() {
        return torrent.infoHash();
    }

    /** The torrent's metadata; null while a magnet link's is still being fetched (see {@link #metadata()}). */
    public Metainfo metainfo() {
        return torrent.metainfo();
    }

    /** Completes with the metadata: at once for a torrent file, once peers sent it for a magnet link. */
    public CompletableFuture<Metainfo> metadata() {
        return torrent.metadata();
    }

    /** A snapshot of the torrent's state, progress, rates and totals. */
    public CompletableFuture<TorrentStatus> status() {
        return onLoop(() -> torrent.views().status());
    }

    /** The pieces we have (verified), a copy. */
    public CompletableFuture<java.util.BitSet> pieces() {
        return onLoop(() -> torrent.views().havePieces());
    }

    /**
     * The files (by index) that deleting this torrent's data may delete: created by it during this
     * run, or holding verified data of it. Ask before {@link #remove()}.
     */
    public CompletableFuture<java.util.BitSet> ownedFiles() {
        return onLoop(() -> torrent.views().ownedFiles());
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

    /** Where the data is saved. */
    public java.nio.file.Path saveDirectory() {
        return torrent.saveDirectory();
    }

    /** The connected peers, with rates, progress and choke state. */
    public CompletableFuture<java.util.List<PeerInfo>> peers() {
        return onLoop(() -> torrent.views().peers());
    }

    /**
     * Replaces the trackers (tiers of URLs, BEP 12): the old ones are told {@code stopped}, the
     * new ones asked at once while the torrent runs. Empty tiers and blank URLs are dropped.
     */
    public CompletableFuture<Void> setTrackers(java.util.List<java.util.List<String>> tiers) {
        return onLoop(() -> {
            torrent.replaceTrackers(tiers);
            return null;
        });
    }

    /**
     * Puts the torrent in a bandwidth group (Transmission's): its transfers also count against
     * {@code up} and {@code down}, shared with the group's other torrents (null: no such limit);
     * {@code honorsSessionLimits} false exempts it from the session's limits. Takes effect at once.
     */
    public void setBandwidthGroup(io.jtorrent.engine.rate.RateLimiter up, io.jtorrent.engine.rate.RateLimiter down,
                                  boolean honorsSessionLimits) {
        io.jtorrent.engine.torrent.TorrentLimits.bandwidthGroup(torrent, up, down, honorsSessionLimits);
    }

    /**
     * Transmission's bandwidth priority: 1 high, 0 normal, -1 low. Where torrents share a limit
     * (the session's, a bandwidth group's), a higher priority is served first: while it can use the
     * whole limit, lower ones wait. The torrent's own limits are not affected. Takes effect at once.
     */
    public void setBandwidthPriority(int priority) {
        io.jtorrent.engine.torrent.TorrentLimits.bandwidthPriority(torrent, priority);
    }

    /**
     * Stores a file or directory under another name (Transmission's torrent-rename-path):
     * {@code path} as {@link io.jtorrent.metainfo.FileEntry#pathString()} gives it (the torrent's
     * name first), {@code newName} its new last element; renaming the torrent's name renames the
     * torrent. Renamed on disk, then checked from the resume data; {@link #metainfo()} shows the
     * new layout, peers still get the torrent as it is. Give it again at the next start with
     * {@link AddTorrentParams.Builder#renamed}. Fails with {@link IllegalArgumentException} for a
     * path that is not in the torrent or a bad or taken name.
     */
    public CompletableFuture<Void> renamePath(String path, String newName) {
        return onLoop(() -> torrent.storageControl().renamePath(path, newName)).thenCompose(f -> f);
    }

    /**
     * Picks pieces in order, first to last (to play a file while it downloads; Transmission's
     * sequential_download), or rarest first (false). Takes effect at once, for a magnet link too.
     */
    public CompletableFuture<Void> setSequential(boolean on) {
        return onLoop(() -> {
            io.jtorrent.engine.torrent.TorrentLimits.sequential(torrent, on);
            return null;
        });
    }

    /** At most {@code n} peers for this torrent (0: the session's limit); peers over it are closed. */
    public CompletableFuture<Void> setPeerLimit(int n) {
        return onLoop(() -> {
            io.jtorrent.engine.torrent.TorrentLimits.peerLimit(torrent, n);
            return null;
        });
    }

    /** Each tracker's last answer. */
    public CompletableFuture<java.util.List<TrackerInfo>> trackers() {
        return onLoop(() -> torrent.views().trackers());
    }

    /** Verified bytes of each file, in torrent order (empty before a magnet's metadata). */
    public CompletableFuture<long[]> fileProgress() {
        return onLoop(() -> torrent.views().fileProgress());
    }

    /** Which pieces we have, which are in flight, and how many peers have each. */
    public CompletableFuture<PieceMap> pieceMap() {
        return onLoop(() -> torrent.views().pieceMap());
    }

    /** Hashes the data again, trusting no resume data; the torrent then goes on as before. */
    public CompletableFuture<Void> recheck() {
        return onLoop(() -> {
            torrent.storageControl().recheck();
            return null;
        });
    }

    /** Announces to the trackers (and the DHT) now. */
    public CompletableFuture<Void> reannounce() {
        return onLoop(() -> {
            torrent.reannounce();
            return null;
        });
    }

    /** Per-file priorities in torrent order: 0 skip, 1 normal, 2 high. */
    public CompletableFuture<Void> setFilePriorities(byte[] priorities) {
        byte[] p = priorities.clone();
        return onLoop(() -> {
            torrent.storageControl().setFilePriorities(p);
            return null;
        });
    }

    /**
     * Moves the data to {@code directory} ({@code move} false: the data is already there), then
     * checks it; the future completes once the files are moved.
     */
    public CompletableFuture<Void> moveStorage(java.nio.file.Path directory, boolean move) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        torrent.owner().execute(() -> torrent.storageControl().moveStorage(directory, move).whenComplete((v, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(null);
            }
        }));
        return f;
    }

    /**
     * Reads torrent bytes [offset, offset + length) once the pieces under them are verified,
     * fetching those pieces before any other: what streaming a file while it downloads needs.
     */
    public CompletableFuture<byte[]> read(long offset, int length) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        torrent.owner().execute(() -> torrent.streaming().read(offset, length).whenComplete((b, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(b);
            }
        }));
        return f;
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
        return session.remove(torrent);
    }

    /**
     * The snapshots of many torrents, in the order given: one task per event loop that owns some
     * of them instead of one per torrent (a daemon's torrent-get of 1,000 torrents made 1,000
     * hops).
     */
    public static CompletableFuture<java.util.List<TorrentStatus>> statuses(java.util.List<TorrentHandle> handles) {
        TorrentStatus[] out = new TorrentStatus[handles.size()];
        java.util.Map<io.jtorrent.engine.time.Loop, java.util.List<Integer>> byLoop = new java.util.LinkedHashMap<>();
        for (int i = 0; i < handles.size(); i++) {
            byLoop.computeIfAbsent(handles.get(i).torrent.owner(), l -> new java.util.ArrayList<>()).add(i);
        }
        java.util.List<CompletableFuture<Void>> parts = new java.util.ArrayList<>();
        byLoop.forEach((loop, indices) -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    for (int i : indices) {
                        out[i] = handles.get(i).torrent.views().status();
                    }
                    f.complete(null);
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
            parts.add(f);
        });
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenApply(v -> java.util.List.of(out));
    }

    private <T> CompletableFuture<T> onLoop(java.util.function.Supplier<T> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        torrent.owner().execute(() -> {
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
        return "TorrentHandle[" + torrent.infoHash().hex() + " " + torrent.name() + "]";
    }
}
