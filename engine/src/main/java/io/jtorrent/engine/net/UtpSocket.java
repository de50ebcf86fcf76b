package io.jtorrent.engine.net;

import io.jtorrent.net.DatagramWriter;
import io.jtorrent.net.Transport;
import io.jtorrent.wire.utp.UtpException;
import io.jtorrent.wire.utp.UtpPacket;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A session's uTP socket: one UDP port, every uTP connection on it told apart by the sender's
 * address and the connection id (BEP 29). A SYN from someone new makes an incoming
 * {@link UtpChannel} (at most {@value #MAX_CONNECTIONS} connections: a SYN flood cannot grow the
 * table); a packet for no connection is answered with a RESET; a datagram that does not decode
 * is dropped.
 */
public final class UtpSocket implements AutoCloseable {
    public static final int MAX_CONNECTIONS = 1000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UtpSocket.class);

    private record Key(InetSocketAddress remote, int id) {}

    /** Where datagrams go and what address they come from: a socket of our own, or the DHT's. */
    private interface Datagrams {
        void send(byte[] datagram, InetSocketAddress to);

        InetSocketAddress localAddress();

        void close();
    }

    private final Datagrams datagrams;
    private final Map<Key, UtpChannel> connections = new ConcurrentHashMap<>();
    private final Map<UtpChannel, Key> keys = new ConcurrentHashMap<>();
    private final Consumer<UtpChannel> incoming;
    private final SecureRandom random = new SecureRandom();

    /** Binds {@code bind}; {@code incoming} registers a new incoming channel (its pipeline set) with a loop. */
    public UtpSocket(EventLoopGroup group, InetSocketAddress bind, Consumer<UtpChannel> incoming) throws IOException {
        this.incoming = incoming;
        Bootstrap b = new Bootstrap().group(group).channelFactory(Transport.datagram(group, null))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket d) {
                        received(d);
                    }
                });
        Transport.batchedDatagramReads(b, group, Transport.LONGEST_UTP_DATAGRAM, Transport.UTP_DATAGRAMS_PER_READ);
        var f = b.bind(bind).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException("cannot listen for uTP on " + bind + ": " + f.cause().getMessage(), f.cause());
        }
        DatagramChannel channel = (DatagramChannel) f.channel();
        DatagramWriter writer = new DatagramWriter(channel);
        this.datagrams = new Datagrams() {
            @Override
            public void send(byte[] datagram, InetSocketAddress to) {
                writer.send(datagram, to); // dropped when that many wait: uTP sends it again
            }

            @Override
            public InetSocketAddress localAddress() {
                return channel.localAddress();
            }

            @Override
            public void close() {
                channel.close().awaitUninterruptibly();
            }
        };
    }

    /** On the DHT node's port, sharing its socket: the node hands over what is not KRPC. */
    public UtpSocket(io.jtorrent.dht.DhtServer dht, Consumer<UtpChannel> incoming) {
        this.incoming = incoming;
        this.datagrams = new Datagrams() {
            @Override
            public void send(byte[] datagram, InetSocketAddress to) {
                dht.sendShared(datagram, to);
            }

            @Override
            public InetSocketAddress localAddress() {
                return dht.address();
            }

            @Override
            public void close() {
                dht.shareWith(null);
            }
        };
        dht.shareWith(this::received);
    }

    /** The UDP address uTP is on. */
    public InetSocketAddress localAddress() {
        return datagrams.localAddress();
    }

    /** A new channel for dialling {@code remote} (its connection is made by {@code connect}). */
    public UtpChannel newChannel() {
        return new UtpChannel(this, null);
    }

    /** Routes packets for a dialled connection here; returns the receive id chosen for it. */
    int register(UtpChannel ch, InetSocketAddress remote) {
        while (true) {
            Key k = new Key(remote, random.nextInt(0x10000));
            if (connections.putIfAbsent(k, ch) == null) {
                keys.put(ch, k);
                return k.id();
            }
        }
    }

    void unregister(UtpChannel ch) {
        Key k = keys.remove(ch);
        if (k != null) {
            connections.remove(k, ch);
        }
    }

    void send(InetSocketAddress to, UtpPacket p) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("out to {}: {}", to, p);
        }
        datagrams.send(p.encode(), to);
    }

    private void received(DatagramPacket d) {
        received(ByteBufUtil.getBytes(d.content()), d.sender());
    }

    private void received(byte[] bytes, InetSocketAddress from) {
        UtpPacket p;
        try {
            p = UtpPacket.decode(bytes, 0, bytes.length);
        } catch (UtpException e) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("uTP datagram from {} dropped ({} bytes): {}", from, bytes.length, e.getMessage());
            }
            return;
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("in from {}: {}", from, p);
        }
        if (p.type() == UtpPacket.Type.SYN) {
            Key k = new Key(from, (p.connectionId() + 1) & 0xffff);
            UtpChannel known = connections.get(k);
            if (known != null) {
                known.packet(p); // a retransmitted SYN
                return;
            }
            if (connections.size() >= MAX_CONNECTIONS) {
                return;
            }
            UtpChannel ch = new UtpChannel(this, from);
            connections.put(k, ch);
            keys.put(ch, k);
            incoming.accept(ch);
            ch.eventLoop().execute(() -> ch.accept(p));
            return;
        }
        UtpChannel ch = connections.get(new Key(from, p.connectionId()));
        if (ch == null && p.type() == UtpPacket.Type.RESET) {
            ch = resetBySendId(from, p.connectionId());
        }
        if (ch != null) {
            ch.packet(p);
        } else if (p.type() != UtpPacket.Type.RESET) {
            send(from, new UtpPacket(UtpPacket.Type.RESET, p.connectionId(), System.nanoTime() / 1000, 0, 0, 0, p.seq(),
                    null, null));
        }
    }

    /**
     * The connection a RESET is for when it carries our send id instead of our receive id: a peer
     * that no longer knows the connection (it restarted on the same port, say) cannot know our
     * receive id, only the id our packets carry, and answers with that (as we do, below). The send
     * id is the receive id plus one for a connection we dialled, minus one for one we accepted.
     */
    private UtpChannel resetBySendId(InetSocketAddress from, int id) {
        for (int recv : new int[] {(id - 1) & 0xffff, (id + 1) & 0xffff}) {
            UtpChannel ch = connections.get(new Key(from, recv));
            if (ch != null && ch.sendId() == id) {
                return ch;
            }
        }
        return null;
    }

    /** Closes every connection on the socket, then the socket (or gives the DHT's back). */
    @Override
    public void close() {
        for (UtpChannel ch : new java.util.ArrayList<>(connections.values())) {
            ch.close();
        }
        datagrams.close();
    }
}
