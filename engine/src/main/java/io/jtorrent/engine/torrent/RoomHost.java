package io.jtorrent.engine.torrent;

import io.jtorrent.engine.SessionEvent;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.TorrentState;
import io.jtorrent.engine.discovery.DhtAnnouncer;
import io.jtorrent.engine.discovery.TrackerAnnouncer;
import io.jtorrent.engine.discovery.Trackers;
import io.jtorrent.engine.ext.Extension;
import io.jtorrent.engine.peer.PeerConnection;
import io.jtorrent.engine.peer.PeerHost;
import io.jtorrent.engine.peer.PeerSet;
import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.engine.pieces.BlockSource;
import io.jtorrent.engine.time.Loop;
import io.jtorrent.engine.webseed.WebSeed;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.tracker.Resolver;
import io.jtorrent.wire.ExtendedHandshake;
import io.jtorrent.wire.Handshake;
import io.jtorrent.wire.PeerMessage;
import io.jtorrent.wire.PeerProtocolException;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * What the rooms ask of their torrent, answered in one place: the peers and the peer set, the
 * extensions, web seeds, the tracker and DHT announcers each see the torrent through an interface
 * of their own, and this implements them all by reading the torrent's state or handing the call to
 * the part of it that acts ({@link Torrent}, {@link Transfers}, the {@link PeerSet}). Owned by the
 * torrent's loop.
 */
