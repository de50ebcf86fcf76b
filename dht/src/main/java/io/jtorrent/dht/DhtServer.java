package io.jtorrent.dht;

import io.netty.channel.EventLoopGroup;
import io.jtorrent.net.DatagramWriter;
import io.jtorrent.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * {@link DhtNode}s on UDP: one for IPv4 and, if asked, one for IPv6 (BEP 32: separate routing
 * tables, each answering {@code want} for the other), on one event loop with a tick a second. The
 * public methods may be called from any thread; they run on the loop and answer with futures;
 * lookups run in both families and merge their peers.
 */
public final class DhtServer implements AutoCloseable {
    private final EventLoopGroup group = Transport.group(1, new DefaultThreadFactory("jtorrent-dht", true));
    private final EventLoop loop = group.next();
    private final List<Channel> channels = new ArrayList<>();
    /** One per channel, in the same order: what the node and whoever shares the port send. */
    private final List<DatagramWriter> writers = new ArrayList<>();
    private final List<DhtNode> nodes = new ArrayList<>();

    /** A node status snapshot for status lines (both families together). */
    public record Status(int nodes, int[] buckets, long queriesIn, long queriesOut, int storedPeers) {}

    /** An IPv4 node only. */
    public DhtServer(InetSocketAddress bind, NodeId id) throws IOException {
        this(bind, null, id);
    }

