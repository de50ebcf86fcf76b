package io.jtorrent.engine.torrent;

import io.jtorrent.engine.peer.PeerConnection;
import java.util.List;

/**
 * Limits set on a torrent while it runs: its own peer limit ({@link
 * io.jtorrent.engine.TorrentHandle#setPeerLimit}), its bandwidth group ({@link
 * io.jtorrent.engine.TorrentHandle#setBandwidthGroup}) and its bandwidth priority ({@link
 * io.jtorrent.engine.TorrentHandle#setBandwidthPriority}).
 */
public final class TorrentLimits {
    private TorrentLimits() {}

    /**
     * At most {@code n} peers for this torrent from now on (0: the session's limit); on its loop.
     * Peers over the limit go, the most recently connected first.
     */
    public static void peerLimit(Torrent t, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("peer limit " + n + " is negative");
        }
        t.maxPeers = n;
        List<PeerConnection> peers = t.peerSet.snapshot();
        for (int i = t.host.maxPeers(); i < peers.size(); i++) {
            peers.get(i).close("over the torrent's peer limit");
        }
    }

    /** Pieces picked in order (true) or rarest first; on the loop. */
    public static void sequential(Torrent t, boolean on) {
        t.transfers.setSequential(on);
    }

    /** The torrent's bandwidth priority: -1 low, 0 normal, 1 high (see {@link Transfers#setPriority}); any thread. */
    public static void bandwidthPriority(Torrent t, int priority) {
        t.transfers.setPriority(priority);
    }

    /** The torrent's transfers also count against a group's shared limiters (null: none); any thread. */
    public static void bandwidthGroup(Torrent t, io.jtorrent.engine.rate.RateLimiter up,
                                      io.jtorrent.engine.rate.RateLimiter down, boolean honorsSessionLimits) {
        t.transfers.setGroup(up, down, honorsSessionLimits);
    }
}
