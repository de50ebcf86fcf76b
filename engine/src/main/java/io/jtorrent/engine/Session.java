package io.jtorrent.engine;

import io.jtorrent.engine.disk.DiskIo;
import io.jtorrent.engine.net.DhtLauncher;
import io.jtorrent.engine.net.HandshakeHandler;
import io.jtorrent.engine.net.LocalDiscovery;
import io.jtorrent.engine.net.MseHandler;
import io.jtorrent.engine.net.UtpSocket;
import io.jtorrent.engine.net.NettyLoop;
import io.jtorrent.engine.net.WireCounter;
import io.jtorrent.engine.torrent.Torrent;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.engine.peer.AddressSlots;
import io.jtorrent.engine.rate.RateLimiter;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.tracker.TrackerClient;
import io.jtorrent.wire.mse.MseHandshake;
import io.jtorrent.wire.PeerWireDecoder;
import io.jtorrent.wire.PeerWireEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
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

/**
 * A BitTorrent client: one per process, many torrents. It listens for peers on one TCP port,
 * owns the event loops, disk and hash threads, the global rate limits and the event stream.
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
    private final EventLoopGroup acceptor;
    private final AddressSlots handshakeSlots;
    private final EventLoopGroup loops;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    /** A torrent and how the handshake finds it. */
    /** A torrent, how the handshake finds it, and {@code HASH('req2', info-hash)}, how an encrypted one does. */
    private record Entry(Torrent torrent, HandshakeHandler.Target target, byte[] req2) {}

    private final Map<InfoHash, Entry> torrents = new ConcurrentHashMap<>();
    /** What torrents ask of the session, and what the handshake asks. */
    private final SessionServices services = new SessionServices(this);
    private final Channel server;
    private final int port;
    /** The DHT node, or null when the settings run none. */
    final io.jtorrent.dht.DhtServer dht;
    /** Completes once the DHT's bootstrap lookup has ended (or {@link #DHT_BOOTSTRAP_WAIT} passed): torrents' first lookups wait for it. */
    volatile java.util.concurrent.CompletableFuture<Void> dhtReady = java.util.concurrent.CompletableFuture.completedFuture(null);
    static final java.time.Duration DHT_BOOTSTRAP_WAIT = java.time.Duration.ofSeconds(15);
    /** Local Service Discovery (BEP 14), or null when the settings leave it off. */
    final LocalDiscovery lsd;
    /** The uTP socket, or null when the settings leave uTP off. */
    private final UtpSocket utp;
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
        this.handshakeSlots = new AddressSlots(settings.maxHandshakes, settings.maxHandshakesPerAddress);
        this.acceptor = new NioEventLoopGroup(1, daemon("jtorrent-accept"));
        this.loops = new NioEventLoopGroup(settings.networkThreads, daemon("jtorrent-net"));
        // UDP trackers: BEP 15's 15 s first retransmission, at most 2 retransmissions per announce
        // (the announcer itself retries later with back-off)
        this.tracker = new TrackerClient(loops, settings.trackerTimeout, java.time.Duration.ofSeconds(15), 2, settings.userAgent);
        ServerBootstrap sb = new ServerBootstrap().group(acceptor, loops).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // handshaking connections have slots of their own, a few per address: idle
                        // sockets cannot take the places of peers, nor one address all the handshake slots
                        java.net.InetAddress from = ch.remoteAddress().getAddress();
                        if (closed || channels.size() - handshakeSlots.inUse() >= settings.maxConnections
                                || !handshakeSlots.tryAcquire(from)) {
                            ch.close();
                            return;
                        }
                        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
                        Runnable release = () -> {
                            if (released.compareAndSet(false, true)) {
                                handshakeSlots.release(from);
                            }
                        };
                        ch.closeFuture().addListener(f -> release.run());
                        channels.add(ch);
                        pipeline(ch, null, release, false);
                    }
                });
        InetSocketAddress bind = settings.bindAddress == null ? new InetSocketAddress(settings.listenPort)
                : new InetSocketAddress(settings.bindAddress, settings.listenPort);
        ChannelFuture f = sb.bind(bind).awaitUninterruptibly();
        if (!f.isSuccess()) {
            shutdownThreads();
            throw new IOException("cannot listen on " + describe(bind) + ": " + f.cause().getMessage(), f.cause());
        }
        this.server = f.channel();
        this.port = ((InetSocketAddress) server.localAddress()).getPort();
        this.dht = settings.dhtPort < 0 ? null : startDht(settings);
        this.utp = settings.utp ? startUtp(settings) : null;
        LocalDiscovery local = null;
        if (settings.lsd) {
            try {
                local = new LocalDiscovery(loops, settings.bindAddress, port, (hash, peer) -> {
                    Entry e = torrents.get(hash);
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


    private io.jtorrent.dht.DhtServer startDht(Settings s) throws IOException {
        try {
            io.jtorrent.dht.DhtServer d = DhtLauncher.start(s);
            this.dhtReady = DhtLauncher.bootstrap(d, s, tracker.resolver(), DHT_BOOTSTRAP_WAIT);
            return d;
        } catch (IOException e) {
            server.close();
            shutdownThreads();
            throw e;
        }
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

    private static String describe(InetSocketAddress a) {
        return (a.getAddress().isAnyLocalAddress() ? "port " : a.getAddress().getHostAddress() + ":") + a.getPort();
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

    /** The TCP port peers reach us on (the one chosen, when the settings said 0). */
    public int listenPort() {
        return port;
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
        Entry entry = newTorrent(params);
        Torrent t = entry.torrent();
        if (torrents.putIfAbsent(hash, entry) != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("torrent " + hash + " is already added"));
        }
        t.owner().execute(t::start);
        return t.checked().thenApply(checked -> new TorrentHandle(this, t)).whenComplete((h, e) -> {
            if (e != null) {
                torrents.remove(hash, entry);
            }
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
        Entry entry = newTorrent(params);
        if (torrents.putIfAbsent(hash, entry) != null) {
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
        return new Entry(t, new HandshakeHandler.Target(t.infoHash(), loop, owner, t.peerSet(), t.peerHost()),
                MseHandshake.req2(t.infoHash().truncated20()));
    }

    public List<TorrentHandle> torrents() {
        List<TorrentHandle> out = new ArrayList<>();
        torrents.values().forEach(e -> out.add(new TorrentHandle(this, e.torrent())));
        return out;
    }

    CompletableFuture<Void> remove(Torrent t) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        t.owner().execute(() -> t.stop().whenComplete((v, e) -> {
            torrents.computeIfPresent(t.infoHash(), (h, entry) -> entry.torrent() == t ? null : entry);
            events.post(new SessionEvent.TorrentRemoved(t.infoHash()));
            done.complete(null);
        }));
        return done;
    }

    Path resumeFile(InfoHash hash) {
        return settings.resumeDirectory == null ? null : settings.resumeDirectory.resolve(hash.hex() + ".resume");
    }

    /**
     * The layers of a peer connection: bytes counted, then encryption (for a connection we take,
     * whatever it turns out to be; for one we dial, when {@code encrypt}), the peer wire, the handshake.
     */
    private void pipeline(Channel ch, HandshakeHandler.Target torrent, Runnable handshakeDone, boolean encrypt) {
        ch.pipeline().addLast("wire", new WireCounter());
        if (torrent == null) {
            ch.pipeline().addLast("mse", MseHandler.accepting(this::skeyByReq2, encryption, settings.handshakeTimeout));
        } else if (encrypt) {
            ch.pipeline().addLast("mse", MseHandler.dialling(torrent.infoHash().truncated20(), encryption,
                    settings.handshakeTimeout));
        }
        ch.pipeline()
                // one write syscall per loop iteration instead of one per message
                .addLast("flush", new io.netty.handler.flush.FlushConsolidationHandler(256, true))
                .addLast("decoder", new PeerWireDecoder())
                .addLast("encoder", PeerWireEncoder.INSTANCE)
                .addLast("handshake", new HandshakeHandler(services, torrent, handshakeDone));
    }

    /** The info-hash (20 bytes) of the torrent whose {@code HASH('req2', info-hash)} this is, or null. */
    private byte[] skeyByReq2(byte[] req2) {
        for (Entry e : torrents.values()) {
            if (java.security.MessageDigest.isEqual(e.req2(), req2)) {
                return e.torrent().infoHash().truncated20();
            }
        }
        return null;
    }

    /** Encryption towards peers from now on (connections made before keep theirs). */
    public void setEncryption(Settings.Encryption policy) {
        encryption = java.util.Objects.requireNonNull(policy);
    }

    public Settings.Encryption encryption() {
        return encryption;
    }

    /** The handshake's view of the torrent with this info-hash, or null. */
    HandshakeHandler.Target handshakeTarget(InfoHash infoHash) {
        Entry e = torrents.get(infoHash);
        return e == null ? null : e.target();
    }

    boolean mayDial() {
        return !closed && channels.size() < settings.maxConnections;
    }

    /**
     * Dials a peer for a torrent: {@code connected} once the TCP connection is up; {@code failed} if
     * it could not be made or closed before its peer joined. Both run on the torrent's loop.
     */
    void dial(Torrent t, InetSocketAddress address, Runnable connected, Runnable failed) {
        dial(t, address, connected, failed, encryption != Settings.Encryption.TOLERATED, utp != null);
    }

    /**
     * uTP on the TCP port's number over UDP — sharing the DHT node's socket when it has that port —
     * incoming connections given the peer pipeline and a loop.
     */
    private UtpSocket startUtp(Settings s) throws IOException {
        java.util.function.Consumer<io.jtorrent.engine.net.UtpChannel> incoming = ch -> {
            channels.add(ch);
            pipeline(ch, null, () -> { }, false);
            loops.next().register(ch);
        };
        if (dht != null && dht.address().getPort() == port) {
            return new UtpSocket(dht, incoming);
        }
        InetSocketAddress bind = s.bindAddress == null ? new InetSocketAddress(port) : new InetSocketAddress(s.bindAddress, port);
        try {
            return new UtpSocket(loops, bind, incoming);
        } catch (IOException e) {
            server.close();
            if (dht != null) {
                dht.close();
            }
            shutdownThreads();
            throw e;
        }
    }

    private void dial(Torrent t, InetSocketAddress address, Runnable connected, Runnable failed, boolean encrypt,
                      boolean overUtp) {
        Entry entry = torrents.get(t.infoHash());
        if (entry == null || entry.torrent() != t) {
            t.owner().execute(failed);
            return;
        }
        HandshakeHandler.Target torrent = entry.target();
        Bootstrap b = new Bootstrap().group(torrent.eventLoop());
        if (overUtp) {
            b.channelFactory(utp::newChannel);
        } else {
            b.channel(NioSocketChannel.class);
        }
        // a peer without uTP answers nothing: TCP is tried after a few seconds, not the whole timeout
        long connectMillis = overUtp ? Math.min(3000, settings.connectTimeout.toMillis()) : settings.connectTimeout.toMillis();
        b.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectMillis)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        pipeline(ch, torrent, () -> { }, encrypt);
                    }
                });
        if (settings.bindAddress != null && !overUtp) {
            b.localAddress(settings.bindAddress, 0);
        }
        b.connect(address).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                if (overUtp && !closed) {
                    dial(t, address, connected, failed, encrypt, false); // no uTP there: TCP
                } else {
                    t.owner().execute(failed);
                }
                return;
            }
            t.owner().execute(connected);
            // refused in the handshake (a paused torrent there, say): not connected
            Channel ch = f.channel();
            ch.closeFuture().addListener(c -> {
                if (io.jtorrent.engine.net.ChannelTransport.joined(ch)) {
                    return;
                }
                if (!closed && encrypt && encryption == Settings.Encryption.PREFERRED
                        && Boolean.TRUE.equals(ch.attr(MseHandler.FAILED).get())) {
                    dial(t, address, () -> { }, failed, false, overUtp); // preferred: once more, in plaintext
                } else {
                    t.owner().execute(failed);
                }
            });
        });
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
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
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
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        tracker.close();
        if (lsd != null) {
            lsd.close();
        }
        if (utp != null) {
            utp.close();
        }
        if (dht != null) {
            dht.close();
        }
        shutdownThreads();
    }

    /** Ends the event loops, then the disk, hash and event threads. */
    private void shutdownThreads() {
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        try {
            disk.close();
            events.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
