package io.jtorrent.engine.torrent;

import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.SessionEvent;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.TorrentState;
import io.jtorrent.engine.choke.Choker;
import io.jtorrent.engine.discovery.DhtAnnouncer;
import io.jtorrent.engine.discovery.TrackerAnnouncer;
import io.jtorrent.engine.ext.Extensions;
import io.jtorrent.engine.peer.PeerHost;
import io.jtorrent.engine.peer.PeerSet;
import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.engine.pieces.BlockSource;
import io.jtorrent.engine.pieces.PieceRanges;
import io.jtorrent.engine.time.Loop;
import io.jtorrent.engine.webseed.WebSeed;
import io.jtorrent.metainfo.Info;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.MetainfoException;
import io.jtorrent.storage.Storage;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One torrent: its state machine (checking, fetching metadata, downloading, seeding, paused,
 * stopped, error), metadata arrival, and the once-a-second tick that drives the rooms it is made
 * of: the peer set, the picker and choker, the data path ({@link Transfers}), web seeds, trackers,
 * the DHT and the extensions. What those rooms ask of the torrent, {@link RoomHost} answers.
 * Owned by one loop: every method but those of {@link io.jtorrent.engine.TorrentHandle}'s
 * dispatch runs on it, so nothing here is locked. Internal: programs use the handle.
 */
public final class Torrent {
    private static final Logger LOG = LoggerFactory.getLogger(Torrent.class);

    final TorrentServices services;
    /** The owning thread, its clock and timers. */
    final Loop owner;
    /** The Netty loop under the owner, for web seeds' connections; null where there is none (a simulation). */
    final EventLoop eventLoop;
    final AddTorrentParams params;
    final InfoHash infoHash;
    private final TorrentViews views = new TorrentViews(this);
    /** The torrent's metadata (given, or for a magnet link null until peers sent it) and its layout, renames applied. */
    volatile Metainfo metainfo;
    Info info;
    /** Where the data is; changed only by a storage move. */
    volatile Path saveDir;
    PiecePicker<BlockSource> picker;
    byte[] filePriorities;
    private final CompletableFuture<Metainfo> metadata = new CompletableFuture<>();
    private final Random random;
    /** What the rooms ask of the torrent. */
    final RoomHost host = new RoomHost(this);
    final Extensions extensions;
    /** BEP 52 hash messages: serving our piece layers, fetching a v2 magnet's. */
    final io.jtorrent.engine.peer.MerkleHashes merkleHashes = new io.jtorrent.engine.peer.MerkleHashes(host);
    /** One announcer for all tiers (BEP 12), or one per tier when announcing to every tier at once. */
    final List<TrackerAnnouncer> announcers = new ArrayList<>();
    /** One per swarm the torrent is in: v1, v2 (truncated), or both for a hybrid. */
    private final List<DhtAnnouncer> dhtAnnouncers = new ArrayList<>();
    int trackerSeeders = -1, trackerLeechers = -1, trackerDownloaded = -1;
    /** This torrent's peer limit (Transmission's per-torrent peer-limit); 0: the session's. */
    int maxPeers;
    Storage storage;
    TorrentState state = TorrentState.CHECKING;
    String error;
    final PeerSet peerSet;
    final List<WebSeed> webSeeds = new ArrayList<>();
    /** Blocks in and out: picking, assembly, hash verdicts, the smart ban, uploads, limits and meters. */
    final Transfers transfers;
    final ResumeSaver resume = new ResumeSaver(this);
    final StorageControl storageControl = new StorageControl(this);
    final Streaming streaming = new Streaming(this);
    private int ticks;
    /** While checking: the fraction of the pieces to hash that are hashed. */
    double checkProgress;
    /** Added or paused by the user and not resumed since: a check, running or to come, ends in PAUSED. */
    boolean pauseAfterCheck;
    private Loop.Timer ticker;
    private final CompletableFuture<Torrent> checked = new CompletableFuture<>();

