package io.jtorrent.engine.pieces;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who sent the bad block (libtorrent's smart ban): when a piece fails its hash, the CRC-32 of each
 * of its blocks is kept with the block's sender; when the piece later verifies, the senders of
 * blocks that differ from the good copy are the culprits — and nobody else is blamed. At most
 * {@link #COPIES_KEPT} failed copies are kept per piece (the oldest forgotten first). Senders
 * ({@code S}: peers, web-seed connections) are compared by reference; the torrent's loop owns it.
 */
public final class SmartBan<S> {
    public static final int COPIES_KEPT = 4;

    private record Copy<S>(int[] crcs, List<S> senders) {}

    private final Map<Integer, List<Copy<S>>> failed = new HashMap<>();

    /** A copy of {@code piece} failed its hash: block {@code i} had CRC {@code crcs[i]} and came from {@code senders[i]}. */
    public void pieceFailed(int piece, int[] crcs, List<S> senders) {
        List<Copy<S>> copies = failed.computeIfAbsent(piece, k -> new ArrayList<>());
        if (copies.size() == COPIES_KEPT) {
            copies.remove(0);
        }
        copies.add(new Copy<>(crcs.clone(), new ArrayList<>(senders)));
    }

    /**
     * {@code piece} verified with these block CRCs: the senders of every block of a failed copy that
     * differs from the good one, each once, in block order. The piece is forgotten.
     */
    public List<S> pieceVerified(int piece, int[] goodCrcs) {
        List<Copy<S>> copies = failed.remove(piece);
        if (copies == null || goodCrcs == null) {
            return List.of();
        }
        Set<S> culprits = new LinkedHashSet<>();
        for (Copy<S> c : copies) {
            for (int b = 0; b < Math.min(goodCrcs.length, Math.min(c.crcs().length, c.senders().size())); b++) {
                if (c.crcs()[b] != goodCrcs[b] && c.senders().get(b) != null) {
                    culprits.add(c.senders().get(b));
                }
            }
        }
        return new ArrayList<>(culprits);
    }

    /** Whether a failed copy of {@code piece} is remembered (its good copy's CRCs will be compared). */
    public boolean remembers(int piece) {
        return failed.containsKey(piece);
    }

    /** Pieces with a failed copy remembered. */
    public int piecesRemembered() {
        return failed.size();
    }
}
