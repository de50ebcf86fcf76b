package io.jtorrent.engine.torrent;

import io.jtorrent.engine.peer.PeerConnection;
import java.util.List;

/** A torrent's own peer limit, set while it runs (for {@link io.jtorrent.engine.TorrentHandle#setPeerLimit}). */
public final class PeerLimit {
    private PeerLimit() {}

    /**
     * At most {@code n} peers for this torrent from now on (0: the session's limit); on its loop.
     * Peers over the limit go, the most recently connected first.
     */
    public static void apply(Torrent t, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("peer limit " + n + " is negative");
        }
        t.maxPeers = n;
        List<PeerConnection> peers = t.peerSet.snapshot();
        for (int i = t.host.maxPeers(); i < peers.size(); i++) {
            peers.get(i).close("over the torrent's peer limit");
        }
    }
}
