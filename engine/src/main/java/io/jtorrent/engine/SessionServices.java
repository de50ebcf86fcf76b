package io.jtorrent.engine;

import io.jtorrent.engine.discovery.Dht;
import io.jtorrent.engine.discovery.Trackers;
import io.jtorrent.engine.disk.DiskIo;
import io.jtorrent.engine.net.HandshakeHandler;
import io.jtorrent.engine.rate.RateLimiter;
import io.jtorrent.engine.torrent.Torrent;
import io.jtorrent.engine.torrent.TorrentServices;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.wire.Handshake;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The session as its torrents and the handshake see it: settings, events, disk, limits, trackers,
 * the DHT and LSD, dialling, and the torrents by info-hash.
 */
final class SessionServices implements TorrentServices, HandshakeHandler.Directory {
    private final Session session;

    SessionServices(Session session) {
        this.session = session;
    }

    private final Trackers trackers = new Trackers() {
        @Override
        public CompletableFuture<io.jtorrent.tracker.AnnounceResponse> announce(String url, io.jtorrent.tracker.AnnounceRequest r) {
            return session.tracker.announce(url, r);
        }

        @Override
        public CompletableFuture<io.jtorrent.tracker.ScrapeResult> scrape(String url, InfoHash infoHash) {
            return session.tracker.scrape(url, infoHash);
        }
    };

    private final Dht dhtGlue = new Dht() {
        @Override
        public int port() {
            return session.dhtPort();
        }

        @Override
        public CompletableFuture<Void> ready(List<Metainfo.Node> own) {
            // the torrent's own nodes looked up off the loop; with the session's bootstrap done too
            if (own.isEmpty()) {
                return session.dhtReady;
            }
            return session.tracker.resolver().resolveEach(own, Metainfo.Node::host, Metainfo.Node::port).thenCompose(nodes ->
                    CompletableFuture.allOf(session.dhtReady, nodes.isEmpty() ? CompletableFuture.completedFuture(null)
                            : session.dht.bootstrap(nodes).handle((l, e) -> null))).handle((v, e) -> null);
        }

        @Override
        public CompletableFuture<List<InetSocketAddress>> announce(InfoHash infoHash, int port,
                                                                  java.util.function.Consumer<List<InetSocketAddress>> early) {
            return session.dht.announce(io.jtorrent.dht.NodeId.of(infoHash.truncated20()), port, early)
                    .thenApply(lookup -> lookup == null ? List.<InetSocketAddress>of() : lookup.peers());
        }

        @Override
        public void addNode(InetSocketAddress node) {
            session.dht.addNode(node);
        }
    };

    @Override
    public Settings settings() {
        return session.settings;
    }

    @Override
    public byte[] peerId() {
        return session.peerId;
    }

    @Override
    public Handshake handshakeFor(InfoHash infoHash) {
        byte[] reserved = new byte[8];
        reserved[Handshake.EXTENSION_PROTOCOL_BYTE] |= Handshake.EXTENSION_PROTOCOL_MASK;
        reserved[Handshake.FAST_BYTE] |= Handshake.FAST_MASK;
        if (session.dht != null) {
            reserved[Handshake.DHT_BYTE] |= Handshake.DHT_MASK;
        }
        return new Handshake(reserved, infoHash, session.peerId);
    }

    @Override
    public Handshake ourHandshake(InfoHash infoHash) {
        return handshakeFor(infoHash);
    }

    @Override
    public int listenPort() {
        return session.listenPort();
    }

    @Override
    public void post(SessionEvent e) {
        session.events.post(e);
    }

    @Override
    public DiskIo disk() {
        return session.disk;
    }

    @Override
    public io.jtorrent.storage.StorageFactory storage() {
        return session.settings.umask < 0 ? io.jtorrent.storage.FileStorage.FACTORY
                : io.jtorrent.storage.FileStorage.factory(session.settings.umask);
    }

    @Override
    public long nextSeed() {
        return session.seeds.nextLong(); // Random is thread-safe
    }

    @Override
    public Path resumeFile(InfoHash infoHash) {
        return session.resumeFile(infoHash);
    }

    @Override
    public RateLimiter uploadLimiter() {
        return session.uploadLimiter;
    }

    @Override
    public RateLimiter downloadLimiter() {
        return session.downloadLimiter;
    }

    @Override
    public Trackers trackers() {
        return trackers;
    }

    @Override
    public io.jtorrent.tracker.Resolver resolver() {
        return session.tracker.resolver();
    }

    @Override
    public Dht dht() {
        return session.dht == null ? null : dhtGlue;
    }

    @Override
    public void announceLocally(InfoHash infoHash) {
        if (session.lsd != null) {
            session.lsd.announce(List.of(InfoHash.v1(infoHash.truncated20()))); // BEP 14 carries 40 hex digits
        }
    }

    @Override
    public boolean mayDial() {
        return session.mayDial();
    }

    @Override
    public void dial(Torrent torrent, InetSocketAddress address, int hints, java.util.function.IntConsumer connected,
                     Runnable failed) {
        session.dial(torrent, address, hints, connected, failed);
    }

    @Override
    public HandshakeHandler.Target find(InfoHash infoHash) {
        return session.handshakeTarget(infoHash);
    }

    @Override
    public boolean blocked(java.net.InetAddress address) {
        return session.blocked(address);
    }

    @Override
    public java.time.Duration handshakeTimeout() {
        return session.settings.handshakeTimeout;
    }
}
