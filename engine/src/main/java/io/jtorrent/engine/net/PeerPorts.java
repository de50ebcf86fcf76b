package io.jtorrent.engine.net;

import io.jtorrent.net.Transport;
import io.jtorrent.dht.DhtServer;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.peer.AddressSlots;
import io.jtorrent.engine.peer.PeerCandidates;
import io.jtorrent.wire.PeerWireDecoder;
import io.jtorrent.wire.PeerWireEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Where peers meet a session and where it dials them: the TCP listener, the uTP socket (on the
 * same port number over UDP, or the DHT node's socket when it has that number), the layers of
 * every peer connection, and dialling — over uTP first with TCP after, encrypted with one
 * plaintext retry — as the settings, the current encryption policy and what is known of the
 * address say.
 */
public final class PeerPorts implements AutoCloseable {
    /** What the ports ask of the session. */
    public interface Owner {
        /** The torrents peers may ask for, and our side of the handshake. */
        HandshakeHandler.Directory directory();

        /** The info-hash (20 bytes) of the torrent whose {@code HASH('req2', info-hash)} this is, or null. */
        byte[] skeyByReq2(byte[] req2);

        /** The encryption policy now (the daemon may change it while running). */
        Settings.Encryption encryption();

        /** Whether the session is closing: no new connections. */
        boolean closing();
    }

    /** Ports tried for a listener on port 0 whose UDP twin turns out to be taken. */
    private static final int EPHEMERAL_ATTEMPTS = 8;
    /**
     * The buffers peer connections read into and decode from: Netty's pooled allocator. Netty
     * 4.2's default (adaptive) one does not pool the sizes a decoder's cumulation grows to while
     * a 16 KiB block arrives, and allocated (zeroed, faulted in) a fresh buffer for each: a tenth
     * of a 4 GiB download's CPU samples.
     */
    private static final ByteBufAllocator PEER_BUFFERS = PooledByteBufAllocator.DEFAULT;

    private final Settings settings;
    private final Owner owner;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup loops;
    private final DhtServer dht;
    private final AddressSlots handshakeSlots;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel server;
    private final int port;
    private volatile UtpSocket utp;

    /**
     * Opens the ports the settings ask for: TCP on the listen port (a free one for 0), uTP on the
     * same number. {@code dht}: the DHT node, whose socket uTP shares when the numbers agree.
     */
    public PeerPorts(Settings settings, EventLoopGroup loops, DhtServer dht, Owner owner) throws IOException {
        this.settings = settings;
        this.owner = owner;
        this.loops = loops;
        this.dht = dht;
        this.handshakeSlots = new AddressSlots(settings.maxHandshakes, settings.maxHandshakesPerAddress);
        this.acceptor = Transport.group(1, new DefaultThreadFactory("jtorrent-accept", true), Transport.kindOf(loops));
        ServerBootstrap sb = new ServerBootstrap().group(acceptor, loops).channelFactory(Transport.serverSocket(loops))
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .childOption(ChannelOption.ALLOCATOR, PEER_BUFFERS)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted(ch);
                    }
                });
        InetSocketAddress bind = settings.bindAddress == null ? new InetSocketAddress(settings.listenPort)
                : new InetSocketAddress(settings.bindAddress, settings.listenPort);
        Channel tcp = null;
        UtpSocket u = null;
        try {
            for (int attempt = 1; ; attempt++) {
                tcp = settings.tcp ? listen(sb, bind) : null; // null: uTP only
                if (!settings.utp) {
                    break;
                }
                try {
                    u = openUtp(tcp == null ? settings.listenPort : ((InetSocketAddress) tcp.localAddress()).getPort());
                    break;
                } catch (IOException e) {
                    if (tcp == null || settings.listenPort != 0 || attempt == EPHEMERAL_ATTEMPTS) {
                        throw e;
                    }
                    // a port chosen for TCP whose UDP twin is taken: choose another
                    tcp.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                    tcp = null;
                }
            }
        } catch (IOException e) {
            if (tcp != null) {
                tcp.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
            acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            throw e;
        }
        this.server = tcp;
        this.utp = u;
        this.port = tcp != null ? ((InetSocketAddress) tcp.localAddress()).getPort() : u.localAddress().getPort();
    }

    private static Channel listen(ServerBootstrap sb, InetSocketAddress bind) throws IOException {
        ChannelFuture f = sb.bind(bind).awaitUninterruptibly();
        if (!f.isSuccess()) {
            String where = (bind.getAddress().isAnyLocalAddress() ? "port " : bind.getAddress().getHostAddress() + ":")
                    + bind.getPort();
            throw new IOException("cannot listen on " + where + ": " + f.cause().getMessage(), f.cause());
        }
        return f.channel();
    }

    /** uTP on {@code port} over UDP (the DHT node's socket when it has that number); incoming connections get the peer layers. */
    private UtpSocket openUtp(int port) throws IOException {
        java.util.function.Consumer<UtpChannel> incoming = ch -> {
            channels.add(ch);
            layers(ch, null, () -> { }, false);
            loops.next().register(ch);
        };
        if (dht != null && (dht.address().getPort() == port || port == 0)) {
            return new UtpSocket(dht, incoming);
        }
        InetSocketAddress bind = settings.bindAddress == null ? new InetSocketAddress(port)
                : new InetSocketAddress(settings.bindAddress, port);
        return new UtpSocket(loops, bind, incoming);
    }

    /** A TCP connection we accepted: within the connection and handshake limits, it gets the peer layers. */
    private void accepted(SocketChannel ch) {
        // handshaking connections have slots of their own, a few per address: idle sockets cannot
        // take the places of peers, nor one address all the handshake slots
        InetAddress from = ch.remoteAddress().getAddress();
        if (owner.closing() || channels.size() - handshakeSlots.inUse() >= settings.maxConnections
                || !handshakeSlots.tryAcquire(from)) {
            ch.close();
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                handshakeSlots.release(from);
            }
        };
        ch.closeFuture().addListener(f -> release.run());
        channels.add(ch);
        layers(ch, null, release, false);
    }

    /**
     * The layers of a peer connection: bytes counted, then encryption (for a connection we take,
     * whatever it turns out to be; for one we dial, when {@code encrypt}), the peer wire, the handshake.
     */
    private void layers(Channel ch, HandshakeHandler.Target torrent, Runnable handshakeDone, boolean encrypt) {
        ch.pipeline().addLast("wire", new WireCounter());
        if (torrent == null) {
            ch.pipeline().addLast("mse", MseHandler.accepting(owner::skeyByReq2, owner.encryption(), settings.handshakeTimeout));
        } else if (encrypt) {
            ch.pipeline().addLast("mse", MseHandler.dialling(torrent.infoHash().truncated20(), owner.encryption(),
                    settings.handshakeTimeout));
        }
        ch.pipeline()
                // one write syscall per loop iteration instead of one per message
                .addLast("flush", new io.netty.handler.flush.FlushConsolidationHandler(256, true))
                .addLast("decoder", new PeerWireDecoder())
                .addLast("encoder", PeerWireEncoder.INSTANCE)
                .addLast("handshake", new HandshakeHandler(owner.directory(), torrent, handshakeDone));
    }

    /** The port number peers reach us on (TCP's, and uTP's over UDP; uTP's alone when TCP is off). */
    public int port() {
        return port;
    }

    /** Whether the connection limit leaves room for one more. */
    public boolean roomForOneMore() {
        return channels.size() < settings.maxConnections;
    }

    /**
     * Turns uTP on (its socket opened on the port's number, or the DHT's shared) or off (its
     * connections closed), at once. Refuses to turn off the only transport.
     */
    public synchronized void setUtp(boolean on) throws IOException {
        if (owner.closing() || on == (utp != null)) {
            return;
        }
        if (on) {
            utp = openUtp(port);
        } else {
            if (server == null) {
                throw new IllegalStateException("uTP is the only transport here (TCP is off)");
            }
            UtpSocket u = utp;
            utp = null;
            u.close();
        }
    }

    public boolean utpEnabled() {
        return utp != null;
    }

    /**
     * Dials a peer for {@code torrent}, as {@code hints} ({@link PeerCandidates#UTP} ...) and the
     * settings say: over uTP first when it is on (TCP when uTP does not answer within a few
     * seconds, or at once when the hints say it did not before), encrypted unless the policy
     * tolerates plaintext and the peer does not prefer encryption. On the torrent's loop:
     * {@code connected} once a connection is up, with what was learned of the address (again after
     * a plaintext retry); {@code failed} if none could be made or it closed before its peer joined.
     */
    public void dial(HandshakeHandler.Target torrent, InetSocketAddress address, int hints, IntConsumer connected,
                     Runnable failed) {
        boolean encrypt = switch (owner.encryption()) {
            case REQUIRED -> true;
            case PREFERRED -> (hints & PeerCandidates.NO_ENCRYPTION) == 0;
            case TOLERATED -> (hints & PeerCandidates.ENCRYPTION) != 0;
        };
        UtpSocket u = utp;
        boolean overUtp = u != null && (server == null || (hints & PeerCandidates.NO_UTP) == 0);
        dial(torrent, address, connected, failed, encrypt, overUtp ? u : null);
    }

    /** {@code overUtp}: the socket to dial over, or null for TCP. */
    private void dial(HandshakeHandler.Target torrent, InetSocketAddress address, IntConsumer connected, Runnable failed,
                      boolean encrypt, UtpSocket overUtp) {
        Bootstrap b = new Bootstrap().group(torrent.eventLoop());
        if (overUtp != null) {
            b.channelFactory(overUtp::newChannel);
        } else {
            b.channelFactory(Transport.socket(torrent.eventLoop()));
        }
        // a peer without uTP answers nothing: TCP is tried after a few seconds, not the whole timeout
        boolean tcpAfter = overUtp != null && server != null;
        long connectMillis = tcpAfter ? Math.min(3000, settings.connectTimeout.toMillis()) : settings.connectTimeout.toMillis();
        b.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectMillis)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .option(ChannelOption.ALLOCATOR, PEER_BUFFERS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        layers(ch, torrent, () -> { }, encrypt);
                    }
                });
        if (settings.bindAddress != null && overUtp == null) {
            b.localAddress(settings.bindAddress, 0);
        }
        b.connect(address).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                if (tcpAfter && !owner.closing()) {
                    // no uTP there: TCP, and the address is known for it
                    dial(torrent, address, learned(connected, PeerCandidates.NO_UTP), failed, encrypt, null);
                } else {
                    torrent.owner().execute(failed);
                }
                return;
            }
            torrent.owner().execute(() -> connected.accept(overUtp != null ? PeerCandidates.UTP : 0));
            // refused in the handshake (a paused torrent there, say): not connected
            Channel ch = f.channel();
            ch.closeFuture().addListener(c -> {
                if (ChannelTransport.joined(ch)) {
                    return;
                }
                if (!owner.closing() && encrypt && owner.encryption() != Settings.Encryption.REQUIRED
                        && Boolean.TRUE.equals(ch.attr(MseHandler.FAILED).get())) {
                    // encryption not required: once more, in plaintext, and the address is known for it
                    dial(torrent, address, learned(connected, PeerCandidates.NO_ENCRYPTION), failed, false, overUtp);
                } else {
                    torrent.owner().execute(failed);
                }
            });
        });
    }

    private static IntConsumer learned(IntConsumer connected, int more) {
        return learned -> connected.accept(learned | more);
    }

    /** Stops taking TCP connections (those made stay). */
    public void closeListener() {
        if (server != null) {
            server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Closes every peer connection. */
    public void closeConnections() {
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Closes the listener, the connections and the uTP socket, and ends the accepting thread. */
    @Override
    public void close() {
        closeListener();
        closeConnections();
        UtpSocket u = utp;
        if (u != null) {
            u.close();
        }
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