    public Torrent(TorrentServices services, Loop owner, EventLoop eventLoop, AddTorrentParams params) {
        this.services = services;
        this.owner = owner;
        this.eventLoop = eventLoop;
        this.params = params;
        this.random = new Random(services.nextSeed());
        this.transfers = new Transfers(this, params.uploadLimit(), params.downloadLimit());
        this.peerSet = new PeerSet(host, random);
        this.infoHash = params.infoHash();
        this.saveDir = params.saveDirectory();
        this.pauseAfterCheck = params.paused();
        if (params.metainfo() != null) {
            useMetadata(params.metainfo());
        }
        this.extensions = Extensions.standard(host, params.metainfo() == null ? null : params.metainfo().infoBytes());
        announcers.addAll(TrackerEdits.announcers(host, settings(), params.trackerTiers()));
        if (services.dht() != null) {
            params.swarmHashes().forEach(h -> dhtAnnouncers.add(new DhtAnnouncer(host, services.dht(), h)));
        }
        params.peers().forEach(a -> peerSet.candidates().add(a, true));
    }

    /** The metadata is known (given, or fetched for a magnet link): everything that depends on it. */
    private void useMetadata(Metainfo m) {
        this.info = m.info();
        this.filePriorities = params.filePriorities(info);
        this.picker = new PiecePicker<>(info.pieceCount(), info.pieceLength(), info.totalLength(), random);
        this.picker.setPriorities(PieceRanges.piecePriorities(info, filePriorities));
        this.picker.setSequential(transfers.sequential(params.sequential()));
        transfers.metadataKnown();
        for (String url : params.webSeeds()) {
            webSeeds.add(new WebSeed(host, info, url, settings().webSeedConnections)); // web seeds name files as the torrent does
        }
        this.metainfo = StorageControl.withRenames(m, params.renames());
        this.info = metainfo.info();
    }

    // ---- what the handle and the session see ----

    public InfoHash infoHash() {
        return infoHash;
    }

    public Metainfo metainfo() {
        return metainfo;
    }

    public Path saveDirectory() {
        return saveDir;
    }

    public Loop owner() {
        return owner;
    }

    public PeerSet peerSet() {
        return peerSet;
    }

    /** Completes with the metadata: at once for a torrent file, when peers sent it for a magnet link. */
    public CompletableFuture<Metainfo> metadata() {
        return metadata;
    }

    /** Completes once the data is checked and transfers started (or failed to). */
    public CompletableFuture<Torrent> checked() {
        return checked;
    }

    public TorrentState state() {
        return state;
    }

    /** Replaces the trackers: see {@link io.jtorrent.engine.TorrentHandle#setTrackers}. */
    public void replaceTrackers(List<List<String>> tiers) {
        TrackerEdits.replace(this, tiers);
    }

    /** Views for programs that show the torrent (status, peers, trackers, files, pieces); one per torrent (it keeps counts). */
    public TorrentViews views() {
        return views;
    }

    /** Opening and checking the data; recheck, file priorities and storage moves. */
    public StorageControl storageControl() {
        return storageControl;
    }

    /** Reading byte ranges while downloading (streaming). */
    public Streaming streaming() {
        return streaming;
    }

    /** The peers' host: what the handshake gives each new peer. */
    public PeerHost peerHost() {
        return host;
    }

    public long pendingWriteBytes() {
        return transfers.assembly.pendingWriteBytes();
    }

    public void setLimits(long upload, long download) {
        transfers.uploadLimiter.setRate(upload);
        transfers.downloadLimiter.setRate(download);
    }

    // ---- lifecycle ----

    /** Opens the storage, checks the data, then transfers; a magnet link's torrent fetches its metadata first. */
    public void start() {
        assert owner.inLoop();
        post(new SessionEvent.TorrentAdded(infoHash, name()));
        if (!hasMetadata()) {
            if (params.paused()) {
                setState(TorrentState.PAUSED);
            } else {
                resumeTransfers();
            }
            checked.complete(this);
            return;
        }
        metadata.complete(metainfo);
        storageControl.check(false);
    }

