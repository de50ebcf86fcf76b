package io.jtorrent.engine;

import io.jtorrent.net.Transport;
import io.jtorrent.engine.disk.DiskIo;
import io.jtorrent.engine.net.DhtLauncher;
import io.jtorrent.engine.net.HandshakeHandler;
import io.jtorrent.engine.net.LocalDiscovery;
import io.jtorrent.engine.net.PeerPorts;
import io.jtorrent.engine.net.NettyLoop;
import io.jtorrent.engine.torrent.Torrent;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.engine.rate.RateLimiter;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.tracker.TrackerClient;
import io.jtorrent.wire.mse.MseHandshake;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A BitTorrent client: one per process, many torrents. It listens for peers on one port number,
 * TCP and uTP over UDP ({@link io.jtorrent.engine.net.PeerPorts}), owns the event loops, disk and hash threads, the global rate limits and the event stream.
 *
 * <pre>{@code
 * try (Session session = Session.start(Settings.builder().listenPort(6881).build())) {
 *     session.subscribe(e -> System.out.println(e));
 *     TorrentHandle t = session.add(AddTorrentParams.builder(Metainfo.read(file), Path.of("downloads")).build()).get();
 *     while (!t.status().get().isFinished()) {
 *         Thread.sleep(1000);
 *     }
 * }
 * }</pre>
 */
public final class Session implements AutoCloseable {
    private static final String ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    final Settings settings;
    final byte[] peerId;
    /** Seeds each torrent's Random (from Settings.randomSeed when given): decisions, not secrets. */
    final java.util.Random seeds;
    final EventBus events = new EventBus();
    final DiskIo disk;
    final TrackerClient tracker;
    final RateLimiter uploadLimiter;
    final RateLimiter downloadLimiter;
    private final EventLoopGroup loops;
    /** A torrent and how the handshake finds it. */
    private record Entry(Torrent torrent, HandshakeHandler.Target target) {}

    private final Map<InfoHash, Entry> torrents = new ConcurrentHashMap<>();
    /** Each torrent by the 20-byte hashes a handshake may carry (v1, truncated v2), by {@link AddTorrentParams#swarmHashes}. */
    private final Map<InfoHash, Entry> bySwarmHash = new ConcurrentHashMap<>();
    /** {@code HASH('req2', hash)} of each of those: how an encrypted handshake names one (MSE). */
    private final Map<InfoHash, byte[]> req2BySwarmHash = new ConcurrentHashMap<>();
    /** What torrents ask of the session, and what the handshake asks. */
    private final SessionServices services = new SessionServices(this);
    /** The TCP listener and the uTP socket, and dialling. */
    private final PeerPorts ports;
    /** The DHT node, or null when the settings run none. */
    final io.jtorrent.dht.DhtServer dht;
    /** Completes once the DHT's bootstrap nodes answered (or {@link #DHT_BOOTSTRAP_WAIT} passed): torrents' first lookups wait for it. */
    volatile java.util.concurrent.CompletableFuture<Void> dhtReady = java.util.concurrent.CompletableFuture.completedFuture(null);
    static final java.time.Duration DHT_BOOTSTRAP_WAIT = java.time.Duration.ofSeconds(15);
    /** Local Service Discovery (BEP 14), or null when the settings leave it off. */
    final LocalDiscovery lsd;
    private volatile boolean closed;
    private volatile Settings.Encryption encryption;