    /**
     * @param bindV4 where the IPv4 node listens
     * @param bindV6 where the IPv6 node listens, or null for none
     */
    public DhtServer(InetSocketAddress bindV4, InetSocketAddress bindV6, NodeId id) throws IOException {
        try {
            open(bindV4, id, false);
            if (bindV6 != null) {
                open(bindV6, id, true);
                DhtNode.siblings(nodes.get(0), nodes.get(1));
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        loop.scheduleAtFixedRate(() -> nodes.forEach(DhtNode::tick), DhtNode.TICK, DhtNode.TICK, TimeUnit.NANOSECONDS);
    }

    private void open(InetSocketAddress bind, NodeId id, boolean ipv6) throws IOException {
        DatagramWriter[] holder = new DatagramWriter[1];
        // the node exists before its socket, so that no datagram can find it missing
        DhtNode node = new DhtNode(id, (datagram, to) -> holder[0].send(datagram, to), System::nanoTime, new Random());
        node.ipv6(ipv6);
        var b = new Bootstrap().group(loop).channelFactory(Transport.datagram(loop, null))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        // KRPC is a bencoded dictionary: anything else on the port is for whoever shares it (uTP)
                        BiConsumer<byte[], InetSocketAddress> other = others;
                        if (other != null && p.content().isReadable() && p.content().getByte(p.content().readerIndex()) != 'd') {
                            other.accept(ByteBufUtil.getBytes(p.content()), p.sender());
                        } else if (p.content().readableBytes() <= KrpcCodec.MAX_DATAGRAM) {
                            node.receive(ByteBufUtil.getBytes(p.content()), p.sender());
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // one bad datagram never closes the node's socket
                    }
                });
        // uTP may share the port: its datagrams are read whole, several to a system call on epoll
        Transport.batchedDatagramReads(b, loop, Transport.LONGEST_UTP_DATAGRAM, Transport.UTP_DATAGRAMS_PER_READ);
        var f = b.bind(bind).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException("cannot listen on UDP " + bind + ": " + f.cause().getMessage(), f.cause());
        }
        holder[0] = new DatagramWriter(f.channel());
        writers.add(holder[0]);
        channels.add(f.channel());
        nodes.add(node);
    }

    /** Who takes the datagrams on the node's port that are not KRPC (not a bencoded dictionary): uTP. */
    private volatile BiConsumer<byte[], InetSocketAddress> others;

    /** Shares the node's UDP port: datagrams that are not KRPC go to {@code handler} (on the DHT's thread). */
    public void shareWith(BiConsumer<byte[], InetSocketAddress> handler) {
        others = handler;
    }

    /** Sends a datagram of whoever shares the port, from the socket of {@code to}'s family. */
    public void sendShared(byte[] datagram, InetSocketAddress to) {
        boolean v6 = to.getAddress() instanceof Inet6Address;
        writers.get(v6 && writers.size() > 1 ? 1 : 0).send(datagram, to);
    }

    /** The IPv4 node's address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) channels.get(0).localAddress();
    }

    /** The IPv6 node's address, or null. */
    public InetSocketAddress addressV6() {
        return channels.size() > 1 ? (InetSocketAddress) channels.get(1).localAddress() : null;
    }

    public NodeId id() {
        return nodes.get(0).id();
    }

    /** BEP 42 verification of other nodes' ids (see {@link DhtNode#verifyNodeIds}). */
    public void verifyNodeIds(boolean on) {
        loop.execute(() -> nodes.forEach(n -> n.verifyNodeIds(on)));
    }

    private DhtNode nodeFor(InetSocketAddress a) {
        boolean v6 = a.getAddress() instanceof Inet6Address;
        return v6 ? (nodes.size() > 1 ? nodes.get(1) : null) : nodes.get(0);
    }

    /** Joins through these nodes, each by its family (nodes of a family we have no socket for are skipped). */
    public CompletableFuture<DhtNode.Lookup> bootstrap(List<InetSocketAddress> through) {
        return bootstrap(through, new CompletableFuture<>());
    }

    /**
     * As {@link #bootstrap(List)}; {@code seeded} completes once every node's bootstrap nodes
     * answered or timed out (their tables hold what those told), before the lookups of ourselves end.
     */
    public CompletableFuture<DhtNode.Lookup> bootstrap(List<InetSocketAddress> through, CompletableFuture<Void> seeded) {
        int[] waiting = {nodes.size()};
        Runnable oneSeeded = () -> {
            if (--waiting[0] == 0) {
                seeded.complete(null);
            }
        };
        return across((node, done) -> {
            List<InetSocketAddress> mine = new ArrayList<>();
            for (InetSocketAddress a : through) {
                if (nodeFor(a) == node) {
                    mine.add(a);
                }
            }
            node.bootstrap(mine, oneSeeded, done);
        });
    }

    public CompletableFuture<DhtNode.Lookup> getPeers(NodeId infoHash) {
        return across((node, done) -> node.getPeers(infoHash, done));
    }

    public CompletableFuture<DhtNode.Lookup> announce(NodeId infoHash, int port) {
        return across((node, done) -> node.announce(infoHash, port, done));
    }

    /**
     * As {@link #announce(NodeId, int)}; {@code early} gets each answer's new peers as they
     * arrive, on the DHT's thread, before the lookup ends.
     */
    public CompletableFuture<DhtNode.Lookup> announce(NodeId infoHash, int port,
                                                      java.util.function.Consumer<List<InetSocketAddress>> early) {
        return across((node, done) -> node.announce(infoHash, port, early, done));
    }

    /** Runs a lookup on every node and merges the results. */
    private CompletableFuture<DhtNode.Lookup> across(BiConsumer<DhtNode, java.util.function.Consumer<DhtNode.Lookup>> action) {
        CompletableFuture<DhtNode.Lookup> result = new CompletableFuture<>();
        loop.execute(() -> {
            List<DhtNode.Lookup> parts = new ArrayList<>();
            for (DhtNode node : nodes) {
                action.accept(node, l -> {
                    parts.add(l);
                    if (parts.size() == nodes.size()) {
                        LinkedHashSet<InetSocketAddress> peers = new LinkedHashSet<>();
                        List<NodeInfo> closest = new ArrayList<>();
                        int rounds = 0;
                        int messages = 0;
                        for (DhtNode.Lookup p : parts) {
                            peers.addAll(p.peers());
                            closest.addAll(p.closest());
                            rounds = Math.max(rounds, p.rounds());
                            messages += p.messages();
                        }
                        result.complete(new DhtNode.Lookup(new ArrayList<>(peers), closest, rounds, messages));
                    }
                });
            }
        });
        return result;
    }

    /** Adds a node a peer told us of (the peer wire's {@code port} message): it is queried first. */
    public void addNode(InetSocketAddress address) {
        loop.execute(() -> {
            DhtNode node = nodeFor(address);
            if (node != null) {
                node.bootstrap(List.of(address), l -> { });
            }
        });
    }

    public CompletableFuture<Status> status() {
        CompletableFuture<Status> f = new CompletableFuture<>();
        loop.execute(() -> {
            int count = 0;
            long in = 0;
            long out = 0;
            int stored = 0;
            for (DhtNode n : nodes) {
                count += n.table().size();
                in += n.queriesIn();
                out += n.queriesOut();
                stored += n.storedPeers();
            }
            f.complete(new Status(count, nodes.get(0).table().bucketSizes(), in, out, stored));
        });
        return f;
    }

    @Override
    public void close() {
        for (Channel c : channels) {
            c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
