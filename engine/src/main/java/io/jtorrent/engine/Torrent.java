package io.jtorrent.engine;

import io.jtorrent.engine.choke.Choker;
import io.jtorrent.engine.disk.DiskIo;
import io.jtorrent.engine.disk.PieceReadCache;
import io.jtorrent.engine.peer.PeerCandidates;
import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.engine.pieces.PieceRanges;
import io.jtorrent.engine.pieces.SmartBan;
import io.jtorrent.engine.rate.RateLimiter;
import io.jtorrent.engine.rate.RateMeter;
import io.jtorrent.engine.time.Loop;
import io.jtorrent.metainfo.FileEntry;
import io.jtorrent.metainfo.Info;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.storage.FileStorage;
import io.jtorrent.storage.ResumeData;
import io.jtorrent.storage.Storage;
import io.jtorrent.wire.PeerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One torrent: its pieces, peers, picker, choker, storage and tracker. Owned by one event loop:
 * every method but the public handle's entry points runs on it, so nothing here is locked.
 */
final class Torrent implements PeerHost {
    private static final Logger LOG = LoggerFactory.getLogger(Torrent.class);
    private static final long SECOND = 1_000_000_000L;
    private static final long KEEPALIVE_NANOS = 90 * SECOND;
    /** The allowed-fast set we give each fast-extension peer (libtorrent's default size too). */
    /** Set on a channel once its peer joined, so a connection closed before that counts as a failed dial. */
    /** The picker priority of pieces a streaming read waits for: above any file priority. */
    private static final int STREAMING_PRIORITY = 7;

    final Session session;
    final EventLoop loop;
    /** The owning thread, its clock and timers: what the core uses (the Netty loop above is for channels). */
    final Loop owner;
    /** The torrent's metadata: given, or for a magnet link null until peers sent it. */
    volatile Metainfo metainfo;
    Info info;
    final InfoHash infoHash;
    /** Where the data is; changed only by {@link #moveStorage}. */
    volatile Path saveDir;
    private final AddTorrentParams params;
    private PiecePicker picker;
    private byte[] filePriorities;
    private final MetadataExtension metadataExtension;
    private final PexExtension pexExtension;
    private final List<Extension> extensions;
    private final CompletableFuture<Metainfo> metadata = new CompletableFuture<>();
    private final Random random;
    private final RateLimiter uploadLimiter;
    private final RateLimiter downloadLimiter;
    /** One announcer for all tiers (BEP 12), or one per tier when announcing to every tier at once. */
    private final List<TrackerAnnouncer> announcers = new ArrayList<>();
    private int trackerSeeders = -1;
    private int trackerLeechers = -1;
    private int trackerDownloaded = -1;

    private Storage storage;
    private TorrentState state = TorrentState.CHECKING;
    private String error;
    /** The torrent's peers, candidates, dialling and choking. */
    private final PeerSet peerSet;
    private final Set<PeerConnection> peers;
    private final PeerCandidates candidates;
    private PieceReadCache readCache;
    private final List<WebSeed> webSeeds = new ArrayList<>();
    /** The failed copies of pieces not yet verified, for the smart ban once a good copy is. */
    private final SmartBan smartBan = new SmartBan();
    /** Blocks on their way to disk: pieces assembled in memory, back-pressure, who sent what. */
    private final PieceAssembly assembly;
    private final RateMeter downloadMeter = new RateMeter();
    private final RateMeter uploadMeter = new RateMeter();
    private long uploadedBase;
    /** The lifetime totals were read from the resume data (once: a recheck must not add them again). */
    private volatile boolean totalsLoaded;
    private long downloadedBase;
    private long wasted;
    private int hashFailures;
    private int ticks;
    /** Added paused and not resumed since: the check ends in PAUSED. */
    private boolean pausedOnAdd;
    private boolean resumeDirty;
    private boolean savingResume;
    private Loop.Timer ticker;
    private final CompletableFuture<Torrent> checked = new CompletableFuture<>();

    /** The blocks and senders of a piece that failed its hash, to find the culprit when it passes. */

    Torrent(Session session, EventLoop loop, AddTorrentParams params) {
        this.session = session;
        this.loop = loop;
        this.owner = new NettyLoop(loop);
        this.random = new Random(session.seeds.nextLong());
        this.assembly = new PieceAssembly(session.disk, owner, session.settings.writeHighWater, new AssemblyOwner());
        this.peerSet = new PeerSet(this, random);
        this.peers = peerSet.peers();
        this.candidates = peerSet.candidates();
        this.params = params;
        this.infoHash = params.infoHash();
        this.saveDir = params.saveDirectory;
        this.pausedOnAdd = params.paused;
        if (params.metainfo != null) {
            useMetadata(params.metainfo);
        }
        this.metadataExtension = new MetadataExtension(this, params.metainfo == null ? null : params.metainfo.infoBytes());
        this.pexExtension = new PexExtension(this);
        this.extensions = List.of(pexExtension, metadataExtension);
        this.uploadLimiter = new RateLimiter(params.uploadLimit, System::nanoTime);
        this.downloadLimiter = new RateLimiter(params.downloadLimit, System::nanoTime);
        if (session.settings.announceToAllTiers) {
            for (List<String> tier : params.trackerTiers()) {
                announcers.add(new TrackerAnnouncer(this, List.of(tier), announcers.size()));
            }
        } else {
            announcers.add(new TrackerAnnouncer(this, params.trackerTiers()));
        }
        params.peers.forEach(a -> candidates.add(a, true));
    }