    /** Peers sent the info dictionary and it hashes to our info-hash: the download can start. */
    void metadataReceived(byte[] infoBytes) {
        Metainfo m;
        try {
            m = Metainfo.ofInfo(infoBytes, params.magnetTrackers(), params.webSeeds());
        } catch (MetainfoException e) {
            fail("the metadata peers sent is not a valid torrent: " + e.getMessage());
            metadata.completeExceptionally(e);
            return;
        }
        if (!m.info().hasV1() && !m.hasAllPieceLayers()) {
            merkleHashes.fetch(m, peerSet.snapshot()); // a v2 magnet: its piece layers come from peers, then metadataComplete
        } else {
            metadataComplete(m);
        }
    }

    /** The metadata and, for v2, every piece layer are in: the download can start. */
    void metadataComplete(Metainfo m) {
        useMetadata(m);
        LOG.info("{}: metadata received ({} bytes, {} pieces)", name(), m.infoBytes().length, info.pieceCount());
        post(new SessionEvent.MetadataReceived(infoHash, name(), m.infoBytes().length));
        resume.saveTorrentFile(m);
        metadata.complete(m);
        peerSet.metadataArrived();
        storageControl.check(false);
    }

    void resumeTransfers() {
        setState(!hasMetadata() ? TorrentState.FETCHING_METADATA
                : picker.complete() ? TorrentState.SEEDING : TorrentState.DOWNLOADING);
        announcers.forEach(TrackerAnnouncer::start);
        if (hasMetadata()) {
            peerSet.announceHave(picker.haveSet()); // peers that joined while the metadata was fetched or checked
        }
        if (!dhtAnnouncers.isEmpty() && !isPrivate()) {
            List<Metainfo.Node> own = metainfo == null ? List.of() : metainfo.nodes();
            CompletableFuture<Void> ready = services.dht().ready(own);
            dhtAnnouncers.forEach(a -> a.startWhen(ready));
        }
        if (ticker == null) {
            ticker = owner.scheduleEvery(this::tick, TimeUnit.SECONDS.toNanos(1));
        }
        peerSet.connect();
        webSeeds.forEach(w -> w.tick(now()));
        if (!isPrivate()) {
            services.announceLocally(infoHash);
        }
    }

