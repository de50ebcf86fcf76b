package io.jtorrent.engine.peer;

import io.jtorrent.engine.choke.Choker;
import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.engine.pieces.BlockSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Who we upload to: the choker's rounds (regular slots by rate, the optimistic slot), a free slot
 * given at once to a peer that becomes interested, and — a full seed, not super seeding — the
 * suggestions ({@link SeedHints}) each peer gets as it is unchoked. Part of the {@link PeerSet};
 * on its loop.
 */
final class UploadSlots {
    private final PeerSet.Host torrent;
    private final Collection<PeerConnection> peers;
    private final Choker choker;
    private Object optimistic;
    private SeedHints seedHints;
    /** We lacked pieces while we had peers: no hints even once we are a seed. */
    private boolean downloadedWithPeers;

    UploadSlots(PeerSet.Host torrent, Collection<PeerConnection> peers, Random random) {
        this.torrent = torrent;
        this.peers = peers;
        this.choker = new Choker(random);
    }

    void joined(PeerConnection p) {
        seedHints(p);
    }

    /** {@code p} left: its suggestions are given back, its slot freed for someone waiting. */
    void left(PeerConnection p) {
        if (seedHints != null) {
            seedHints.released(p);
        }
        if (optimistic == p) {
            optimistic = null;
        }
        if (!p.amChoking) {
            rechoke(false);
        }
    }

    void announced(PeerConnection p, int piece) {
        if (seedHints != null) {
            seedHints.announced(p, piece);
        }
    }

    void interestChanged(PeerConnection p) {
        if (p.peerInterested && p.amChoking && unchokedCount() < torrent.settings().uploadSlots + 1) {
            choke(p, false); // a free slot: no need to wait for the next round
            p.roundsUnchoked = 0;
        } else if (!p.peerInterested && !p.amChoking) {
            choke(p, true);
            rechoke(false);
        }
    }

    /** The choker's round: regular slots by rate; the optimistic slot rotated when asked. */
    void rechoke(boolean rotateOptimistic) {
        boolean seeding = torrent.seeding();
        List<Choker.PeerView> views = new ArrayList<>();
        for (PeerConnection p : peers) {
            views.add(new Choker.PeerView(p, p.peerInterested, p.requests.snubbed, p.downloadMeter.rate(),
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
        for (PeerConnection p : new ArrayList<>(peers)) { // a copy: a message sent may close a peer
            boolean u = unchoke.contains(p);
            p.roundsUnchoked = u ? p.roundsUnchoked + 1 : 0;
            choke(p, !u);
            if (u) {
                p.serve();
            }
        }
    }

    /** Chokes or unchokes {@code p}; a full seed's suggestions go before its unchoke (the peer picks at once). */
    private void choke(PeerConnection p, boolean choke) {
        if (choke == p.amChoking) {
            return;
        }
        SeedHints hints = seedHints(p);
        if (hints != null && choke) {
            hints.released(p);
        } else if (hints != null) {
            hints.unchoked(p);
        }
        p.setChoking(choke);
    }

    /**
     * The seed's hints, {@code p} attached to them; null unless we are a full seed that had peers
     * only as a seed (not super seeding). A leecher that finished knows nothing of what went out
     * before it had every piece: its suggestions would cost messages, and the haves its peers then
     * owe it, and tell them nothing.
     */
    private SeedHints seedHints(PeerConnection p) {
        PiecePicker<BlockSource> picker = torrent.picker();
        boolean fullSeed = picker != null && picker.haveCount() == picker.pieceCount();
        downloadedWithPeers |= !fullSeed;
        if (seedHints != null && !fullSeed) { // a recheck found pieces missing: no more suggestions
            for (PeerConnection q : peers) {
                SeedHints.detach(q);
            }
            seedHints = null;
        }
        if (seedHints == null && !downloadedWithPeers && !torrent.superSeed() && fullSeed) {
            seedHints = SeedHints.forPieces(picker.pieceCount(), picker.pieceSize(0), picker::availability);
        }
        if (seedHints != null) {
            seedHints.attach(p);
        }
        return seedHints;
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
}
