package io.jtorrent.engine;

import io.jtorrent.engine.choke.Choker;
import io.jtorrent.engine.peer.PeerCandidates;
import io.jtorrent.engine.picker.PiecePicker;
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
final class PeerSet {
    /** BEP 6: pieces a peer may fetch before we unchoke it. */
    private static final int ALLOWED_FAST_PIECES = 10;

    private final Torrent torrent;
    private final Set<PeerConnection> peers = new LinkedHashSet<>();
    private final PeerCandidates candidates = new PeerCandidates();
    private final Choker choker;
    private int connecting;
    private Object optimistic;
    /** Wire bytes of the peers that left, so totals do not drop. */
    private long closedWireReceived;
    private long closedWireSent;

    PeerSet(Torrent torrent, Random random) {
        this.torrent = torrent;
        this.choker = new Choker(random);
    }

    /** The live set (iterate a copy when a peer may close meanwhile). */
    Set<PeerConnection> peers() {
        return peers;
    }

    PeerCandidates candidates() {
        return candidates;
    }

    long closedWireReceived() {
        return closedWireReceived;
    }

    long closedWireSent() {
        return closedWireSent;
    }

    void addCandidates(List<InetSocketAddress> addresses, boolean manual) {
        addresses.forEach(a -> candidates.add(a, manual));
        if (torrent.active()) {
            connect();
        }
    }