    void setState(TorrentState s) {
        if (s != state) {
            state = s;
            post(new SessionEvent.StateChanged(infoHash, s));
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

    public void pause() {
        // while the data is checked (a recheck, a file now wanted): the check goes on and then the
        // torrent waits paused (a pause here was dropped, and the torrent started when its check ended)
        pauseAfterCheck = true;
        if (active()) {
            stopTransfers(true);
            setState(TorrentState.PAUSED);
            resume.save(() -> { }); // flushes the data first
        }
    }

    /**
     * Starts transfers again. From an error (a full disk, say) the data is opened and checked
     * anew first: what was verified before is found again, and nothing unverified counts.
     */
    public void resume() {
        pauseAfterCheck = false;
        if (state == TorrentState.PAUSED) {
            resumeTransfers();
        } else if (state == TorrentState.ERROR && hasMetadata() && picker != null) {
            LOG.info("{}: restarting after the error: {}", name(), error);
            error = null;
            storageControl.closeStorageThen(() -> null, (v, e) -> storageControl.check(false));
        }
    }

    /** Disconnects, announces stopped, flushes data and resume state; the future ends when that is done. */
    public CompletableFuture<Void> stop() {
        assert owner.inLoop();
        CompletableFuture<Void> announced = stopTransfers(active());
        if (state != TorrentState.ERROR) {
            setState(TorrentState.STOPPED);
        }
        // an add still waiting for the check hears why it ends (a check done before is not undone)
        checked.completeExceptionally(new IOException("stopped while its data was being checked"));
        CompletableFuture<Void> saved = new CompletableFuture<>();
        if (storage == null) {
            saved.complete(null);
        } else {
            storageControl.rememberCreated(storage);
            Storage s = storage;
            // closing flushes (fsync): on a disk thread, never on the loop
            resume.save(() -> services.disk().run(() -> {
                s.close();
                return null;
            }, owner, (v, e) -> {
                if (e != null) {
                    LOG.warn("{}: closing storage: {}", name(), e.getMessage());
                }
                saved.complete(null);
            }));
        }
        return CompletableFuture.allOf(announced, saved);
    }

    CompletableFuture<Void> stopTransfers(boolean announceStopped) {
        if (ticker != null) {
            ticker.cancel();
            ticker = null;
        }
        peerSet.closeAll("torrent stopped");
        transfers.stop(); // unfinished pieces: fetched again when transfers resume
        webSeeds.forEach(WebSeed::stop);
        return announceStopped
                ? CompletableFuture.allOf(announcers.stream().map(TrackerAnnouncer::stop).toArray(CompletableFuture[]::new))
                : CompletableFuture.completedFuture(null);
    }

    /** A disk error: the torrent stops with the error; the session and other torrents go on. */
    void storageError(String message) {
        if (state == TorrentState.ERROR) {
            return;
        }
        LOG.warn("{}: storage error: {}", name(), message);
        post(new SessionEvent.StorageError(infoHash, message));
        fail(message);
    }

    void fail(String message) {
        error = message;
        stopTransfers(false);
        setState(TorrentState.ERROR);
    }

    /** Downloading while every wanted piece is had: now seeding (and the reverse when more is wanted). */
    void wantedChanged() {
        if (state == TorrentState.SEEDING && !picker.complete()) {
            setState(TorrentState.DOWNLOADING);
        } else if (state == TorrentState.DOWNLOADING && picker.complete()) {
            finished();
        }
        peerSet.wantedChanged();
    }

    private void finished() {
        setState(TorrentState.SEEDING);
        post(new SessionEvent.TorrentFinished(infoHash));
        announcers.forEach(TrackerAnnouncer::completed);
        resume.save(() -> { });
        peerSet.closeSeeds();
    }

    // ---- the once-a-second tick ----

    private void tick() {
        ticks++;
        long now = now();
        transfers.tick();
        peerSet.tick(now);
        if (ticks % Choker.INTERVAL_SECONDS == 0) {
            peerSet.rechoke(ticks % Choker.OPTIMISTIC_SECONDS == 0);
        }
        peerSet.connect();
        extensions.tick(now);
        merkleHashes.tick(peerSet.snapshot());
        webSeeds.forEach(w -> w.tick(now));
        announcers.forEach(a -> a.tick(now));
        if (!isPrivate()) {
            dhtAnnouncers.forEach(a -> a.tick(now));
        }
        // Local Service Discovery (BEP 14): every 5 minutes, never for private torrents
        if (ticks % 300 == 0 && !isPrivate()) {
            services.announceLocally(infoHash);
        }
        if (ticks % Math.max(1, settings().resumeInterval.toSeconds()) == 0) {
            resume.saveIfDirty();
        }
    }

    /** Asks trackers and the DHT for peers now. */
    public void reannounce() {
        announcers.forEach(TrackerAnnouncer::reannounce);
        if (!isPrivate()) {
            dhtAnnouncers.forEach(DhtAnnouncer::lookup);
        }
    }

    /** A peer on the local network announced this torrent (BEP 14). */
    public void localPeer(InetSocketAddress peer) {
        if (active() && !isPrivate()) {
            addCandidates(List.of(peer), false); // our own address is recognised by peer id when dialled
        }
    }

    /** A piece verified (see {@link Transfers}): the download may be complete. */
    void pieceVerified() {
        if (state == TorrentState.DOWNLOADING && picker.complete()) {
            finished();
        }
    }

    public String name() {
        return info != null ? info.name() : params.displayName();
    }

    long now() {
        return owner.nanoTime();
    }

    Settings settings() {
        return services.settings();
    }

    void post(SessionEvent e) {
        services.post(e);
    }

    boolean hasMetadata() {
        return info != null;
    }

    public void addCandidates(List<InetSocketAddress> addresses, boolean manual) {
        peerSet.addCandidates(addresses, manual);
    }
}
