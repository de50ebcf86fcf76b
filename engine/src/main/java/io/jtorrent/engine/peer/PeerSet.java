package io.jtorrent.engine.peer;

import io.jtorrent.engine.SessionEvent;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.engine.pieces.BlockSource;
import io.jtorrent.engine.time.Loop;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.wire.ExtendedHandshake;
import io.jtorrent.wire.PeerMessage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A torrent's peers: the addresses it may dial and their back-off ({@link PeerCandidates}),
 * dialling, who may join (ourselves, bans, duplicates, limits, the simultaneous-connect
 * tie-break), greeting a new peer, what a leaving peer gives back, interest, and the choker's
 * rounds. Owned by the torrent's loop.
 */
public final class PeerSet {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PeerSet.class);
    private static final long KEEPALIVE_NANOS = 90_000_000_000L;

    /** What the peer set asks of its torrent and session. */
    public interface Host {
        Loop owner();

        /** The most peers this torrent connects to: its own limit, else the session's. */
        default int maxPeers() {
            return settings().maxConnectionsPerTorrent;
        }

        long now();

        Settings settings();

        InfoHash infoHash();

        String name();

        /** Transferring or fetching metadata: dialling and admitting peers. */
        boolean active();

        boolean seeding();

        boolean hasMetadata();

        /** Null before a magnet link's metadata. */
        PiecePicker<BlockSource> picker();

        byte[] ourPeerId();

        /** The port peers may reach our DHT node on, or -1 without one. */
        int dhtPort();

        ExtendedHandshake ourExtendedHandshake(PeerConnection p);

        void post(SessionEvent e);

        /** Whether the session's connection limit leaves room for one more dial. */
        boolean mayDial();

        /**
         * Dials {@code address}, as {@code hints} ({@link PeerCandidates#UTP} ...) suggest; on the
         * owner's loop afterwards, {@code failed} if the connection could not be made or closed
         * before its peer joined (refused in the handshake).
         */
        void dial(InetSocketAddress address, int hints, java.util.function.IntConsumer connected, Runnable failed);

        /** A peer left: the extensions forget it. */
        void peerLeft(PeerConnection p);

        /** Whether to super-seed (BEP 16) while seeding. */
        default boolean superSeed() {
            return false;
        }
    }

    private final Host torrent;
    private final Set<PeerConnection> peers = new LinkedHashSet<>();
    private List<PeerConnection> snapshot;
    private final PeerCandidates candidates = new PeerCandidates();
    private final UploadSlots slots;
    /** Our HAVEs, sent in batches. */
    private final HaveBatches haves;
    /** Super seeding (BEP 16) once seeding, when the torrent asks for it; else null. */
    private SuperSeeding superSeeding;
    private int connecting;
    /** What the torrent's status shows of its peers, the wire bytes of those that left included. */
    private final PeerViews views = new PeerViews();

    public PeerSet(Host torrent, Random random) {
        this.torrent = torrent;
        this.slots = new UploadSlots(torrent, peers, random);
        this.haves = new HaveBatches(torrent, this::snapshot);
    }

    /** The live set (iterate a copy when a peer may close meanwhile). */
    public Set<PeerConnection> peers() {
        return peers;
    }

    /** A copy of the set, to iterate while peers may close (kept until the set changes: taken at every piece). */
    public List<PeerConnection> snapshot() {
        if (snapshot == null) {
            snapshot = List.copyOf(peers);
        }
        return snapshot;
    }

    public int size() {
        return peers.size();
    }

    public PeerCandidates candidates() {
        return candidates;
    }

    public void addCandidates(List<InetSocketAddress> addresses, boolean manual) {
        addCandidates(addresses, manual, a -> 0);
    }

    /** Adds candidates with what is known of how each answers ({@link PeerCandidates#hint}). */
    public void addCandidates(List<InetSocketAddress> addresses, boolean manual,
                              java.util.function.ToIntFunction<InetSocketAddress> hints) {
        for (InetSocketAddress a : addresses) {
            candidates.add(a, manual);
            candidates.hint(a, hints.applyAsInt(a));
        }
        if (torrent.active()) {
            connect();
        }
    }

    /**
     * While peers dial us (one did within this long, or we (re)started this long ago), we dial only
     * up to half our connection limit. In a crowd that arrives together everyone dials the peers
     * the tracker gave and is dialled by others: peers that had dialled up to their limit refused
     * the later comers (`jtorrent simulate`, 150 peers: 8,585 of 28,412 handshakes refused, 1,306
     * of 13,212 with half), the unlucky held half as many connections as the lucky until their
     * redials seconds later, and their uploads idled for want of neighbours. A peer nobody can
     * dial (behind a NAT) fills its slots once this has passed.
     */
    static final long INCOMING_QUIET_NANOS = 5_000_000_000L;
    /** When a peer last dialled us (Long.MIN_VALUE: not looked at yet). */
    private long incomingAt = Long.MIN_VALUE;

    /** Dials the candidates that are due, within the torrent's and the session's limits. */
    public void connect() {
        assert torrent.owner().inLoop();
        if (!torrent.active() || !torrent.mayDial()) {
            return;
        }
        // seeds dial only up to half their slots and wait for leechers to come to them
        int max = torrent.maxPeers();
        int limit = torrent.seeding() ? max / 2 : max;
        int room = limit - peers.size() - connecting;
        long now = torrent.now();
        if (incomingAt == Long.MIN_VALUE) {
            incomingAt = now; // the first look: as if a peer had just dialled in
        }
        if (now - incomingAt < INCOMING_QUIET_NANOS) {
            // half the slots wait for peers that dial us while they still do (see INCOMING_QUIET_NANOS)
            int out = 0;
            for (PeerConnection p : peers) {
                if (p.outgoing) {
                    out++;
                }
            }
            room = Math.min(room, (max + 1) / 2 - out - connecting);
        }
        for (InetSocketAddress address : candidates.due(now, Math.max(0, room), this::isConnectedTo)) {
            candidates.dialing(address);
            connecting++;
            boolean[] counted = {true};
            Runnable done = () -> {
                if (counted[0]) {
                    counted[0] = false;
                    connecting--;
                }
            };
            torrent.dial(address, candidates.hints(address), learned -> {
                done.run();
                candidates.hint(address, learned);
            }, () -> {
                done.run();
                // refused in the handshake (a paused torrent there, say) or no connection: try again later
                candidates.dialFailed(address, torrent.now());
            });
        }
    }

    private boolean isConnectedTo(InetSocketAddress a) {
        for (PeerConnection p : peers) {
            if (p.address.equals(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a peer that completed the handshake may join: not ourselves, not banned, not
     * already connected, within limits. Returns the reason it may not, or null.
     */
    public String admit(byte[] peerId, InetSocketAddress address, boolean outgoing) {
        assert torrent.owner().inLoop();
        if (!torrent.active()) {
            return "torrent not active";
        }
        byte[] ours = torrent.ourPeerId();
        if (java.util.Arrays.equals(peerId, ours)) {
            candidates.self(address);
            return "connected to ourselves";
        }
        if (candidates.banned(address, peerId, !outgoing)) {
            return "banned";
        }
        for (PeerConnection p : peers) {
            if (java.util.Arrays.equals(p.peerId, peerId)) {
                if (!outgoing && !p.outgoing && p.address.getAddress().equals(address.getAddress())) {
                    // it dialled us again from its host: it gave up the one we hold, which died unheard
                    // (refused, it would wait for ours to time out); another host cannot push it out
                    p.close("replaced by the peer's new connection");
                    break;
                }
                // both sides dialled at once: keep the connection the lower peer id opened, as the
                // other side decides the same way
                boolean weAreLower = java.util.Arrays.compareUnsigned(ours, peerId) < 0;
                boolean keepNew = outgoing == weAreLower && p.outgoing != weAreLower;
                if (!keepNew) {
                    return "already connected to this peer";
                }
                p.close("replaced by a simultaneous connection"); // out of the set: iterate no further
                break; // (peer ids are unique among the joined)
            }
        }
        if (peers.size() >= torrent.maxPeers()) {
            return "too many connections";
        }
        return null;
    }

    /** The peer sent bad data: its address (and peer id) banned, the connection closed. */
    public void ban(PeerConnection p, String reason) {
        if (candidates.ban(p.address, p.peerId, !p.outgoing)) {
            LOG.info("{}: banned {}: {}", torrent.name(), p, reason);
            torrent.post(new SessionEvent.PeerBanned(torrent.infoHash(), p.address, reason));
        }
        p.close("banned: " + reason);
    }

    /** A peer joined (the handshake is done both ways): greet it with what we have. */
    public void joined(PeerConnection p) {
        assert torrent.owner().inLoop();
        peers.add(p);
        snapshot = null;
        if (!p.outgoing) {
            incomingAt = torrent.now();
        }
        p.transport.markJoined();
        candidates.joined(p.address);
        if (torrent.superSeed() && superSeeding == null && torrent.seeding()) {
            superSeeding = new SuperSeeding(torrent.picker().pieceCount());
        }
        Greeting.greet(p, torrent, superSeeding);
        slots.joined(p);
        torrent.post(new SessionEvent.PeerConnected(torrent.infoHash(), p.address, p.client, p.outgoing));
    }

    /** A peer left: what it had and had asked for is given back, its slot freed. */
    public void closed(PeerConnection p, String reason) {
        assert torrent.owner().inLoop();
        if (!peers.remove(p)) {
            return;
        }
        snapshot = null;
        torrent.peerLeft(p);
        if (superSeeding != null) {
            superSeeding.left(p);
        }
        PiecePicker<BlockSource> picker = torrent.picker();
        if (picker != null) {
            picker.peerGone(p.has);
            for (PiecePicker.Block b : p.outstandingBlocks()) {
                picker.unrequest(b, p);
            }
            picker.peerLeft(p);
        }
        p.releaseAll();
        candidates.left(p.address, torrent.now());
        views.left(p);
        torrent.post(new SessionEvent.PeerDisconnected(torrent.infoHash(), p.address, reason));
        slots.left(p); // a freed upload slot goes to someone waiting
        for (PeerConnection other : peers) {
            other.requests.requestMore();
        }
    }

    public void hasPieces(PeerConnection p, BitSet pieces) {
        PiecePicker<BlockSource> picker = torrent.picker();
        picker.peerHasAll(pieces);
        for (int i = pieces.nextSetBit(0); superSeeding != null && i >= 0; i = pieces.nextSetBit(i + 1)) {
            superSeeding.announced(p, i, snapshot(), torrent.now()); // a copy: an offer sent may close a peer
        }
        for (int i = p.hinted == null ? -1 : pieces.nextSetBit(0); i >= 0; i = pieces.nextSetBit(i + 1)) {
            slots.announced(p, i); // a late bitfield (aria2 sends one) spends suggestions as haves do
        }
        recomputeInterest(p);
        closeIfBothSeeds(p);
    }

    public void hasPiece(PeerConnection p, int piece) {
        PiecePicker<BlockSource> picker = torrent.picker();
        picker.peerHas(piece);
        if (superSeeding != null) {
            superSeeding.announced(p, piece, snapshot(), torrent.now());
        }
        slots.announced(p, piece);
        if (picker.wanted(piece)) {
            if (!p.amInterested) {
                p.setInterested(true); // asks at once
            } else if (!p.peerChoking) {
                p.requests.requestMore(); // a queue that ran dry for want of pieces refills now, not at the next tick
            }
        }
        closeIfBothSeeds(p);
    }

    /** The rule, written once: two seeds have nothing to say to each other. */
    public void closeIfBothSeeds(PeerConnection p) {
        if (torrent.seeding() && p.isSeed()) {
            p.close("both seeds");
        }
    }

    /** The rule, written once: whether we want something a peer has, told to it. */
    public void recomputeInterest(PeerConnection p) {
        PiecePicker<BlockSource> picker = torrent.picker();
        if (picker != null) {
            p.setInterested(picker.interesting(p.has));
        }
    }

    public void interestChanged(PeerConnection p) {
        slots.interestChanged(p);
    }

    /** The choker's round (see {@link UploadSlots}); the optimistic slot rotated when asked. */
    public void rechoke(boolean rotateOptimistic) {
        assert torrent.owner().inLoop();
        slots.rechoke(rotateOptimistic);
    }

    /** Once a second: meters, request pipelines and timeouts, inactivity, keep-alives. */
    public void tick(long now) {
        assert torrent.owner().inLoop();
        Settings s = torrent.settings();
        long timeout = s.requestTimeout.toNanos();
        long inactivity = s.inactivityTimeout.toNanos();
        if (superSeeding != null) {
            superSeeding.tick(snapshot(), now);
        }
        for (PeerConnection p : snapshot()) {
            p.downloadMeter.tick();
            p.uploadMeter.tick();
            p.requests.adjustQueue();
            p.requests.checkRequests(now, timeout);
            if (now - p.lastReceived > inactivity) {
                p.close("inactive for " + s.inactivityTimeout.toSeconds() + " s");
            } else if (now - p.lastSent > KEEPALIVE_NANOS) {
                p.send(PeerMessage.KeepAlive.INSTANCE);
            }
            p.requests.requestMore();
        }
    }

    /** The data on disk was (re)checked: what we have, told to every peer, and interest anew. */
    public void announceHave(BitSet have) {
        for (PeerConnection p : snapshot()) {
            for (int i = have.nextSetBit(0); i >= 0 && p.superOffers == null; i = have.nextSetBit(i + 1)) {
                haves.queue(p, i);
            }
        }
        haves.flushAll();
        for (PeerConnection p : snapshot()) {
            recomputeInterest(p);
            closeIfBothSeeds(p);
        }
    }

    /** A piece verified: {@code have} to whoever lacks it; interest dropped where nothing is left to want. */
    public void pieceVerified(int piece, PiecePicker<?> picker) {
        for (PeerConnection p : snapshot()) {
            if (!p.has.get(piece) || !p.suggested().isEmpty()) {
                haves.queue(p, piece); // a seed that suggests pieces hears what we got elsewhere: it suggests others
            }
            // only a peer that had this piece can have stopped being interesting
            if (p.amInterested && p.has.get(piece) && !picker.interesting(p.has)) {
                p.setInterested(false);
            }
        }
        if (picker.complete()) {
            haves.flushAll(); // done: every peer hears it at once
        }
    }

    /** Wanted pieces changed (priorities, a streaming read): interest anew, and requests. */
    public void wantedChanged() {
        for (PeerConnection p : snapshot()) {
            recomputeInterest(p);
            p.requests.requestMore();
        }
    }

    public void requestMore() {
        for (PeerConnection p : snapshot()) {
            p.requests.requestMore();
        }
    }

    /** The torrent became a seed: seeds have nothing more to say to it. */
    public void closeSeeds() {
        for (PeerConnection p : snapshot()) {
            closeIfBothSeeds(p);
        }
    }

    /** The torrent stopped: every peer closed; when it starts again, it starts as new (see {@link #INCOMING_QUIET_NANOS}). */
    public void closeAll(String reason) {
        for (PeerConnection p : snapshot()) {
            p.close(reason);
        }
        incomingAt = Long.MIN_VALUE;
    }

    /** The disk's back-pressure changed: peers stop or resume reading. */
    public void updateAutoRead() {
        peers.forEach(PeerConnection::updateAutoRead);
    }

    /** The metadata of a magnet link arrived: each peer's early bitfield and haves now count. */
    public void metadataArrived() {
        for (PeerConnection p : snapshot()) {
            try {
                p.metadataArrived();
            } catch (io.jtorrent.wire.PeerProtocolException e) {
                p.close("protocol violation: " + e.getMessage());
            }
        }
    }

    /** Counts for a torrent's status (see {@link PeerViews.Counts}). */
    public PeerViews.Counts counts() {
        return views.counts(peers);
    }

    /** Each peer as programs showing a torrent see it; {@code pieceCount} 0 before the metadata. */
    public List<io.jtorrent.engine.PeerInfo> infos(int pieceCount) {
        return PeerViews.infos(peers, pieceCount);
    }
}
