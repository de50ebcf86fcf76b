package io.jtorrent.engine.peer;

import io.jtorrent.wire.PeerMessage;
import java.util.BitSet;
import java.util.Collection;

/**
 * Super seeding (BEP 16), for a seed that is a new torrent's only source: it tells each peer it
 * has nothing, then offers it pieces, {@value #OFFERS} at a time, always those the fewest peers
 * have or were offered; it serves only offered pieces, and gives a peer a new offer for each
 * piece it was given that another peer announces, that is once it passed the piece on. So the
 * seed's upload goes into pieces the swarm lacks, each about once, where a seed that shows
 * everything sends what peers happen to ask for, much of it twice (the simulation measured up to a
 * third of a seed's upload repeating blocks it had sent). Fewer offers at a time left the seed
 * idle between them (the simulation, N = 100: two offers 13.3 s, four 10.5 s, eight 10.0 s,
 * sixteen 10.1 s; a plain seed 10.2 s). A peer none of whose pieces spread gets one new offer
 * every {@value #PATIENCE_SECONDS} s. Part of the {@link PeerSet}; on its loop.
 */
final class SuperSeeding {
    static final int OFFERS = 8;
    static final int PATIENCE_SECONDS = 20;

    private final int pieceCount;
    /** Per piece: peers known to have it (their haves) plus offers made. */
    private final int[] spread;

    SuperSeeding(int pieceCount) {
        this.pieceCount = pieceCount;
        this.spread = new int[pieceCount];
    }

    /** A peer joined: it hears of no piece but those offered to it. */
    void greet(PeerConnection p, long now) {
        p.superOffers = new BitSet();
        p.superOffered = new BitSet();
        p.superOfferedAt = now;
        if (p.fast) {
            p.send(PeerMessage.HaveNone.INSTANCE);
        }
        offer(p, now);
    }

    /** Offers {@code p} pieces until it holds {@value #OFFERS} offers it has not passed on. */
    void offer(PeerConnection p, long now) {
        while (p.superOffers.cardinality() < OFFERS) {
            int best = -1;
            for (int i = 0; i < pieceCount; i++) {
                if (!p.has.get(i) && !p.superOffered.get(i) && (best < 0 || spread[i] < spread[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                return;
            }
            spread[best]++;
            p.superOffers.set(best);
            p.superOffered.set(best);
            p.superOfferedAt = now;
            p.send(new PeerMessage.Have(best));
        }
    }

    /**
     * {@code from} announced {@code piece}: whoever else was offered it has passed it on, so gets
     * a new offer in its place. (Peers never tell us of a piece we offered them: to them we have
     * it, and nobody announces a piece to a peer that has it. So another peer's have is the sign.)
     */
    void announced(PeerConnection from, int piece, Collection<PeerConnection> peers, long now) {
        spread[piece]++;
        for (PeerConnection q : peers) {
            if (q != from && q.superOffers != null && q.superOffers.get(piece)) {
                q.superOffers.clear(piece);
                offer(q, now);
            }
        }
    }

    /** Once a second: a peer none of whose offers spread for a while gets its oldest one replaced. */
    void tick(Collection<PeerConnection> peers, long now) {
        long patience = PATIENCE_SECONDS * 1_000_000_000L;
        for (PeerConnection q : peers) {
            BitSet offers = q.superOffers;
            if (offers != null && !offers.isEmpty() && now - q.superOfferedAt > patience) {
                offers.clear(offers.nextSetBit(0));
                q.superOfferedAt = now;
                offer(q, now);
            }
        }
    }

    /** A peer left: its offers it had not passed on count no more. */
    void left(PeerConnection p) {
        if (p.superOffers != null) {
            for (int i = p.superOffers.nextSetBit(0); i >= 0; i = p.superOffers.nextSetBit(i + 1)) {
                if (!p.has.get(i)) {
                    spread[i]--;
                }
            }
        }
    }
}