    /** Dials the candidates that are due, within the torrent's and the session's limits. */
    void connect() {
        assert torrent.owner.inLoop();
        Session session = torrent.session;
        if (!torrent.active() || !session.mayConnect()) {
            return;
        }
        // seeds dial only up to half their slots and wait for leechers to come to them
        int max = torrent.settings().maxConnectionsPerTorrent;
        int limit = torrent.state() == TorrentState.SEEDING ? max / 2 : max;
        int room = limit - peers.size() - connecting;
        for (InetSocketAddress address : candidates.due(torrent.now(), Math.max(0, room), this::isConnectedTo)) {
            candidates.dialing(address);
            connecting++;
            session.connect(torrent, address).whenComplete((channel, failure) -> torrent.loop.execute(() -> {
                connecting--;
                if (failure != null) {
                    candidates.dialFailed(address, torrent.now());
                    return;
                }
                // refused in the handshake (a paused torrent there, say): not connected, try again later
                channel.closeFuture().addListener(f -> torrent.loop.execute(() -> {
                    if (!ChannelTransport.joined(channel)) {
                        candidates.dialFailed(address, torrent.now());
                    }
                }));
            }));
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
    String admit(byte[] peerId, InetSocketAddress address, boolean outgoing) {
        assert torrent.owner.inLoop();
        if (!torrent.active()) {
            return "torrent not active (" + torrent.state() + ")";
        }
        byte[] ours = torrent.session.peerId;
        if (java.util.Arrays.equals(peerId, ours)) {
            candidates.self(address);
            return "connected to ourselves";
        }
        if (candidates.banned(address, peerId, !outgoing)) {
            return "banned";
        }
        for (PeerConnection p : new ArrayList<>(peers)) {
            if (java.util.Arrays.equals(p.peerId, peerId)) {
                // both sides dialled at once: keep the connection the lower peer id opened, as the
                // other side decides the same way
                boolean weAreLower = java.util.Arrays.compareUnsigned(ours, peerId) < 0;
                boolean keepNew = outgoing == weAreLower && p.outgoing != weAreLower;
                if (!keepNew) {
                    return "already connected to this peer";
                }
                p.close("replaced by a simultaneous connection");
            }
        }
        if (peers.size() >= torrent.settings().maxConnectionsPerTorrent) {
            return "too many connections";
        }
        return null;
    }

    /** A peer joined (the handshake is done both ways): greet it with what we have. */
    void joined(PeerConnection p) {
        assert torrent.owner.inLoop();
        peers.add(p);
        p.transport.markJoined();
        candidates.joined(p.address);
        PiecePicker picker = torrent.picker();
        int pieceCount = picker == null ? 0 : picker.pieceCount(); // no picker before a magnet's metadata
        int have = picker == null ? 0 : picker.haveCount();
        if (p.fast && have > 0 && have == pieceCount) {
            p.send(PeerMessage.HaveAll.INSTANCE);
        } else if (have > 0) {
            p.send(PeerMessage.Bitfield.of(picker.haveSet(), pieceCount));
        } else if (p.fast) {
            p.send(PeerMessage.HaveNone.INSTANCE);
        }
        if (p.extended) {
            p.send(new PeerMessage.Extended(0, torrent.ourExtendedHandshake(p).encode()));
        }
        if (p.fast && torrent.hasMetadata() && p.address.getAddress() instanceof java.net.Inet4Address) {
            // BEP 6: a few pieces the peer may fetch before we unchoke it
            for (int piece : io.jtorrent.wire.AllowedFastSet.compute(p.address.getAddress(), torrent.infoHash.truncated20(),
                    pieceCount, ALLOWED_FAST_PIECES)) {
                p.allowedFastForPeer.set(piece);
                p.send(new PeerMessage.AllowedFast(piece));
            }
        }
        if (torrent.session.dht != null && p.supportsDht) {
            p.send(new PeerMessage.Port(torrent.session.dhtPort()));
        }
        torrent.session.events.post(new SessionEvent.PeerConnected(torrent.infoHash, p.address, p.client, p.outgoing));
    }

    /** A peer left: what it had and had asked for is given back, its slot freed. */
    void closed(PeerConnection p, String reason) {
        assert torrent.owner.inLoop();
        if (!peers.remove(p)) {
            return;
        }
        torrent.extensionsPeerClosed(p);
        PiecePicker picker = torrent.picker();
        if (picker != null) {
            picker.peerGone(p.has);
            for (PiecePicker.Block b : p.outstandingBlocks()) {
                picker.unrequest(b, p);
            }
            picker.peerLeft(p);
        }
        p.releaseAll();
        candidates.left(p.address, torrent.now());
        if (optimistic == p) {
            optimistic = null;
        }
        closedWireReceived += p.transport.wireReceived();
        closedWireSent += p.transport.wireSent();
        torrent.session.peerClosed();
        torrent.session.events.post(new SessionEvent.PeerDisconnected(torrent.infoHash, p.address, reason));
        // a freed upload slot goes to someone waiting
        if (!p.amChoking) {
            rechoke(false);
        }
        for (PeerConnection other : peers) {
            other.requestMore();
        }
    }

    void hasPieces(PeerConnection p, BitSet pieces) {
        PiecePicker picker = torrent.picker();
        picker.peerHasAll(pieces);
        recomputeInterest(p);
        closeIfBothSeeds(p);
    }

    void hasPiece(PeerConnection p, int piece) {
        PiecePicker picker = torrent.picker();
        picker.peerHas(piece);
        if (!p.amInterested && picker.wanted(piece)) {
            p.setInterested(true);
        }
        closeIfBothSeeds(p);
    }

    /** The rule, written once: two seeds have nothing to say to each other. */
    void closeIfBothSeeds(PeerConnection p) {
        if (torrent.state() == TorrentState.SEEDING && p.isSeed()) {
            p.close("both seeds");
        }
    }

    /** The rule, written once: whether we want something a peer has, told to it. */
    void recomputeInterest(PeerConnection p) {
        PiecePicker picker = torrent.picker();
        if (picker != null) {
            p.setInterested(picker.interesting(p.has));
        }
    }

    void interestChanged(PeerConnection p) {
        if (p.peerInterested && p.amChoking && unchokedCount() < torrent.settings().uploadSlots + 1) {
            p.setChoking(false); // a free slot: no need to wait for the next round
            p.roundsUnchoked = 0;
        } else if (!p.peerInterested && !p.amChoking) {
            p.setChoking(true);
            rechoke(false);
        }
    }

    private int unchokedCount() {
        int n = 0;
        for (PeerConnection p : peers) {
            if (!p.amChoking) {
                n++;
            }
        }
        return n;
    }

    /** The choker's round: regular slots by rate; the optimistic slot rotated when asked. */
    void rechoke(boolean rotateOptimistic) {
        assert torrent.owner.inLoop();
        boolean seeding = torrent.state() == TorrentState.SEEDING;
        List<Choker.PeerView> views = new ArrayList<>();
        for (PeerConnection p : peers) {
            views.add(new Choker.PeerView(p, p.peerInterested, p.snubbed, p.downloadMeter.rate(),
                    p.uploadMeter.rate(), p.connectedAt, !p.amChoking, p.roundsUnchoked));
        }
        Set<Object> unchoke = choker.regular(views, torrent.settings().uploadSlots, seeding);
        if (rotateOptimistic || optimistic == null || !peers.contains(optimistic)
                || !((PeerConnection) optimistic).peerInterested) {
            optimistic = choker.optimistic(views, unchoke, torrent.now());
        }
        if (optimistic != null) {
            unchoke.add(optimistic);
        }
        for (PeerConnection p : peers) {
            boolean u = unchoke.contains(p);
            p.roundsUnchoked = u ? p.roundsUnchoked + 1 : 0;
            p.setChoking(!u);
            if (u) {
                p.serve();
            }
        }
    }
}