    private Session(Settings settings) throws IOException {
        this.settings = settings;
        this.peerId = newPeerId(settings.peerIdPrefix);
        this.encryption = settings.encryption;
        this.disk = new io.jtorrent.engine.disk.ThreadPoolDiskIo(settings.diskThreads, settings.hashThreads);
        this.uploadLimiter = new RateLimiter(settings.uploadLimit, System::nanoTime);
        this.downloadLimiter = new RateLimiter(settings.downloadLimit, System::nanoTime);
        this.seeds = settings.randomSeed == null ? new java.util.Random() : new java.util.Random(settings.randomSeed);
        this.loops = Transport.group(settings.networkThreads, daemon("jtorrent-net"));
        // UDP trackers: BEP 15's 15 s first retransmission, at most 2 retransmissions per announce
        // (the announcer itself retries later with back-off)
        this.tracker = new TrackerClient(loops, settings.trackerTimeout, java.time.Duration.ofSeconds(15), 2, settings.userAgent);
        io.jtorrent.dht.DhtServer d = null;
        PeerPorts p;
        try {
            d = settings.dhtPort < 0 ? null : DhtLauncher.start(settings);
            p = new PeerPorts(settings, loops, d, new PortsOwner());
        } catch (IOException e) {
            if (d != null) {
                d.close();
            }
            shutdownThreads();
            throw e;
        }
        this.ports = p;
        this.dht = d;
        if (d != null) {
            this.dhtReady = DhtLauncher.bootstrap(d, settings, tracker.resolver(), DHT_BOOTSTRAP_WAIT);
        }
        int port = ports.port();
        LocalDiscovery local = null;
        if (settings.lsd) {
            try {
                local = new LocalDiscovery(loops, settings.bindAddress, port, (hash, peer) -> {
                    Entry e = bySwarmHash.get(InfoHash.v1(hash.truncated20()));
                    if (e != null) {
                        e.torrent().owner().execute(() -> e.torrent().localPeer(peer));
                    }
                });
            } catch (IOException e) {
                // not fatal: the session works without it, as without a DHT
                org.slf4j.LoggerFactory.getLogger(Session.class).warn("Local Service Discovery is off: {}", e.getMessage());
            }
        }
        this.lsd = local;
    }


    /** The DHT node's id, or null without DHT. */
    public io.jtorrent.dht.NodeId dhtNodeId() {
        return dht == null ? null : dht.id();
    }

    /** The DHT node's UDP port, or -1 without DHT. */
    public int dhtPort() {
        return dht == null ? -1 : dht.address().getPort();
    }

    /** Starts a session listening for peers as {@code settings} say. */
    public static Session start(Settings settings) throws IOException {
        return new Session(settings);
    }

    private static io.netty.util.concurrent.DefaultThreadFactory daemon(String name) {
        return new io.netty.util.concurrent.DefaultThreadFactory(name, true);
    }

    static byte[] newPeerId(String prefix) {
        byte[] id = new byte[20];
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(p, 0, id, 0, p.length);
        SecureRandom r = new SecureRandom();
        for (int i = p.length; i < 20; i++) {
            id[i] = (byte) ID_CHARS.charAt(r.nextInt(ID_CHARS.length()));
        }
        return id;
    }

    /** Changes the session's global rate limits (bytes per second, 0 unlimited), at once. */
    public void setLimits(long upload, long download) {
        uploadLimiter.setRate(upload);
        downloadLimiter.setRate(download);
    }

    /** Bytes of verified pieces waiting to be written, over all torrents (a metric). */
    public long diskQueueBytes() {
        long n = 0;
        for (Entry e : torrents.values()) {
            n += e.torrent().pendingWriteBytes();
        }
        return n;
    }

    /** The port peers reach us on (the one chosen, when the settings said 0): TCP's, and uTP's over UDP. */
    public int listenPort() {
        return ports.port();
    }

    public byte[] peerId() {
        return peerId.clone();
    }

    /** Receives every event from now on, on the session's event thread. Close the result to stop. */
    public AutoCloseable subscribe(Consumer<? super SessionEvent> subscriber) {
        return events.subscribe(subscriber);
    }

