package io.jtorrent.engine.peer;

import io.jtorrent.wire.PeerMessage;
import java.util.BitSet;
import java.util.function.IntUnaryOperator;

/**
 * A seed's suggestions (BEP 6 Suggest Piece) to the peers it unchokes: each is told of a few
 * pieces, always those the seed has given out least (sent, or suggested and not yet declined), so
 * that peers which take suggestions — jtorrent's and libtorrent's pickers do — spend the seed's
 * upload on pieces the swarm has not had from it. Without them a seed sends what its unchoked
 * peers happen to pick, rarest first by what each sees of its own neighbours: in a large swarm
 * mostly pieces the seed already sent to someone else. The simulation (1,000 peers, 32 MiB, 4 MiB/s
 * links): every piece had left the seed after 9.8 s without suggestions, 8.3 s with them (F/u_s =
 * 8.0 s), and the swarm was done in 10.6 s against 11.6 s. The seed still shows and serves
 * everything; unlike super seeding (BEP 16) nothing is hidden, and a peer that ignores the
 * suggestions loses nothing.
 *
 * <p>A piece counts as given out to each peer that asked for it and each peer holding a suggestion
 * of it; a suggestion is taken back when the peer is choked or leaves, or announces the piece from
 * elsewhere (a peer we suggest pieces to tells us what it got; others need not). Never-given pieces
 * are handed out from a cursor, so peers unchoked together get different ones; once all went out,
 * the one fewest of our peers have or were given. Part of the {@link UploadSlots}; on the loop.
 */
final class SeedHints {
    /** Suggestions a peer holds that it has not yet asked for: enough to fill its request pipeline. */
    static final long HINTED_BYTES = 1 << 20;
    static final int MIN_HINTS = 2;
    static final int MAX_HINTS = 16;
    /**
     * Pieces weighed per suggestion once every piece went out: all of them up to this many; beyond,
     * this many from a cursor that moves on each time (more only if none of those would do). An
     * exact scan of a 40,000-piece torrent's pieces for every suggestion, seeded at full speed, was
     * ~16 M steps a second.
     */
    static final int SCAN = 1024;

    private final int pieceCount;
    private final int hints;
    /** Per piece: peers it was sent to or suggested to. */
    private final int[] given;
    /** Pieces never given out. */
    private int neverGiven;
    private int cursor;
    /** Where the next bounded scan for the least given piece starts. */
    private int scanCursor;
    /** How many of our peers have a piece (the picker's availability). */
    private final IntUnaryOperator availability;

    /** Hints for pieces of {@code pieceLength}: about {@value #HINTED_BYTES} bytes' worth per peer. */
    static SeedHints forPieces(int pieceCount, long pieceLength, IntUnaryOperator availability) {
        return new SeedHints(pieceCount, (int) Math.max(MIN_HINTS, Math.min(MAX_HINTS, HINTED_BYTES / Math.max(1, pieceLength))),
                availability);
    }

    SeedHints(int pieceCount, int hints, IntUnaryOperator availability) {
        this.availability = availability;
        this.neverGiven = pieceCount;
        this.pieceCount = pieceCount;
        this.hints = hints;
        this.given = new int[pieceCount];
    }

    /** {@code p} is our peer: what it asks of us is counted. */
    void attach(PeerConnection p) {
        if (p.seedHints == null) {
            p.seedHints = this;
            p.hinted = new BitSet();
            p.askedOfUs = new BitSet();
        }
    }

    /** {@code p} no longer gets suggestions (we are no longer a full seed). */
    static void detach(PeerConnection p) {
        p.seedHints = null;
        p.hinted = null;
        p.askedOfUs = null;
    }

    /** We unchoked {@code p}: it gets suggestions to fill its pipeline with. */
    void unchoked(PeerConnection p) {
        if (p.fast) {
            fill(p);
        }
    }

    /** We choked {@code p} or it left: the suggestions it never took are given back. */
    void released(PeerConnection p) {
        if (p.hinted == null) {
            return;
        }
        for (int i = p.hinted.nextSetBit(0); i >= 0; i = p.hinted.nextSetBit(i + 1)) {
            if (--given[i] == 0) {
                neverGiven++;
            }
        }
        p.hinted.clear();
    }

    /** {@code p} asked for a block of {@code piece}: counted as given once per peer, and a suggestion replaced. */
    void requested(PeerConnection p, int piece) {
        if (p.askedOfUs.get(piece)) {
            return;
        }
        p.askedOfUs.set(piece);
        if (p.hinted.get(piece)) {
            p.hinted.clear(piece); // already counted when suggested
        } else {
            give(piece);
        }
        if (!p.amChoking && p.fast) {
            fill(p);
        }
    }

    /** {@code p} announced {@code piece}: a suggestion of it is spent. */
    void announced(PeerConnection p, int piece) {
        if (p.hinted != null && p.hinted.get(piece)) {
            p.hinted.clear(piece);
            if (--given[piece] == 0) { // it got the piece elsewhere: our suggestion is withdrawn
                neverGiven++;
            }
            if (!p.amChoking && p.fast) {
                fill(p);
            }
        }
    }

    private void fill(PeerConnection p) {
        while (p.hinted.cardinality() < hints) {
            int piece = leastGiven(p);
            if (piece < 0) {
                return;
            }
            give(piece);
            p.hinted.set(piece);
            p.send(new PeerMessage.SuggestPiece(piece));
        }
    }

    /**
     * The next piece for {@code p}, which lacks it, was not suggested it and did not ask for it:
     * one never given out, from the cursor on; once every piece went out, the one fewest peers
     * around us have or were given (the last given spread least), among {@link #SCAN} of them at
     * most when there are more. -1 if none.
     */
    private int leastGiven(PeerConnection p) {
        if (neverGiven > 0) {
            for (int k = 0; k < pieceCount; k++) {
                int i = cursor + k < pieceCount ? cursor + k : cursor + k - pieceCount;
                if (given[i] == 0 && eligible(p, i)) {
                    cursor = i + 1 == pieceCount ? 0 : i + 1;
                    return i;
                }
            }
        }
        int best = -1;
        int bestSpread = Integer.MAX_VALUE;
        int start = pieceCount <= SCAN ? 0 : scanCursor;
        int k = 0;
        for (; k < pieceCount && (k < SCAN || best < 0); k++) {
            int i = start + k < pieceCount ? start + k : start + k - pieceCount;
            int spread = given[i] + availability.applyAsInt(i);
            if (spread < bestSpread && eligible(p, i)) {
                best = i;
                bestSpread = spread;
            }
        }
        if (pieceCount > SCAN) {
            scanCursor = (int) ((start + (long) k) % pieceCount);
        }
        return best;
    }

    private static boolean eligible(PeerConnection p, int piece) {
        return !p.has.get(piece) && !p.hinted.get(piece) && !p.askedOfUs.get(piece);
    }

    private void give(int piece) {
        if (given[piece]++ == 0) {
            neverGiven--;
        }
    }
}