final class RoomHost implements PeerHost, PeerSet.Host, Extension.Host, WebSeed.Host, TrackerAnnouncer.Host,
        DhtAnnouncer.Host, io.jtorrent.engine.peer.MerkleHashes.Owner {
    private final Torrent t;

    RoomHost(Torrent t) {
        this.t = t;
    }

    // ---- the torrent's state ----

    @Override
    public Loop owner() {
        return t.owner;
    }

    @Override
    public InfoHash infoHash() {
        return t.infoHash;
    }

    @Override
    public boolean active() {
        return t.active();
    }

    @Override
    public void metadataReceived(byte[] info) {
        t.metadataReceived(info);
    }

    @Override
    public void storageError(String message) {
        t.storageError(message);
    }

    @Override
    public boolean retryLater(IOException readError) {
        return readError instanceof io.jtorrent.engine.disk.DiskIo.NoBuffersException;
    }

    // ---- the data path (see Transfers) ----

    @Override
    public List<PiecePicker.Block> pick(BlockSource source, BitSet from, int max) {
        return t.transfers.pick(source, from, max);
    }

    @Override
    public void unrequest(BlockSource source, PiecePicker.Block b) {
        t.picker.unrequest(b, source);
    }

    @Override
    public void unrequestedBlock(int length) {
        t.transfers.wasted += length;
    }

    @Override
    public void blockReceived(BlockSource from, PiecePicker.Block block, PeerMessage.Piece data, boolean requested) {
        t.transfers.blockReceived(from, block, data);
    }

    @Override
    public void readBlock(PeerMessage.Request r, BiConsumer<PeerMessage.Piece, IOException> done) {
        t.transfers.readBlock(r, done);
    }

    @Override
    public long uploadDelay() {
        return t.transfers.uploadDelay();
    }

    @Override
    public void consumeUpload(long bytes) {
        t.transfers.consumeUpload(bytes);
    }

    @Override
    public void uploaded(long bytes) {
        t.transfers.uploaded(bytes);
    }

    @Override
    public long consumeDownload(long bytes) {
        return t.transfers.consumeDownload(bytes);
    }

    @Override
    public void ban(PeerConnection p, String reason) {
        t.peerSet.ban(p, reason);
    }

    // ---- peers and extensions ----

    @Override
    public void addCandidates(List<InetSocketAddress> addresses, boolean manual) {
        t.addCandidates(addresses, manual);
    }

    @Override
    public void addCandidates(List<InetSocketAddress> addresses, boolean manual,
                              java.util.function.ToIntFunction<InetSocketAddress> hints) {
        t.peerSet().addCandidates(addresses, manual, hints);
    }

    @Override
    public void peerClosed(PeerConnection p, String reason) {
        t.peerSet.closed(p, reason);
    }

    @Override
    public void peerLeft(PeerConnection p) {
        t.extensions.peerClosed(p);
    }

    @Override
    public void peerHasPieces(PeerConnection p, BitSet pieces) {
        t.peerSet.hasPieces(p, pieces);
    }

    @Override
    public void peerHasPiece(PeerConnection p, int piece) {
        t.peerSet.hasPiece(p, piece);
    }

    @Override
    public void peerInterestChanged(PeerConnection p) {
        t.peerSet.interestChanged(p);
    }

    @Override
    public ExtendedHandshake ourExtendedHandshake(PeerConnection p) {
        return new ExtendedHandshake(t.extensions.offered(), Optional.of(settings().userAgent), listenPort(),
                settings().maxIncomingRequests, Optional.of(p.address().getAddress().getAddress()),
                t.extensions.metadataSize(), t.state == TorrentState.SEEDING);
    }

    @Override
    public void extendedHandshake(PeerConnection p, ExtendedHandshake h) {
        if (h.uploadOnly() && t.state == TorrentState.SEEDING) {
            p.close("both only upload");
            return;
        }
        t.extensions.peerHandshake(p, h);
    }

    @Override
    public io.jtorrent.metainfo.Metainfo metainfo() {
        return t.metainfo;
    }

    @Override
    public int maxPeers() {
        return t.maxPeers > 0 ? t.maxPeers : settings().maxConnectionsPerTorrent;
    }

    @Override
    public List<io.jtorrent.metainfo.InfoHash> otherSwarms() {
        io.jtorrent.metainfo.InfoHash own = io.jtorrent.metainfo.InfoHash.v1(t.infoHash.truncated20());
        return t.params.swarmHashes().stream().filter(h -> !h.equals(own)).toList();
    }

    @Override
    public void readLeaves(int piece, java.util.function.Consumer<byte[]> leaves) {
        if (t.picker == null || t.storage == null || !t.picker.have(piece)) {
            leaves.accept(null);
            return;
        }
        io.jtorrent.engine.disk.PieceCheck check = io.jtorrent.engine.disk.PieceCheck.of(t.metainfo, piece);
        t.services.disk().hash(t.storage, piece, t.info.pieceSize(piece), check, PiecePicker.BLOCK, false, t.owner,
                r -> leaves.accept(r.error() == null && check.matches(r.digest()) ? r.leaves() : null));
    }

    @Override
    public void layersComplete(io.jtorrent.metainfo.Metainfo complete) {
        t.metadataComplete(complete);
    }

    @Override
    public void hashMessage(PeerConnection p, io.jtorrent.wire.PeerMessage m) throws PeerProtocolException {
        t.merkleHashes.handle(p, m);
    }

    @Override
    public void extensionMessage(PeerConnection p, int id, byte[] payload) throws PeerProtocolException {
        t.extensions.message(p, id, payload);
    }

    @Override
    public void dhtNode(InetSocketAddress node) {
        if (t.services.dht() != null) {
            t.services.dht().addNode(node);
        }
    }

    @Override
    public void dial(InetSocketAddress address, int hints, java.util.function.IntConsumer connected, Runnable failed) {
        t.services.dial(t, address, hints, connected, failed);
    }

    // ---- what the rooms ask: layout, time, identity ----

    @Override
    public long now() {
        return t.now();
    }

    @Override
    public Settings settings() {
        return t.settings();
    }

    @Override
    public String name() {
        return t.name();
    }

    @Override
    public void post(SessionEvent e) {
        t.post(e);
    }

    @Override
    public boolean hasMetadata() {
        return t.hasMetadata();
    }

    @Override
    public int pieceCount() {
        return t.info.pieceCount();
    }

    @Override
    public long pieceSize(int piece) {
        return t.info.pieceSize(piece);
    }

    @Override
    public int blockLength(PiecePicker.Block b) {
        return t.picker.blockLength(b);
    }

    @Override
    public boolean havePiece(int piece) {
        return t.picker != null && t.picker.have(piece);
    }

    /** Whether we still want the piece (selected, not yet verified). */
    @Override
    public boolean wantPiece(int piece) {
        return t.picker != null && t.picker.wanted(piece);
    }

    @Override
    public PiecePicker<BlockSource> picker() {
        return t.picker;
    }

    @Override
    public boolean diskBackedUp() {
        return t.transfers.assembly.backedUp();
    }

    @Override
    public Handshake ourHandshake() {
        return t.services.handshakeFor(t.infoHash);
    }

    @Override
    public byte[] ourPeerId() {
        return t.services.peerId();
    }

    @Override
    public int listenPort() {
        return t.services.listenPort();
    }

    @Override
    public int dhtPort() {
        return t.services.dht() == null ? -1 : t.services.dht().port();
    }

    @Override
    public boolean superSeed() {
        return t.params.superSeeding();
    }

    @Override
    public boolean seeding() {
        return t.state == TorrentState.SEEDING;
    }

    @Override
    public boolean downloading() {
        return t.state == TorrentState.DOWNLOADING;
    }

    @Override
    public boolean mayDial() {
        return t.services.mayDial();
    }

    @Override
    public List<PeerConnection> connectedPeers() {
        return t.peerSet.snapshot();
    }

    @Override
    public boolean pexAllowed() {
        return settings().pex && !t.isPrivate();
    }

    @Override
    public EventLoop eventLoop() {
        return t.eventLoop;
    }

    @Override
    public Resolver resolver() {
        return t.services.resolver();
    }

    @Override
    public Trackers trackers() {
        return t.services.trackers();
    }

    @Override
    public long uploadedTotal() {
        return t.transfers.uploadMeter.total();
    }

    @Override
    public long downloadedTotal() {
        return t.transfers.downloadMeter.total();
    }

    /** Bytes still wanted, for trackers; before a magnet's metadata, one metadata piece's worth (unknown but not zero). */
    @Override
    public long bytesLeft() {
        return t.picker == null ? 16 * 1024 : t.picker.bytesLeft();
    }

    @Override
    public void trackerCounts(int seeders, int leechers, int downloaded) {
        t.trackerSeeders = seeders;
        t.trackerLeechers = leechers;
        if (downloaded >= 0) {
            t.trackerDownloaded = downloaded;
        }
    }
}
