package io.jtorrent.engine.picker;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Decides which blocks to request from which peer. Pure logic: no I/O, no clock, one thread (the
 * torrent's event loop).
 *
 * <ul>
 *   <li>pieces partly downloaded are finished before new ones are started, except that a piece
 *       commoner than the rarest one a peer could give us is left to other peers: scarce upload
 *       (a seed's above all) goes to the rarest pieces;</li>
 *   <li>while we have fewer than {@value #RANDOM_FIRST_PIECES} pieces, new pieces are picked at
 *       random (a whole piece sooner gives us something to trade); after that, rarest first by
 *       availability counted from bitfields and haves, ties broken at random;</li>
 *   <li>higher-priority pieces first; priority 0 is never downloaded;</li>
 *   <li>sequential mode picks the lowest missing piece first, for streaming;</li>
 *   <li>end game: once every missing block is requested, blocks already requested from others
 *       are requested again (at most {@value #MAX_ENDGAME_REQUESTERS} peers per block); the first
 *       copy wins and the engine cancels the rest.</li>
 * </ul>
 * {@code S} is who requests and sends blocks (the engine's peers and web-seed connections),
 * identified by reference.
 */
public final class PiecePicker<S> {
    public static final int BLOCK = 16 * 1024;
    public static final int RANDOM_FIRST_PIECES = 4;
    public static final int MAX_ENDGAME_REQUESTERS = 3;

    /** A block: piece index and block index within it. */
    public record Block(int piece, int index) {
        public int begin() {
            return index * BLOCK;
        }
    }

    /** What became of a received block. */
    public enum Received {
        /** Not wanted (never requested, already had, or another copy came first): drop it. */
        UNWANTED,
        /** Stored; the piece still misses blocks. */
        ACCEPTED,
        /** Stored, and it was the piece's last missing block: hash it now. */
        PIECE_COMPLETE
    }

    private final int pieceCount;
    private final long pieceLength;
    private final long totalLength;
    private final Random random;
    private final int[] availability;
    private final byte[] priority;
    private final BitSet have;
    /** The pieces {@link #wanted}: a priority above 0 and not had (kept with them; see {@link #interesting}). */
    private final BitSet wantedSet;
    private final Map<Integer, Partial<S>> partials = new LinkedHashMap<>();
    /** The keys of {@link #partials}, as bits: the scans for a piece to start test these, not the map. */
    private final BitSet started = new BitSet();
    /** Work space of those scans (one thread). */
    private final BitSet candidates = new BitSet();
    private boolean sequential;

    /** Moves at every change of {@code have} or the priorities. */
    private long changes;

    public PiecePicker(int pieceCount, long pieceLength, long totalLength, Random random) {
        this.pieceCount = pieceCount;
        this.pieceLength = pieceLength;
        this.totalLength = totalLength;
        this.random = random;
        this.availability = new int[pieceCount];
        this.priority = new byte[pieceCount];
        java.util.Arrays.fill(priority, (byte) 1);
        this.have = new BitSet(pieceCount);
        this.wantedSet = new BitSet(pieceCount);
        wantedSet.set(0, pieceCount);
    }

    // ---- layout ----

    public int pieceCount() {
        return pieceCount;
    }

    public long pieceSize(int piece) {
        return piece == pieceCount - 1 ? totalLength - pieceLength * piece : pieceLength;
    }

    public int blocksIn(int piece) {
        return (int) ((pieceSize(piece) + BLOCK - 1) / BLOCK);
    }

    public int blockLength(Block b) {
        return (int) Math.min(BLOCK, pieceSize(b.piece()) - (long) b.index() * BLOCK);
    }

    // ---- what we have and want ----

    /**
     * What a data check found. Pieces started before it are forgotten (their blocks were dropped
     * when the transfers stopped for the check, or a failed write left them unverified).
     */
    public void setHave(BitSet pieces) {
        changes++;
        have.clear();
        have.or(pieces);
        have.clear(pieceCount, Math.max(pieceCount, have.length()));
        partials.clear();
        started.clear();
        recomputeWanted();
    }

    private void recomputeWanted() {
        wantedSet.clear();
        for (int i = 0; i < pieceCount; i++) {
            if (priority[i] > 0 && !have.get(i)) {
                wantedSet.set(i);
            }
        }
    }

    public boolean have(int piece) {
        return have.get(piece);
    }

    public BitSet haveSet() {
        return (BitSet) have.clone();
    }

    public int haveCount() {
        return have.cardinality();
    }

    /** Piece priorities: 0 skip, 1 normal, higher first. */
    public void setPriorities(byte[] pieces) {
        changes++;
        System.arraycopy(pieces, 0, priority, 0, pieceCount);
        recomputeWanted();
    }

    /** A count that moves whenever what we have or want does (for views that cache what they derive from them). */
    public long changes() {
        return changes;
    }

    public int priority(int piece) {
        return priority[piece];
    }

    public void setSequential(boolean on) {
        this.sequential = on;
    }

    public boolean wanted(int piece) {
        return wantedSet.get(piece);
    }

    /** Whether every wanted piece is had. */
    public boolean complete() {
        return wantedSet.isEmpty();
    }

    /** Bytes of wanted pieces not yet had. */
    public long bytesLeft() {
        long left = 0;
        for (int i = have.nextClearBit(0); i < pieceCount; i = have.nextClearBit(i + 1)) {
            if (priority[i] > 0) {
                left += pieceSize(i);
            }
        }
        return left;
    }

    /** Whether a peer with these pieces has one we want. */
    public boolean interesting(BitSet peerHas) {
        // word by word: asked of every peer at every verified piece, and a peer that has nearly
        // everything was walked piece by piece (a twentieth of a 200-peer simulation's time)
        return peerHas.intersects(wantedSet);
    }

    // ---- availability ----

    public void peerHasAll(BitSet pieces) {
        for (int i = pieces.nextSetBit(0); i >= 0 && i < pieceCount; i = pieces.nextSetBit(i + 1)) {
            availability[i]++;
        }
    }

    public void peerHas(int piece) {
        availability[piece]++;
    }

    public void peerGone(BitSet pieces) {
        for (int i = pieces.nextSetBit(0); i >= 0 && i < pieceCount; i = pieces.nextSetBit(i + 1)) {
            availability[i]--;
        }
    }

    /** Pieces with blocks requested or received and not yet verified. */
    public BitSet partialPieces() {
        return (BitSet) started.clone();
    }

    public int availability(int piece) {
        return availability[piece];
    }

    // ---- picking ----

    /**
     * Up to {@code max} blocks to request from {@code peer}, which has {@code peerHas}. The blocks
     * are marked requested by it.
     */
    public List<Block> pick(BitSet peerHas, int max, S peer) {
        return pick(peerHas, max, peer, null);
    }

    /**
     * As {@link #pick(BitSet, int, Object)}; new pieces are started first among those the peer
     * {@code suggested} (BEP 6), at the highest priority wanted: a seed suggests the pieces it gave
     * out least, which its peers' own view of rarity cannot tell.
     */
    public List<Block> pick(BitSet peerHas, int max, S peer, Collection<Integer> suggested) {
        List<Block> out = new ArrayList<>(Math.max(0, max));
        if (max <= 0) {
            return out;
        }
        // 1. finish what is started -- unless the piece is commoner than what this peer alone can
        //    give us: a peer's bandwidth (a seed's above all) goes to the rarest pieces first; and
        //    unless the peer suggests a piece we can start and others have the started one too
        // (rarest is computed only when a partial piece could be deferred: it costs a pass)
        int rarest = -1;
        boolean mayDefer = !sequential && have.cardinality() >= RANDOM_FIRST_PIECES;
        int hint = sequential || suggested == null ? -1 : -2; // -2: not looked for yet
        List<Partial<S>> deferred = new ArrayList<>();
        for (Partial<S> p : partials.values()) {
            if (out.size() >= max) {
                return out;
            }
            if (p.hasUnrequested() && peerHas.get(p.piece) && priority[p.piece] > 0) {
                if (availability[p.piece] > 1 && hint == -2) {
                    hint = suggestedPiece(peerHas, suggested, 1);
                }
                if (mayDefer && availability[p.piece] > 1 && rarest < 0) {
                    rarest = rarestNewAvailability(peerHas);
                }
                if ((hint >= 0 && availability[p.piece] > 1) || (mayDefer && availability[p.piece] > rarest && rarest >= 0)) {
                    deferred.add(p);
                } else {
                    takeUnrequested(p, max, peer, out);
                }
            }
        }
        // 2. start new pieces
        while (out.size() < max) {
            int piece = choosePiece(peerHas, suggested);
            if (piece < 0) {
                break;
            }
            Partial<S> p = new Partial<S>(piece, blocksIn(piece));
            partials.put(piece, p);
            started.set(piece);
            takeUnrequested(p, max, peer, out);
        }
        for (Partial<S> p : deferred) {
            if (out.size() >= max) {
                return out;
            }
            takeUnrequested(p, max, peer, out);
        }
        // 3. end game: everything is requested; ask this peer too
        if (out.isEmpty() && allRequested()) {
            for (Partial<S> p : partials.values()) {
                if (!peerHas.get(p.piece)) {
                    continue;
                }
                for (int b = 0; b < p.blocks && out.size() < max; b++) {
                    List<S> who = p.requesters.get(b);
                    if (!p.received[b] && !who.contains(peer) && who.size() < MAX_ENDGAME_REQUESTERS) {
                        if (who.isEmpty()) {
                            p.requestedCount++;
                        }
                        who.add(peer);
                        out.add(new Block(p.piece, b));
                    }
                }
            }
        }
        return out;
    }

    /** The lowest availability among pieces the peer has that nobody has started, or MAX_VALUE. */
    private int rarestNewAvailability(BitSet peerHas) {
        int min = Integer.MAX_VALUE;
        BitSet c = startable(peerHas);
        for (int i = c.nextSetBit(0); i >= 0; i = c.nextSetBit(i + 1)) {
            if (availability[i] < min) {
                min = availability[i];
            }
        }
        return min;
    }

    /**
     * Wanted pieces nobody has started that the peer has (any, for a null {@code peerHas}), by word
     * operations, not a map lookup per piece; the set returned is reused by the next call.
     */
    private BitSet startable(BitSet peerHas) {
        candidates.clear();
        candidates.or(wantedSet);
        if (peerHas != null) {
            candidates.and(peerHas);
        }
        candidates.andNot(started);
        return candidates;
    }

    /** Whether the picker is in end game: no wanted block is left unrequested. */
    public boolean allRequested() {
        for (Partial<S> p : partials.values()) {
            if (p.hasUnrequested() && priority[p.piece] > 0) {
                return false;
            }
        }
        return startable(null).isEmpty();
    }

    private void takeUnrequested(Partial<S> p, int max, S peer, List<Block> out) {
        for (int b = 0; b < p.blocks && out.size() < max; b++) {
            if (!p.received[b] && p.requesters.get(b).isEmpty()) {
                p.requesters.get(b).add(peer);
                p.requestedCount++;
                out.add(new Block(p.piece, b));
            }
        }
    }

    /** The next piece to start for a peer that has {@code peerHas}, or -1. */
    private int choosePiece(BitSet peerHas, Collection<Integer> suggested) {
        if (sequential) {
            for (int i = have.nextClearBit(0); i < pieceCount; i = have.nextClearBit(i + 1)) {
                if (priority[i] > 0 && peerHas.get(i) && !started.get(i)) {
                    return i;
                }
            }
            return -1;
        }
        boolean randomFirst = have.cardinality() < RANDOM_FIRST_PIECES;
        int best = -1;
        int bestPriority = 0;
        int bestAvailability = Integer.MAX_VALUE;
        int ties = 0;
        BitSet c = startable(peerHas);
        for (int i = c.nextSetBit(0); i >= 0; i = c.nextSetBit(i + 1)) {
            int avail = randomFirst ? 0 : availability[i];
            int prio = priority[i];
            if (prio > bestPriority || (prio == bestPriority && avail < bestAvailability)) {
                best = i;
                bestPriority = prio;
                bestAvailability = avail;
                ties = 1;
            } else if (prio == bestPriority && avail == bestAvailability) {
                ties++;
                if (random.nextInt(ties) == 0) { // reservoir sampling: uniform among equals
                    best = i;
                }
            }
        }
        int hint = best < 0 ? -1 : suggestedPiece(peerHas, suggested, bestPriority);
        return hint >= 0 ? hint : best;
    }

    /** A piece {@code suggested} that the peer has and we want at {@code minPriority} or above, not started; -1 if none. */
    private int suggestedPiece(BitSet peerHas, Collection<Integer> suggested, int minPriority) {
        if (suggested != null) {
            for (int i : suggested) {
                if (i < pieceCount && priority[i] >= minPriority && peerHas.get(i) && !have.get(i) && !started.get(i)) {
                    return i;
                }
            }
        }
        return -1;
    }

    // ---- outcomes ----

    /** A request of {@code peer} will not be answered (choked, timed out, rejected, disconnected). */
    public void unrequest(Block b, S peer) {
        Partial<S> p = partials.get(b.piece());
        if (p == null || p.received[b.index()]) {
            return;
        }
        List<S> who = p.requesters.get(b.index());
        if (who.remove(peer) && who.isEmpty()) {
            p.requestedCount--;
        }
    }

    /**
     * A block arrived from {@code peer}. Other peers that had it requested (end game) are added to
     * {@code othersToCancel}.
     */
    public Received received(Block b, S peer, List<S> othersToCancel) {
        Partial<S> p = partials.get(b.piece());
        if (p == null || b.index() >= p.blocks || p.received[b.index()]) {
            return Received.UNWANTED;
        }
        List<S> who = p.requesters.get(b.index());
        if (!who.isEmpty()) {
            p.requestedCount--;
        }
        for (S other : who) {
            if (other != peer) {
                othersToCancel.add(other);
            }
        }
        who.clear();
        p.received[b.index()] = true;
        p.receivedCount++;
        p.contributors.add(peer);
        return p.receivedCount == p.blocks ? Received.PIECE_COMPLETE : Received.ACCEPTED;
    }

    /** The piece's hash matched: it is had. */
    public void pieceVerified(int piece) {
        partials.remove(piece);
        started.clear(piece);
        changes++;
        have.set(piece);
        wantedSet.clear(piece);
    }

    /**
     * The piece's hash did not match: all its blocks are wanted again.
     *
     * @return the peers that sent its blocks
     */
    public Set<S> pieceFailed(int piece) {
        Partial<S> p = partials.remove(piece);
        started.clear(piece);
        return p == null ? Set.of() : p.contributors;
    }

    /** Forgets every request of {@code peer} (it left): those blocks become requestable again. */
    public void peerLeft(S peer) {
        for (Partial<S> p : partials.values()) {
            for (int b = 0; b < p.blocks; b++) {
                List<S> who = p.requesters.get(b);
                if (who.remove(peer) && who.isEmpty() && !p.received[b]) {
                    p.requestedCount--;
                }
            }
        }
        // pieces nobody works on any more and nothing arrived for are not partial
        for (Iterator<Partial<S>> it = partials.values().iterator(); it.hasNext(); ) {
            Partial<S> p = it.next();
            if (p.receivedCount == 0 && p.requestedCount == 0) {
                it.remove();
                started.clear(p.piece);
            }
        }
    }

    /** Pieces started and not finished, for status. */
    public int partialCount() {
        return partials.size();
    }
}
