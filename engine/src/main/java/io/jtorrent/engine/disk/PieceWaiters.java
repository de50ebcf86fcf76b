package io.jtorrent.engine.disk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests that wait for one operation on their piece (a read of it whole, a check of it): the
 * first to come starts the operation, the others wait for it, and all are handed back in the order
 * they came when it is over. Bounded by the pieces and the requests the peers may have pending.
 * Used on the torrent's loop only.
 *
 * @param <W> what a waiting request carries (the request and where its answer goes)
 */
public final class PieceWaiters<W> {
    private final Map<Integer, List<W>> waiting = new HashMap<>();

    /** Adds {@code w} to the piece's waiters; true if it is the first, and the caller starts the operation. */
    public boolean add(int piece, W w) {
        List<W> list = waiting.get(piece);
        if (list != null) {
            list.add(w);
            return false;
        }
        list = new ArrayList<>();
        list.add(w);
        waiting.put(piece, list);
        return true;
    }

    /** The operation on the piece is over: its waiters, in the order they came (none if it had none). */
    public List<W> done(int piece) {
        List<W> list = waiting.remove(piece);
        return list == null ? List.of() : list;
    }
}
