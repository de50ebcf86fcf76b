package io.jtorrent.engine.torrent;

import io.jtorrent.engine.SessionEvent;
import io.jtorrent.engine.TorrentState;
import io.jtorrent.engine.disk.DiskIo;
import io.jtorrent.engine.disk.PieceCheck;
import io.jtorrent.engine.disk.PieceReadCache;
import io.jtorrent.engine.disk.PieceWaiters;
import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.engine.pieces.BlockSource;
import io.jtorrent.engine.pieces.PieceAssembly;
import io.jtorrent.engine.pieces.SmartBan;
import io.jtorrent.engine.rate.RateLimiter;
import io.jtorrent.engine.rate.RateMeter;
import io.jtorrent.storage.Storage;
import io.jtorrent.wire.PeerMessage;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A torrent's data path. Blocks in: picked for a source, received, assembled and written, hashed,
 * and the verdict acted on (a verified piece announced, a failed one fetched again and its senders
 * struck or, with the smart ban, found out later). Blocks out: read for uploads, within the
 * torrent's and the session's rate limits. Owned by the torrent's loop.
 */
final class Transfers implements PieceAssembly.Owner<BlockSource> {
    private static final Logger LOG = LoggerFactory.getLogger(Transfers.class);

    private final Torrent t;
    /** Blocks on their way to disk: pieces assembled in memory, back-pressure, who sent what. */
    final PieceAssembly<BlockSource> assembly;
    /** The failed copies of pieces not yet verified, for the smart ban once a good copy is. */
    private final SmartBan<BlockSource> smartBan = new SmartBan<>();
    final RateLimiter uploadLimiter;
    final RateLimiter downloadLimiter;
    final RateMeter downloadMeter = new RateMeter();
    final RateMeter uploadMeter = new RateMeter();
    PieceReadCache readCache;
    long wasted;
    int hashFailures;

    Transfers(Torrent t, long uploadLimit, long downloadLimit) {
        this.t = t;
        this.assembly = new PieceAssembly<>(t.services.disk(), t.owner, t.services.settings().writeHighWater, this);
        this.uploadLimiter = new RateLimiter(uploadLimit, t.owner::nanoTime);
        this.downloadLimiter = new RateLimiter(downloadLimit, t.owner::nanoTime);
    }

    /** The metadata is known: reads for uploads can be served. */
    void metadataKnown() {
        readCache = new PieceReadCache(t.services.disk(), t.owner, t.info::pieceSize);
    }

    /** Transfers stop: unfinished pieces are dropped (fetched again later), cached reads forgotten. */
    void stop() {
        if (t.picker != null) {
            assembly.dropAll(t.picker::pieceFailed);
        }
        if (readCache != null) {
            readCache.clear();
        }
    }

    /** Once a second. */
    void tick() {
        downloadMeter.tick();
        uploadMeter.tick();
        if (readCache != null) {
            readCache.tick();
        }
    }

    // ---- blocks in ----

    /** Blocks to request from {@code source}, of pieces in {@code from} (what it has, or may give while choking). */
    List<PiecePicker.Block> pick(BlockSource source, BitSet from, int max) {
        return t.state != TorrentState.DOWNLOADING ? List.of() : t.picker.pick(from, max, source, source.suggested());
    }

    void blockReceived(BlockSource from, PiecePicker.Block block, PeerMessage.Piece data) {
        List<BlockSource> others = new ArrayList<>();
        PiecePicker.Received r = t.picker.received(block, from, others);
        if (r == PiecePicker.Received.UNWANTED || t.storage == null) {
            wasted += data.length();
            data.release();
            return;
        }
        others.forEach(o -> o.deliveredElsewhere(block)); // end game: the other requests are cancelled
        downloadMeter.add(data.length());
        assembly.add(t.storage, t.info, block, t.picker.blocksIn(block.piece()), from, data,
                r == PiecePicker.Received.PIECE_COMPLETE);
    }

    @Override
    public void backPressure(boolean backedUp) {
        t.peerSet.updateAutoRead();
    }

    @Override
    public void storageError(String message) {
        t.storageError(message);
    }

    @Override
    public void hashed(int piece, DiskIo.PieceHash r, List<BlockSource> senders) {
        if (t.state == TorrentState.ERROR || t.state == TorrentState.STOPPED) {
            return;
        }
        if (r.error() instanceof DiskIo.NoBuffersException) {
            // no memory to check it just now, nobody's fault and not the disk's: nothing of it was
            // written as verified, and it is downloaded again
            LOG.debug("{}: piece {} not checked ({}): asked for again", t.name(), piece, r.error().getMessage());
            t.picker.pieceFailed(piece);
            t.peerSet.requestMore();
        } else if (r.error() != null) {
            t.storageError("piece " + piece + ": " + r.error().getMessage());
        } else if (pieceCheck(piece).matches(r.digest())) {
            pieceVerified(piece, r.blockCrcs());
        } else {
            pieceFailed(piece, r.blockCrcs(), senders);
            if (r.leaves() != null && senders != null) {
                t.merkleHashes.pin(piece, r.leaves(), senders, t.peerSet.snapshot()); // v2: the bad blocks' senders found at once
            }
        }
    }