    /** The metadata is known (given, or fetched for a magnet link): everything that depends on it. */
    private void useMetadata(Metainfo m) {
        this.info = m.info();
        this.filePriorities = params.filePriorities(info);
        this.picker = new PiecePicker(info.pieceCount(), info.pieceLength(), info.totalLength(), random);
        this.picker.setPriorities(PieceRanges.piecePriorities(info, filePriorities));
        this.picker.setSequential(params.sequential);
        this.readCache = new PieceReadCache(session.disk, loop, info::pieceSize);
        for (String url : params.webSeeds) {
            webSeeds.add(new WebSeed(this, url, settings().webSeedConnections));
        }
        this.metainfo = m;
    }

    @Override
    public boolean hasMetadata() {
        return info != null;
    }

    /** Completes with the metadata: at once for a torrent file, when peers sent it for a magnet link. */
    CompletableFuture<Metainfo> metadata() {
        return metadata;
    }

    // ---- accessors for peers ----

    @Override
    public long now() {
        return owner.nanoTime();
    }

    @Override
    public Settings settings() {
        return session.settings;
    }

    @Override
    public String name() {
        return info != null ? info.name() : params.displayName();
    }

    @Override
    public int pieceCount() {
        return info.pieceCount();
    }

    @Override
    public long pieceSize(int piece) {
        return info.pieceSize(piece);
    }

    @Override
    public int blockLength(PiecePicker.Block b) {
        return picker.blockLength(b);
    }

    @Override
    public boolean havePiece(int piece) {
        return picker != null && picker.have(piece);
    }

    /** Whether we still want the piece (selected, not yet verified). */
    @Override
    public boolean wantPiece(int piece) {
        return picker != null && picker.wanted(piece);
    }

    java.util.BitSet havePieces() {
        return picker == null ? new BitSet() : picker.haveSet();
    }

    /** Files created by a storage of this torrent that has since been closed (the open one knows its own). */
    private final BitSet createdFiles = new BitSet();

    /**
     * The files deleting this torrent's data may delete: those its storage created during this run
     * and those holding at least one verified piece. A file of the same name that was there before
     * and holds none of the torrent's verified data is never among them.
     */
    BitSet ownedFiles() {
        BitSet owned = (BitSet) createdFiles.clone();
        if (storage instanceof FileStorage fs) {
            owned.or(fs.createdFiles());
        }
        if (info != null) {
            owned.or(PieceRanges.filesWithVerifiedData(info, havePieces()));
        }
        return owned;
    }

    private void rememberCreated(Storage s) {
        if (s instanceof FileStorage fs) {
            createdFiles.or(fs.createdFiles());
        }
    }

    @Override
    public boolean diskBackedUp() {
        return assembly.backedUp();
    }

    TorrentState state() {
        return state;
    }

    CompletableFuture<Torrent> checked() {
        return checked;
    }

    // ---- lifecycle ----

    /**
     * Opens the storage, checks the data on disk, then starts transferring. A magnet link's
     * torrent first fetches its metadata from peers, then does the same.
     */
    void start() {
        assert owner.inLoop();
        session.events.post(new SessionEvent.TorrentAdded(infoHash, name()));
        if (!hasMetadata()) {
            if (params.paused) {
                setState(TorrentState.PAUSED);
            } else {
                resumeTransfers();
            }
            checked.complete(this);
            return;
        }
        metadata.complete(metainfo);
        openAndCheck();
    }

    /** Peers sent the info dictionary and it hashes to our info-hash: the download can start. */
    void metadataReceived(byte[] infoBytes) {
        Metainfo m;
        try {
            m = Metainfo.ofInfo(infoBytes, params.magnetTrackers(), params.webSeeds);
        } catch (io.jtorrent.metainfo.MetainfoException e) {
            fail("the metadata peers sent is not a valid torrent: " + e.getMessage());
            metadata.completeExceptionally(e);
            return;
        }
        useMetadata(m);
        LOG.info("{}: metadata received ({} bytes, {} pieces)", name(), infoBytes.length, info.pieceCount());
        session.events.post(new SessionEvent.MetadataReceived(infoHash, name(), infoBytes.length));
        saveTorrentFile(m);
        metadata.complete(m);
        for (PeerConnection p : new ArrayList<>(peers)) {
            try {
                p.metadataArrived();
            } catch (io.jtorrent.wire.PeerProtocolException e) {
                p.close("protocol violation: " + e.getMessage());
            }
        }
        openAndCheck();
    }

