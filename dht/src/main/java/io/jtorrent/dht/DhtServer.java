package io.jtorrent.dht;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link DhtNode} on a UDP socket: one event loop, one datagram channel, a tick a second. The
 * public methods may be called from any thread; they run on the loop and answer with futures.
 */
public final class DhtServer implements AutoCloseable {
    private final NioEventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("jtorrent-dht", true));
    private final EventLoop loop = group.next();
    private volatile Channel channel;
    private final DhtNode node;

    /** A node status snapshot for status lines. */
    public record Status(int nodes, int[] buckets, long queriesIn, long queriesOut, int storedPeers) {}

    public DhtServer(InetSocketAddress bind, NodeId id) throws IOException {
        // the node exists before the socket, so that no datagram can find it missing
        this.node = new DhtNode(id, (datagram, to) -> channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), to)),
                System::nanoTime, new Random());
        var f = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        if (p.content().readableBytes() <= KrpcCodec.MAX_DATAGRAM) {
                            node().receive(ByteBufUtil.getBytes(p.content()), p.sender());
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // one bad datagram never closes the node's socket
                    }
                }).bind(bind).awaitUninterruptibly();
        if (!f.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot listen on UDP " + bind + ": " + f.cause().getMessage(), f.cause());
        }
        this.channel = f.channel();
        loop.scheduleAtFixedRate(node::tick, 1, 1, TimeUnit.SECONDS);
    }

    private DhtNode node() {
        return node;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    public NodeId id() {
        return node.id();
    }

    /** BEP 42 verification of other nodes' ids (see {@link DhtNode#verifyNodeIds}). */
    public void verifyNodeIds(boolean on) {
        loop.execute(() -> node.verifyNodeIds(on));
    }

    public CompletableFuture<DhtNode.Lookup> bootstrap(List<InetSocketAddress> nodes) {
        return onLoop(done -> node.bootstrap(nodes, done::complete));
    }

    public CompletableFuture<DhtNode.Lookup> getPeers(NodeId infoHash) {
        return onLoop(done -> node.getPeers(infoHash, done::complete));
    }

    public CompletableFuture<DhtNode.Lookup> announce(NodeId infoHash, int port) {
        return onLoop(done -> node.announce(infoHash, port, done::complete));
    }

    /** Adds a node a peer told us of (the peer wire's {@code port} message): it is pinged first. */
    public void addNode(InetSocketAddress address) {
        loop.execute(() -> node.bootstrap(List.of(address), l -> { }));
    }

    public CompletableFuture<Status> status() {
        CompletableFuture<Status> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(new Status(node.table().size(), node.table().bucketSizes(), node.queriesIn(),
                node.queriesOut(), node.storedPeers())));
        return f;
    }

    private CompletableFuture<DhtNode.Lookup> onLoop(java.util.function.Consumer<CompletableFuture<DhtNode.Lookup>> action) {
        CompletableFuture<DhtNode.Lookup> f = new CompletableFuture<>();
        loop.execute(() -> action.accept(f));
        return f;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