    @Override
    public PieceCheck pieceCheck(int piece) {
        return PieceCheck.of(t.metainfo, piece);
    }

    @Override
    public boolean blockCrcsWanted(int piece) {
        return smartBan.remembers(piece);
    }

    private void pieceVerified(int piece, int[] crcs) {
        t.picker.pieceVerified(piece);
        t.resume.dirty();
        // smart ban: whoever sent a block that differs from the good one sent bad data
        smartBan.pieceVerified(piece, crcs).forEach(culprit -> culprit.sentCorruptBlock(piece));
        t.post(new SessionEvent.PieceFinished(t.infoHash, piece));
        t.streaming.pieceVerified();
        t.peerSet.pieceVerified(piece, t.picker);
        t.pieceVerified();
    }

    private void pieceFailed(int piece, int[] crcs, List<BlockSource> senders) {
        hashFailures++;
        wasted += t.info.pieceSize(piece);
        Set<BlockSource> contributors = t.picker.pieceFailed(piece);
        if (senders != null) {
            smartBan.pieceFailed(piece, crcs, senders);
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (BlockSource s : contributors) {
            if (s.peerAddress() != null) {
                addresses.add(s.peerAddress());
            }
            // only a sole source is known to be guilty now; with several, the smart ban pins the bad
            // blocks to their senders once a good copy verifies (a liar cannot get honest co-contributors struck)
            s.contributedToBadPiece(piece, contributors.size() == 1);
        }
        LOG.info("{}: piece {} failed its hash check (from {})", t.name(), piece, addresses);
        t.post(new SessionEvent.HashFailed(t.infoHash, piece, addresses));
        t.peerSet.requestMore();
    }

    // ---- blocks out, within the limits ----

    void readBlock(PeerMessage.Request r, BiConsumer<PeerMessage.Piece, IOException> done) {
        if (unverified != null && unverified.get(r.piece())) {
            verifyThenRead(r, done);
            return;
        }
        readCache.read(t.storage, r, (data, e) ->
                done.accept(data == null ? null : new PeerMessage.Piece(r.piece(), r.begin(), data), e));
    }

    /**
     * Seed mode ({@link io.jtorrent.engine.AddTorrentParams.Builder#seedMode}): pieces taken as had
     * without a hash, each checked when first asked for; null when none is left, or not in seed
     * mode. On the loop.
     */
    BitSet unverified;
    /** Seed mode ended (a recheck): every later check hashes. */
    private boolean seedModeOver;

    /**
     * At a check: in seed mode (and not a user's recheck, which ends it) the pieces taken as had —
     * those the resume data vouches for, and those whose files exist, which are hashed when first
     * asked for; null to hash now.
     */
    BitSet seedMode(boolean on, boolean ignoreResume, DataCheck.Opened opened) {
        seedModeOver |= ignoreResume;
        unverified = null;
        if (!on || seedModeOver) {
            return null;
        }
        BitSet taken = (BitSet) opened.trusted().clone();
        taken.or(opened.toHash());
        unverified = opened.toHash().isEmpty() ? null : (BitSet) opened.toHash().clone();
        return taken;
    }

    private record Waiting(PeerMessage.Request request, BiConsumer<PeerMessage.Piece, IOException> done) {}

    /** Seed mode: pieces being hashed before their first upload, with the requests waiting for each. */
    private final PieceWaiters<Waiting> verifying = new PieceWaiters<>();

    /**
     * Seed mode: hashes a piece taken as had before any of it is sent; the requests for it wait.
     * The piece is read whole once and hashed on the disk pool; a match keeps it in the read cache
     * the requests are then served from, a mismatch stops the torrent with an error (a storage
     * error: the data is not what the torrent describes), so not a byte of it leaves.
     */
    private void verifyThenRead(PeerMessage.Request r, BiConsumer<PeerMessage.Piece, IOException> done) {
        int piece = r.piece();
        if (!verifying.add(piece, new Waiting(r, done))) {
            return; // its check is under way or queued
        }
        if (checksRunning < MAX_CHECKS) {
            check(piece);
        } else {
            checksQueued.add(piece); // bounded by the pieces: each is queued once
        }
    }

    /** Seed mode: pieces read and hashed at once at most (each a whole piece in memory); the rest wait their turn. */
    static final int MAX_CHECKS = 4;
    private int checksRunning;
    private final java.util.ArrayDeque<Integer> checksQueued = new java.util.ArrayDeque<>();

    private void check(int piece) {
        checksRunning++;
        Storage storage = t.storage;
        long size = t.info.pieceSize(piece);
        if (size > Integer.MAX_VALUE) {
            verified(piece, storage, null, new IOException("piece " + piece + " is too large to check in one read"));
            return;
        }
        DiskIo disk = t.services.disk();
        disk.read(storage, piece, 0, (int) size, t.owner, (data, readError) -> {
            if (readError != null) {
                verified(piece, storage, null, readError);
                return;
            }
            PieceCheck check = pieceCheck(piece);
            disk.run(() -> {
                PieceCheck.Digest d = check.digest();
                d.update(data.nioBuffer());
                return check.matches(d.finish());
            }, t.owner, (matches, hashError) -> {
                if (hashError == null && Boolean.TRUE.equals(matches)) {
                    verified(piece, storage, data, null);
                } else {
                    data.release();
                    verified(piece, storage, null, hashError != null ? hashError : new IOException("piece " + piece
                            + " does not match the torrent: seed mode took the data as complete without checking it;"
                            + " check the data"));
                }
            });
        });
    }

    /** Seed mode: a piece's check is over ({@code data}, the piece read whole, when it matched). */
    private void verified(int piece, Storage storage, ByteBuf data, IOException error) {
        List<Waiting> callers = verifying.done(piece);
        checksRunning--;
        Integer next = checksQueued.poll();
        if (next != null) {
            check(next);
        }
        if (t.storage != storage) {
            if (data != null) {
                data.release();
            }
            return; // stopped meanwhile: its peers are gone, and nothing is vouched for
        }
        if (error != null) {
            callers.forEach(w -> w.done().accept(null, error));
            return;
        }
        if (unverified != null) {
            unverified.clear(piece);
            if (unverified.isEmpty()) {
                unverified = null;
            }
        }
        t.resume.dirty();
        if (PieceReadCache.cachesWhole(data.readableBytes())) {
            readCache.put(piece, data); // served from the read that was checked
        } else {
            data.release();
        }
        callers.forEach(w -> readBlock(w.request(), w.done()));
    }

    /** A bandwidth group's limiters shared with other torrents (Transmission's groups), or none. */
    private volatile RateLimiter groupUp;
    private volatile RateLimiter groupDown;
    /** Whether the session's limits apply too (a group may be exempt). */
    private volatile boolean sessionLimits = true;

    void setGroup(RateLimiter up, RateLimiter down, boolean honorsSessionLimits) {
        groupUp = up;
        groupDown = down;
        sessionLimits = honorsSessionLimits;
    }

    /**
     * The torrent's bandwidth priority (Transmission's: -1 low, 0 normal, 1 high) as an allowance
     * on the limiters it shares with other torrents (the session's, its group's): a high one sends
     * while the shared debt is under 100 ms, a low one only once 100 ms of tokens are spare.
     */
    private volatile long sharedAllowance;
    static final long PRIORITY_ALLOWANCE_NANOS = 100_000_000L;

    void setPriority(int priority) {
        if (priority < -1 || priority > 1) {
            throw new IllegalArgumentException("bandwidth priority " + priority + " is not -1, 0 or 1");
        }
        sharedAllowance = priority * PRIORITY_ALLOWANCE_NANOS;
    }

    /** Sequential download set while running (null: as added); kept here for a magnet whose picker comes later. */
    private Boolean sequential;

    /** Whether pieces are picked in order: as set while running, else {@code asAdded}. */
    boolean sequential(boolean asAdded) {
        return sequential != null ? sequential : asAdded;
    }

    /** Picks pieces in order (for playing while downloading) or rarest first; on the loop. */
    void setSequential(boolean on) {
        sequential = on;
        if (t.picker != null) {
            t.picker.setSequential(on);
        }
    }

    long uploadDelay() {
        RateLimiter g = groupUp;
        long a = sharedAllowance;
        long d = Math.max(uploadLimiter.delay(), g == null ? 0 : g.delay(a));
        return sessionLimits ? Math.max(d, t.services.uploadLimiter().delay(a)) : d;
    }

    void consumeUpload(long bytes) {
        uploadLimiter.consume(bytes);
        RateLimiter g = groupUp;
        if (g != null) {
            g.consume(bytes);
        }
        if (sessionLimits) {
            t.services.uploadLimiter().consume(bytes);
        }
    }

    void uploaded(long bytes) {
        uploadMeter.add(bytes);
        t.resume.dirty();
    }

    /** Nanoseconds to wait before reading more from peers. */
    long consumeDownload(long bytes) {
        RateLimiter g = groupDown;
        long a = sharedAllowance;
        long d = Math.max(downloadLimiter.consume(bytes), g == null ? 0 : g.consume(bytes, a));
        return sessionLimits ? Math.max(d, t.services.downloadLimiter().consume(bytes, a)) : d;
    }
}