    /** Keeps a fetched torrent's metadata next to its resume data, so a restart needs no peers for it. */
    private void saveTorrentFile(Metainfo m) {
        Path file = session.resumeFile(infoHash);
        if (file != null) {
            byte[] bytes = m.toTorrentFile();
            Path torrentFile = file.resolveSibling(infoHash.hex() + ".torrent");
            session.disk.run(() -> {
                ResumeData.writeAtomically(torrentFile, bytes);
                return null;
            }, loop, (v, e) -> {
                if (e != null) {
                    LOG.warn("{}: saving the metadata: {}", name(), e.getMessage());
                }
            });
        }
    }

    private void openAndCheck() {
        openAndCheck(false);
    }

    /**
     * Opens the storage and checks the data (see {@link DataCheck}); {@code ignoreResume}: hash
     * everything (a user's recheck). The storage and the totals are set here, on the loop.
     */
    private void openAndCheck(boolean ignoreResume) {
        setState(TorrentState.CHECKING);
        BitSet wanted = new BitSet();
        for (int i = 0; i < info.files().size(); i++) {
            if (filePriorities == null || filePriorities[i] > 0) {
                wanted.set(i);
            }
        }
        DataCheck.open(session.disk, loop, info, infoHash, saveDir, wanted, session.resumeFile(infoHash), ignoreResume,
                (opened, e) -> {
                    if (e != null) {
                        fail("cannot open the data: " + e.getMessage());
                        checked.completeExceptionally(new IOException(error, e));
                        return;
                    }
                    ResumeData resume = opened.resume();
                    if (resume != null && !totalsLoaded) {
                        uploadedBase = resume.uploaded();
                        downloadedBase = resume.downloaded();
                    }
                    totalsLoaded = true;
                    storage = opened.storage();
                    DataCheck.hash(session.disk, loop, info, storage, opened.trusted(), opened.toHash(),
                            settings().hashThreads * 2, this::checkDone);
                });
    }

    private void checkDone(BitSet have) {
        picker.setHave(have);
        session.events.post(new SessionEvent.TorrentChecked(infoHash, have.cardinality(), info.pieceCount()));
        resumeDirty = true;
        if (params.seedOnly && !picker.complete()) {
            String msg = "the data in " + saveDir.resolve(info.name()) + " is incomplete: " + have.cardinality()
                    + " of " + info.pieceCount() + " pieces present and correct";
            fail(msg);
            checked.completeExceptionally(new IOException(msg));
            return;
        }
        if (pausedOnAdd) {
            setState(TorrentState.PAUSED);
        } else {
            resumeTransfers();
        }
        checked.complete(this);
    }

    private void resumeTransfers() {
        setState(!hasMetadata() ? TorrentState.FETCHING_METADATA
                : picker.complete() ? TorrentState.SEEDING : TorrentState.DOWNLOADING);
        announcers.forEach(TrackerAnnouncer::start);
        if (hasMetadata()) {
            // peers that joined while the metadata was fetched or checked: what we have, and interest
            BitSet have = picker.haveSet();
            for (PeerConnection p : new ArrayList<>(peers)) {
                for (int i = have.nextSetBit(0); i >= 0; i = have.nextSetBit(i + 1)) {
                    p.send(new PeerMessage.Have(i));
                }
                peerSet.recomputeInterest(p);
                peerSet.closeIfBothSeeds(p);
            }
        }
        if (session.dht != null && !isPrivate()) {
            // the torrent's own DHT nodes, looked up off the loop; the first lookup waits for them and
            // for the session's bootstrap: started before the routing table has anyone, it would find nothing
            List<Metainfo.Node> own = metainfo == null ? List.of() : metainfo.nodes();
            CompletableFuture<?> ready = own.isEmpty() ? session.dhtReady
                    : session.tracker.resolver().resolveEach(own, Metainfo.Node::host, Metainfo.Node::port).thenCompose(nodes ->
                            CompletableFuture.allOf(session.dhtReady, nodes.isEmpty() ? CompletableFuture.completedFuture(null)
                                    : session.dht.bootstrap(nodes).handle((l, e) -> null)));
            ready.whenComplete((l, e) -> loop.execute(this::dhtAnnounce));
        }
        if (ticker == null) {
            ticker = owner.scheduleEvery(this::tick, TimeUnit.SECONDS.toNanos(1));
        }
        peerSet.connect();
        webSeeds.forEach(w -> w.tick(now()));
        if (!isPrivate()) {
            session.announceLocally(infoHash);
        }
    }

    private void setState(TorrentState s) {
        if (s != state) {
            state = s;
            session.events.post(new SessionEvent.StateChanged(infoHash, s));
        }
    }

    /** Transferring or looking for metadata: connected to peers, announcing. */
    boolean active() {
        return state == TorrentState.DOWNLOADING || state == TorrentState.SEEDING || state == TorrentState.FETCHING_METADATA;
    }

    /** Private torrents (BEP 27) get peers from their trackers only; unknown before the metadata. */
    boolean isPrivate() {
        return info != null && info.isPrivate();
    }

    boolean pexAllowed() {
        return settings().pex && !isPrivate();
    }

    void pause() {
        if (active()) {
            stopTransfers(true);
            setState(TorrentState.PAUSED);
            saveResume(() -> { }); // flushes the data first
        }
    }

