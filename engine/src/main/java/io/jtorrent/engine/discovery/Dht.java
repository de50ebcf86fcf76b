package io.jtorrent.engine.discovery;

import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.metainfo.Metainfo;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The session's DHT node (BEP 5) as torrents use it; a simulation brings its own. Futures may complete on any thread. */
public interface Dht {
    /** The UDP port peers may reach the node on (for the {@code port} message). */
    int port();

    /**
     * Completes once the node is worth asking: its bootstrap ended, and {@code torrentNodes} (the
     * torrent's own DHT nodes, looked up by name off the loop) were contacted. Never fails.
     */
    CompletableFuture<Void> ready(List<Metainfo.Node> torrentNodes);

    /**
     * Looks up peers of {@code infoHash} and announces us on {@code port} to the closest nodes;
     * {@code early} gets the peers of each answer as they arrive (on any thread), the future all of
     * them at the end.
     */
    CompletableFuture<List<InetSocketAddress>> announce(InfoHash infoHash, int port,
                                                       java.util.function.Consumer<List<InetSocketAddress>> early);

    /** A node a peer told us of. */
    void addNode(InetSocketAddress node);
}