    /**
     * Adds a torrent. The future completes once the data on disk has been checked (so a seed-only
     * add can fail there) and transfers have started; for a magnet link, once the metadata fetch
     * has started ({@link TorrentHandle#metadata()} completes when it is done).
     */
    public CompletableFuture<TorrentHandle> add(AddTorrentParams params) {
        InfoHash hash = params.infoHash();
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("session closed"));
        }
        if (params.unsupported() != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(params.unsupported()));
        }
        Entry entry = newTorrent(params);
        Torrent t = entry.torrent();
        if (!register(params, entry)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("torrent " + hash + " is already added"));
        }
        t.owner().execute(t::start);
        return t.checked().thenApply(checked -> new TorrentHandle(this, t)).whenComplete((h, e) -> {
            if (e != null) {
                unregister(t, entry);
            }
        });
    }

    /** Files the torrent under its name and its swarm hashes; false if one of them is taken. */
    private synchronized boolean register(AddTorrentParams params, Entry entry) {
        if (torrents.containsKey(params.infoHash())
                || params.swarmHashes().stream().anyMatch(bySwarmHash::containsKey)) {
            return false;
        }
        torrents.put(params.infoHash(), entry);
        params.swarmHashes().forEach(h -> {
            bySwarmHash.put(h, entry);
            req2BySwarmHash.put(h, MseHandshake.req2(h.truncated20()));
        });
        return true;
    }

    private synchronized void unregister(Torrent t, Entry entry) {
        torrents.remove(t.infoHash(), entry);
        bySwarmHash.entrySet().removeIf(e -> {
            if (e.getValue() == entry) {
                req2BySwarmHash.remove(e.getKey());
                return true;
            }
            return false;
        });
    }

    /**
     * Adds a torrent and returns its handle at once, without waiting for the data check (a service
     * answering a request must not wait for hashing). A failure to open or check the data leaves
     * the torrent in state ERROR with the reason; a duplicate is refused at once.
     */
    public TorrentHandle addNow(AddTorrentParams params) {
        InfoHash hash = params.infoHash();
        if (closed) {
            throw new IllegalStateException("session closed");
        }
        if (params.unsupported() != null) {
            throw new IllegalArgumentException(params.unsupported());
        }
        Entry entry = newTorrent(params);
        if (!register(params, entry)) {
            throw new IllegalArgumentException("torrent " + hash + " is already added");
        }
        Torrent t = entry.torrent();
        t.owner().execute(t::start);
        return new TorrentHandle(this, t);
    }

    /** A torrent on the next event loop, with what the handshake needs to find it. */
    private Entry newTorrent(AddTorrentParams params) {
        EventLoop loop = loops.next();
        NettyLoop owner = new NettyLoop(loop);
        Torrent t = new Torrent(services, owner, loop, params);
        return new Entry(t, new HandshakeHandler.Target(t.infoHash(), loop, owner, t.peerSet(), t.peerHost()));
    }

    public List<TorrentHandle> torrents() {
        List<TorrentHandle> out = new ArrayList<>();
        torrents.values().forEach(e -> out.add(new TorrentHandle(this, e.torrent())));
        return out;
    }

    CompletableFuture<Void> remove(Torrent t) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        t.owner().execute(() -> t.stop().whenComplete((v, e) -> {
            Entry entry = torrents.get(t.infoHash());
            if (entry != null && entry.torrent() == t) {
                unregister(t, entry);
            }
            events.post(new SessionEvent.TorrentRemoved(t.infoHash()));
            done.complete(null);
        }));
        return done;
    }

    Path resumeFile(InfoHash hash) {
        return settings.resumeDirectory == null ? null : settings.resumeDirectory.resolve(hash.hex() + ".resume");
    }

    /** The swarm hash (20 bytes) whose {@code HASH('req2', hash)} this is, or null. */
    private byte[] skeyByReq2(byte[] req2) {
        for (Map.Entry<InfoHash, byte[]> e : req2BySwarmHash.entrySet()) {
            if (java.security.MessageDigest.isEqual(e.getValue(), req2)) {
                return e.getKey().truncated20();
            }
        }
        return null;
    }

    /** Peers refused by address (a blocklist); never null. */
    private volatile java.util.function.Predicate<java.net.InetAddress> blocklist = a -> false;

    /**
     * Refuses peers whose address {@code blocked} says (a blocklist), from now on both ways, and
     * closes the connections to such peers at once; null lifts it.
     */
    public void setBlocklist(java.util.function.Predicate<java.net.InetAddress> blocked) {
        java.util.function.Predicate<java.net.InetAddress> b = blocked == null ? a -> false : blocked;
        blocklist = b;
        for (Entry e : torrents.values()) {
            Torrent t = e.torrent();
            t.owner().execute(() -> t.peerSet().snapshot().stream().filter(p -> b.test(p.address().getAddress()))
                    .forEach(p -> p.close("blocklisted address")));
        }
    }

    boolean blocked(java.net.InetAddress address) {
        return address != null && blocklist.test(address);
    }

    /** Encryption towards peers from now on (connections made before keep theirs). */
    public void setEncryption(Settings.Encryption policy) {
        encryption = java.util.Objects.requireNonNull(policy);
    }

    public Settings.Encryption encryption() {
        return encryption;
    }

    /** The handshake's view of the torrent a handshake names by this (20-byte) hash, or null. */
    HandshakeHandler.Target handshakeTarget(InfoHash infoHash) {
        Entry e = bySwarmHash.get(InfoHash.v1(infoHash.truncated20()));
        return e == null ? null : e.target();
    }

    boolean mayDial() {
        return !closed && ports.roomForOneMore();
    }

    /**
     * Dials a peer for a torrent, as {@code hints} ({@code PeerCandidates.UTP} ...) say (see
     * {@link PeerPorts#dial}); {@code connected} and {@code failed} run on the torrent's loop.
     */
    void dial(Torrent t, InetSocketAddress address, int hints, IntConsumer connected, Runnable failed) {
        Entry entry = torrents.get(t.infoHash());
        if (entry == null || entry.torrent() != t || blocked(address.getAddress())) {
            t.owner().execute(failed);
            return;
        }
        ports.dial(entry.target(), address, hints, connected, failed);
    }

    /**
     * Turns uTP on (its socket opened on the peer port's number, or the DHT's shared) or off (its
     * connections closed), at once. Refuses to turn off the only transport.
     */
    public void setUtp(boolean on) throws IOException {
        ports.setUtp(on);
    }

    /** Whether uTP is on. */
    public boolean utpEnabled() {
        return ports.utpEnabled();
    }

    /** What the peer ports ask of the session. */
    private final class PortsOwner implements PeerPorts.Owner {
        @Override
        public HandshakeHandler.Directory directory() {
            return services;
        }

        @Override
        public byte[] skeyByReq2(byte[] req2) {
            return Session.this.skeyByReq2(req2);
        }

        @Override
        public Settings.Encryption encryption() {
            return encryption;
        }

        @Override
        public boolean closing() {
            return closed;
        }
    }

    /**
     * Stops every torrent (announcing {@code stopped}, flushing data and resume files), closes
     * every connection and the port, and ends the threads. Waits at most about half a minute.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ports.closeListener();
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (Entry entry : torrents.values()) {
            Torrent t = entry.torrent();
            CompletableFuture<Void> f = new CompletableFuture<>();
            t.owner().execute(() -> t.stop().whenComplete((v, e) -> f.complete(null)));
            stops.add(f);
        }
        try {
            CompletableFuture.allOf(stops.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway: what could be saved was
        }
        torrents.clear();
        bySwarmHash.clear();
        req2BySwarmHash.clear();
        ports.closeConnections();
        tracker.close();
        if (lsd != null) {
            lsd.close();
        }
        ports.close();
        if (dht != null) {
            dht.close();
        }
        shutdownThreads();
    }

    /** Ends the event loops, then the disk, hash and event threads. */
    private void shutdownThreads() {
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        try {
            disk.close();
            events.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