    /**
     * Starts transfers again. From an error (a full disk, say) the data is opened and checked
     * anew first: what was verified before is found again, and nothing unverified counts.
     */
    void resume() {
        pausedOnAdd = false;
        if (state == TorrentState.PAUSED) {
            resumeTransfers();
        } else if (state == TorrentState.ERROR && hasMetadata() && picker != null) {
            LOG.info("{}: restarting after the error: {}", name(), error);
            error = null;
            closeStorageThen(() -> null, (v, e) -> openAndCheck(false));
        }
    }

    /** Disconnects, announces stopped, flushes data and resume state; the future ends when that is done. */
    CompletableFuture<Void> stop() {
        assert owner.inLoop();
        boolean wasActive = active();
        CompletableFuture<Void> announced = stopTransfers(wasActive);
        if (state != TorrentState.ERROR) {
            setState(TorrentState.STOPPED);
        }
        CompletableFuture<Void> saved = new CompletableFuture<>();
        if (storage == null) {
            saved.complete(null);
        } else {
            rememberCreated(storage);
            Storage s = storage;
            // closing flushes (fsync): on a disk thread, never on the loop
            saveResume(() -> session.disk.run(() -> {
                s.close();
                return null;
            }, loop, (v, e) -> {
                if (e != null) {
                    LOG.warn("{}: closing storage: {}", name(), e.getMessage());
                }
                saved.complete(null);
            }));
        }
        return CompletableFuture.allOf(announced, saved);
    }

    private CompletableFuture<Void> stopTransfers(boolean announceStopped) {
        if (ticker != null) {
            ticker.cancel();
            ticker = null;
        }
        for (PeerConnection p : new ArrayList<>(peers)) {
            p.close("torrent stopped");
        }
        if (picker != null) {
            assembly.dropAll(picker::pieceFailed); // unfinished pieces: fetched again when transfers resume
        }
        webSeeds.forEach(WebSeed::stop);
        if (readCache != null) {
            readCache.clear();
        }
        return announceStopped
                ? CompletableFuture.allOf(announcers.stream().map(TrackerAnnouncer::stop).toArray(CompletableFuture[]::new))
                : CompletableFuture.completedFuture(null);
    }

    /** A disk error: the torrent stops with the error; the session and other torrents go on. */
    @Override
    public void storageError(String message) {
        if (state == TorrentState.ERROR) {
            return;
        }
        LOG.warn("{}: storage error: {}", name(), message);
        session.events.post(new SessionEvent.StorageError(infoHash, message));
        fail(message);
    }

    private void fail(String message) {
        error = message;
        stopTransfers(false);
        setState(TorrentState.ERROR);
    }

    // ---- the once-a-second tick ----

    private void tick() {
        ticks++;
        long now = now();
        downloadMeter.tick();
        uploadMeter.tick();
        long timeout = settings().requestTimeout.toNanos();
        long inactivity = settings().inactivityTimeout.toNanos();
        for (PeerConnection p : new ArrayList<>(peers)) {
            p.downloadMeter.tick();
            p.uploadMeter.tick();
            p.adjustQueue();
            p.checkRequests(now, timeout);
            if (now - p.lastReceived > inactivity) {
                p.close("inactive for " + settings().inactivityTimeout.toSeconds() + " s");
            } else if (now - p.lastSent > KEEPALIVE_NANOS) {
                p.send(PeerMessage.KeepAlive.INSTANCE);
            }
            p.requestMore();
        }
        if (ticks % Choker.INTERVAL_SECONDS == 0) {
            peerSet.rechoke(ticks % Choker.OPTIMISTIC_SECONDS == 0);
        }
        peerSet.connect();
        for (Extension x : extensions) {
            x.tick(now);
        }
        for (WebSeed w : webSeeds) {
            w.tick(now);
        }
        announcers.forEach(a -> a.tick(now));
        // the DHT as a peer source (BEP 5): when the last lookup says (see dhtAnnounce)
        if (session.dht != null && !isPrivate() && ticks >= nextDhtLookup) {
            dhtAnnounce();
        }
        // Local Service Discovery (BEP 14): every 5 minutes, never for private torrents
        if (ticks % 300 == 0 && !isPrivate()) {
            session.announceLocally(infoHash);
        }
        if (resumeDirty && ticks % Math.max(1, settings().resumeInterval.toSeconds()) == 0) {
            saveResume(() -> { });
        }
    }

    // ---- peers (see PeerSet) ----

    void addCandidates(List<InetSocketAddress> addresses, boolean manual) {
        peerSet.addCandidates(addresses, manual);
    }

    String admit(byte[] peerId, InetSocketAddress address, boolean outgoing) {
        return peerSet.admit(peerId, address, outgoing);
    }

    void peerJoined(PeerConnection p) {
        peerSet.joined(p);
    }

    @Override
    public void peerClosed(PeerConnection p, String reason) {
        peerSet.closed(p, reason);
    }

    @Override
    public void peerHasPieces(PeerConnection p, BitSet pieces) {
        peerSet.hasPieces(p, pieces);
    }

    @Override
    public void peerHasPiece(PeerConnection p, int piece) {
        peerSet.hasPiece(p, piece);
    }

    @Override
    public void peerInterestChanged(PeerConnection p) {
        peerSet.interestChanged(p);
    }

    @Override
    public Loop owner() {
        return owner;
    }

    @Override
    public io.jtorrent.wire.Handshake ourHandshake() {
        return session.handshakeFor(infoHash);
    }

    PiecePicker picker() {
        return picker;
    }

    void extensionsPeerClosed(PeerConnection p) {
        for (Extension x : extensions) {
            x.peerClosed(p);
        }
    }

    // ---- downloading ----

    /** Blocks to request from {@code p}, of pieces in {@code from} (what it has, or may give while choking). */
    @Override
    public List<PiecePicker.Block> pick(PeerConnection p, BitSet from, int max) {
        if (state != TorrentState.DOWNLOADING) {
            return List.of();
        }
        return picker.pick(from, max, p);
    }

    // ---- extension protocol (BEP 10) ----

    /** The extension peers send messages to us under {@code id}, if we offer it. */
    @Override
    public Extension extension(int id) {
        for (Extension x : extensions) {
            if (x.id() == id && x.enabled()) {
                return x;
            }
        }
        return null;
    }

    io.jtorrent.wire.ExtendedHandshake ourExtendedHandshake(PeerConnection p) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Extension x : extensions) {
            if (x.enabled()) {
                m.put(x.name(), x.id());
            }
        }
        return new io.jtorrent.wire.ExtendedHandshake(m, Optional.of(settings().userAgent), session.listenPort(),
                settings().maxIncomingRequests, Optional.of(p.address.getAddress().getAddress()),
                metadataExtension.metadataSize(), state == TorrentState.SEEDING);
    }

    @Override
    public void extendedHandshake(PeerConnection p, io.jtorrent.wire.ExtendedHandshake h) {
        if (h.uploadOnly() && state == TorrentState.SEEDING) {
            p.close("both only upload");
            return;
        }
        for (Extension x : extensions) {
            if (x.enabled()) {
                x.peerHandshake(p, h);
            }
        }
    }

    /** Gives a block back to the picker: {@code requester} (a peer or a web seed's connection) will not deliver it. */
    @Override
    public void unrequest(Object requester, PiecePicker.Block b) {
        picker.unrequest(b, requester);
    }

    /** Blocks for one connection of a web seed (which has every piece). */
    List<PiecePicker.Block> pickForWebSeed(WebSeed.Worker worker, BitSet all, int max) {
        if (state != TorrentState.DOWNLOADING) {
            return List.of();
        }
        return picker.pick(all, max, worker);
    }

    /** A block arrived; this takes ownership of its data. */
    /** A block no one asked for, dropped: counted as waste. */
    @Override
    public void unrequestedBlock(int length) {
        wasted += length;
    }

    @Override
    public void blockReceived(Object from, PiecePicker.Block block, PeerMessage.Piece data, boolean requested) {
        List<Object> others = new ArrayList<>();
        PiecePicker.Received r = picker.received(block, from, others);
        if (r == PiecePicker.Received.UNWANTED || storage == null) {
            wasted += data.length();
            data.release();
            return;
        }
        for (Object o : others) {
            if (o instanceof PeerConnection p) {
                p.cancel(block); // a web seed's request is not cancelled: its range is shared with other blocks
            }
        }
        downloadMeter.add(data.length());
        assembly.add(storage, info, block, picker.blocksIn(block.piece()), from, data, r == PiecePicker.Received.PIECE_COMPLETE);
    }

    /** The assembly's reports: back-pressure, hashed pieces, write errors. */
    private final class AssemblyOwner implements PieceAssembly.Owner {
        @Override
        public void backPressure(boolean backedUp) {
            peers.forEach(PeerConnection::updateAutoRead);
        }

        @Override
        public void hashed(int piece, DiskIo.PieceHash r, Object[] senders) {
            Torrent.this.hashed(piece, r, senders);
        }

        @Override
        public void storageError(String message) {
            Torrent.this.storageError(message);
        }
    }

    private void hashed(int piece, DiskIo.PieceHash r, Object[] senders) {
        if (state == TorrentState.ERROR || state == TorrentState.STOPPED) {
            return;
        }
        if (r.error() != null) {
            storageError("piece " + piece + ": " + r.error().getMessage());
            return;
        }
        if (info.pieceHashEquals(piece, r.sha1())) {
            pieceVerified(piece, r.blockCrcs());
        } else {
            pieceFailed(piece, r.blockCrcs(), senders);
        }
    }

    private void pieceVerified(int piece, int[] crcs) {
        picker.pieceVerified(piece);
        resumeDirty = true;
        // smart ban: whoever sent a block that differs from the good one sent bad data
        for (Object culprit : smartBan.pieceVerified(piece, crcs)) {
            if (culprit instanceof PeerConnection p) {
                ban(p, "sent corrupt data in piece " + piece);
            } else if (culprit instanceof WebSeed.Worker w) {
                w.seed().drop("sent corrupt data in piece " + piece);
            }
        }
        session.events.post(new SessionEvent.PieceFinished(infoHash, piece));
        serveWaitingReads();
        PeerMessage.Have have = new PeerMessage.Have(piece);
        for (PeerConnection p : new ArrayList<>(peers)) {
            if (!p.has.get(piece)) {
                p.send(have);
            }
            if (p.amInterested && !picker.interesting(p.has)) {
                p.setInterested(false);
            }
        }
        if (state == TorrentState.DOWNLOADING && picker.complete()) {
            finished();
        }
    }

    private void pieceFailed(int piece, int[] crcs, Object[] senders) {
        hashFailures++;
        wasted += info.pieceSize(piece);
        Set<Object> contributors = picker.pieceFailed(piece);
        if (senders != null) {
            smartBan.pieceFailed(piece, crcs, senders);
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (Object o : contributors) {
            if (o instanceof WebSeed.Worker w) {
                w.seed().sentBadData(piece, contributors.size() == 1);
                continue;
            }
            PeerConnection p = (PeerConnection) o;
            addresses.add(p.address);
            // only a sole source is known to be guilty now; with several, the smart ban pins the
            // bad blocks to their senders once a good copy verifies (a liar cannot get honest
            // co-contributors struck)
            if (contributors.size() == 1) {
                p.strikes++;
                ban(p, "sole source of a piece that failed its hash check");
            }
        }
        LOG.info("{}: piece {} failed its hash check (from {})", name(), piece, addresses);
        session.events.post(new SessionEvent.HashFailed(infoHash, piece, addresses));
        for (PeerConnection p : peers) {
            p.requestMore();
        }
    }

    void ban(PeerConnection p, String reason) {
        if (candidates.ban(p.address, p.peerId, !p.outgoing)) {
            LOG.info("{}: banned {}: {}", name(), p, reason);
            session.events.post(new SessionEvent.PeerBanned(infoHash, p.address, reason));
        }
        p.close("banned: " + reason);
    }

    private void finished() {
        setState(TorrentState.SEEDING);
        session.events.post(new SessionEvent.TorrentFinished(infoHash));
        announcers.forEach(TrackerAnnouncer::completed);
        saveResume(() -> { });
        for (PeerConnection p : new ArrayList<>(peers)) {
            peerSet.closeIfBothSeeds(p);
        }
    }

    // ---- uploading ----

    @Override
    public void readBlock(PeerMessage.Request r, BiConsumer<ByteBuf, IOException> done) {
        readCache.read(storage, r, done);
    }

    @Override
    public long uploadDelay() {
        return Math.max(uploadLimiter.delay(), session.uploadLimiter.delay());
    }

    @Override
    public void consumeUpload(long bytes) {
        uploadLimiter.consume(bytes);
        session.uploadLimiter.consume(bytes);
    }

    @Override
    public void uploaded(long bytes) {
        uploadMeter.add(bytes);
        resumeDirty = true;
    }

    @Override
    public long consumeDownload(long bytes) {
        return Math.max(downloadLimiter.consume(bytes), session.downloadLimiter.consume(bytes));
    }

    void setLimits(long upload, long download) {
        uploadLimiter.setRate(upload);
        downloadLimiter.setRate(download);
    }

    // ---- resume ----

    /** Flushes the data, then records the verified pieces; never claims a piece before its data is durable. */
    private void saveResume(Runnable then) {
        Path file = session.resumeFile(infoHash);
        if (file == null || storage == null || savingResume) {
            if (storage != null && file == null) {
                session.disk.run(() -> {
                    storage.flush();
                    return null;
                }, loop, (v, e) -> then.run());
            } else {
                then.run();
            }
            return;
        }
        savingResume = true;
        resumeDirty = false;
        BitSet verified = picker.haveSet();
        long up = uploadedBase + uploadMeter.total();
        long down = downloadedBase + downloadMeter.total();
        Storage s = storage;
        session.disk.run(() -> {
            s.flush();
            ResumeData data = ResumeData.capture(infoHash, info, saveDir, verified, up, down);
            ResumeData.writeAtomically(file, data.encode(info.pieceCount()));
            return null;
        }, loop, (v, e) -> {
            savingResume = false;
            if (e != null) {
                LOG.warn("{}: saving resume data: {}", name(), e.getMessage());
            }
            then.run();
        });
    }

    // ---- DHT ----

    /** The tick at which the next DHT lookup runs; none while one is under way. */
    private long nextDhtLookup = Long.MAX_VALUE;
    /** DHT lookups in a row that found no peer. */
    private int emptyDhtLookups;

    /**
     * Looks up peers in the DHT and announces ourselves to the nodes closest to the info-hash.
     * A lookup that finds nobody is tried again soon, backing off (5, 10, 20, 40 s, then every
     * minute); one that finds peers, every minute while downloading and every 15 minutes seeding.
     */
    private void dhtAnnounce() {
        if (!active()) {
            return;
        }
        nextDhtLookup = Long.MAX_VALUE;
        session.dht.announce(io.jtorrent.dht.NodeId.of(infoHash.truncated20()), session.listenPort())
                .whenComplete((lookup, e) -> loop.execute(() -> {
                    boolean found = lookup != null && !lookup.peers().isEmpty();
                    if (found) {
                        addCandidates(lookup.peers(), false);
                    }
                    emptyDhtLookups = found ? 0 : emptyDhtLookups + 1;
                    long delay = found ? (state == TorrentState.SEEDING ? 900 : 60)
                            : Math.min(60, 5L << Math.min(4, emptyDhtLookups - 1));
                    nextDhtLookup = ticks + delay;
                }));
    }

    /** A peer on the local network announced this torrent (BEP 14). */
    void localPeer(InetSocketAddress peer) {
        if (active() && !isPrivate()) {
            addCandidates(List.of(peer), false); // our own address is recognised by peer id when dialled
        }
    }

    /** A peer told us of its DHT node (the {@code port} message). */
    @Override
    public void dhtNode(InetSocketAddress node) {
        if (session.dht != null) {
            session.dht.addNode(node);
        }
    }

    // ---- tracker ----

    /** The swarm as a tracker sees it (the latest answer; -1 for what it did not say). */
    void trackerCounts(int seeders, int leechers, int downloaded) {
        trackerSeeders = seeders;
        trackerLeechers = leechers;
        if (downloaded >= 0) {
            trackerDownloaded = downloaded;
        }
    }

    /** Bytes still wanted, for trackers; before a magnet's metadata, one metadata piece's worth (unknown but not zero). */
    long bytesLeft() {
        return picker == null ? 16 * 1024 : picker.bytesLeft();
    }

    long uploadedTotal() {
        return uploadMeter.total();
    }

    long downloadedTotal() {
        return downloadMeter.total();
    }

    // ---- status ----

    TorrentStatus status() {
        long wantedBytes = 0;
        long doneBytes = 0;
        int pieceCount = info == null ? 0 : info.pieceCount();
        for (int i = 0; i < pieceCount; i++) {
            if (picker.priority(i) > 0) {
                wantedBytes += info.pieceSize(i);
                if (picker.have(i)) {
                    doneBytes += info.pieceSize(i);
                }
            }
        }
        int seeds = 0;
        int sending = 0;
        int getting = 0;
        long wireReceived = peerSet.closedWireReceived();
        long wireSent = peerSet.closedWireSent();
        for (PeerConnection p : peers) {
            if (p.isSeed()) {
                seeds++;
            }
            if (p.downloadMeter.rate() > 0) {
                sending++;
            }
            if (p.uploadMeter.rate() > 0) {
                getting++;
            }
            wireReceived += p.transport.wireReceived();
            wireSent += p.transport.wireSent();
        }
        double progress = info == null ? 0 : wantedBytes == 0 ? 1 : (double) doneBytes / wantedBytes;
        return new TorrentStatus(infoHash, name(), state, progress,
                wantedBytes, doneBytes, downloadMeter.rate(), uploadMeter.rate(), peers.size(), seeds,
                picker == null ? 0 : picker.haveCount(), pieceCount, uploadedBase + uploadMeter.total(),
                downloadedBase + downloadMeter.total(), wasted, hashFailures, wireReceived, wireSent,
                trackerSeeders, trackerLeechers, trackerDownloaded, Optional.ofNullable(error), sending, getting,
                (int) webSeeds.stream().filter(WebSeed::busy).count(), uploadMeter.total(), downloadMeter.total());
    }

    List<PeerConnection> peers() {
        return new ArrayList<>(peers);
    }

    List<WebSeed> webSeeds() {
        return List.copyOf(webSeeds);
    }

    long pendingWriteBytes() {
        return assembly.pendingWriteBytes();
    }

    // ---- for programs that show a torrent in detail (the daemon) ----

    List<PeerInfo> peerInfos() {
        List<PeerInfo> out = new ArrayList<>();
        int n = info == null ? 1 : Math.max(1, info.pieceCount());
        for (PeerConnection p : peers) {
            out.add(new PeerInfo(p.address, p.client, p.downloadMeter.rate(), p.uploadMeter.rate(),
                    info == null ? 0 : Math.min(1.0, (double) p.has.cardinality() / n), p.amChoking, p.amInterested,
                    p.peerChoking, p.peerInterested, p.outgoing));
        }
        return out;
    }

    List<TrackerInfo> trackerInfos() {
        List<TrackerInfo> out = new ArrayList<>();
        announcers.forEach(a -> out.addAll(a.info()));
        return out;
    }

    void reannounce() {
        announcers.forEach(TrackerAnnouncer::reannounce);
        if (session.dht != null && !isPrivate()) {
            dhtAnnounce();
        }
    }

    /** Verified bytes of each file. */
    long[] fileProgress() {
        return info == null ? new long[0] : PieceRanges.fileProgress(info, picker.haveSet());
    }

    PieceMap pieceMap() {
        if (info == null) {
            return new PieceMap(0, new BitSet(), new BitSet(), new int[0]);
        }
        int[] availability = new int[info.pieceCount()];
        for (int i = 0; i < availability.length; i++) {
            availability[i] = picker.availability(i);
        }
        return new PieceMap(info.pieceCount(), picker.haveSet(), picker.partialPieces(), availability);
    }

    /** Checks the data again from scratch (resume data not trusted), then goes on as before. */
    void recheck() {
        if (info == null || state == TorrentState.CHECKING) {
            return;
        }
        closeStorageThen(() -> null, (v, e) -> openAndCheck(true));
    }

    /**
     * Stops transferring and closes the storage, runs {@code onDisk} on a disk thread, then
     * {@code then} on the loop (which reopens and checks the data; a paused torrent stays paused).
     */
    private void closeStorageThen(java.util.concurrent.Callable<Void> onDisk, BiConsumer<Void, IOException> then) {
        boolean wasPaused = state == TorrentState.PAUSED;
        stopTransfers(false);
        pausedOnAdd = wasPaused;
        Storage old = storage;
        rememberCreated(old);
        storage = null;
        session.disk.run(() -> {
            if (old != null) {
                old.close();
            }
            return onDisk.call();
        }, loop, then);
    }

    /**
     * New per-file priorities (0 skip, 1 normal, 2 high). When the set of skipped files changes,
     * the storage is reopened and checked again (the data of a file becoming wanted may sit in
     * the part file, or nowhere yet); otherwise only the picker changes.
     */
    void setFilePriorities(byte[] priorities) {
        if (info == null || priorities.length != info.files().size()) {
            throw new IllegalArgumentException("one priority per file: " + (info == null ? 0 : info.files().size())
                    + " expected, " + priorities.length + " given");
        }
        boolean wantedChanged = false;
        for (int i = 0; i < priorities.length; i++) {
            boolean was = filePriorities == null || filePriorities[i] > 0;
            wantedChanged |= was != (priorities[i] > 0);
        }
        filePriorities = priorities.clone();
        picker.setPriorities(PieceRanges.piecePriorities(info, filePriorities));
        if (wantedChanged && state != TorrentState.CHECKING && storage != null) {
            closeStorageThen(() -> null, (v, e) -> openAndCheck(false));
        } else if (state == TorrentState.SEEDING && !picker.complete()) {
            setState(TorrentState.DOWNLOADING);
        } else if (state == TorrentState.DOWNLOADING && picker.complete()) {
            finished();
        }
        for (PeerConnection p : peers) {
            peerSet.recomputeInterest(p);
        }
    }

    /**
     * Moves the data to {@code dir} (or, with {@code move} false, just looks for it there), then
     * checks it and goes on as before.
     */
    CompletableFuture<Void> moveStorage(Path dir, boolean move) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (info == null) {
            saveDir = dir;
            done.complete(null);
            return done;
        }
        Path from = saveDir;
        closeStorageThen(() -> {
            if (move && !from.equals(dir)) {
                for (FileEntry f : info.files()) {
                    Path src = f.resolveIn(from);
                    if (java.nio.file.Files.exists(src)) {
                        Path dst = f.resolveIn(dir);
                        java.nio.file.Files.createDirectories(dst.getParent());
                        java.nio.file.Files.move(src, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Path parts = FileStorage.partFile(info, from);
                if (java.nio.file.Files.exists(parts)) {
                    java.nio.file.Files.createDirectories(dir);
                    java.nio.file.Files.move(parts, dir.resolve(parts.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return null;
        }, (v, e) -> {
            if (e != null) {
                storageError("moving the data to " + dir + ": " + e.getMessage());
                done.completeExceptionally(e);
                return;
            }
            saveDir = dir;
            openAndCheck(false);
            done.complete(null);
        });
        return done;
    }

    // ---- reading ranges (streaming) ----

    private RangeReads rangeReads;

    /**
     * Torrent bytes [offset, offset + length), once every piece under them is verified; those
     * pieces are fetched before any other (the highest priority, in order).
     */
    CompletableFuture<byte[]> readRange(long offset, int length) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        if (info == null) {
            result.completeExceptionally(new IllegalStateException("no metadata yet"));
            return result;
        }
        if (offset < 0 || length <= 0 || offset + length > info.totalLength()) {
            result.completeExceptionally(new IllegalArgumentException("range " + offset + "+" + length + " outside the torrent"));
            return result;
        }
        if (rangeReads == null) {
            rangeReads = new RangeReads(info, session.disk, owner, i -> picker.have(i), () -> storage);
        }
        if (!rangeReads.read(offset, length, result)) {
            byte[] p = new byte[info.pieceCount()];
            for (int i = 0; i < p.length; i++) {
                p[i] = (byte) picker.priority(i);
            }
            for (int i = PieceRanges.firstPiece(info, offset); i <= PieceRanges.lastPiece(info, offset, length); i++) {
                p[i] = (byte) Math.max(p[i], STREAMING_PRIORITY);
            }
            picker.setPriorities(p);
            if (state == TorrentState.SEEDING) {
                setState(TorrentState.DOWNLOADING); // a skipped file's pieces asked for
            }
            for (PeerConnection peer : peers) {
                peerSet.recomputeInterest(peer);
                peer.requestMore();
            }
        }
        return result;
    }

    private void serveWaitingReads() {
        if (rangeReads != null) {
            rangeReads.pieceVerified();
        }
    }
}
