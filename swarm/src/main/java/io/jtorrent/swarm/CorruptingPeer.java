package io.jtorrent.swarm;

import io.netty.channel.EventLoopGroup;
import io.jtorrent.net.Transport;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.storage.FileStorage;
import io.jtorrent.storage.Storage;
import io.jtorrent.wire.Handshake;
import io.jtorrent.wire.PeerMessage;
import io.jtorrent.wire.PeerWireDecoder;
import io.jtorrent.wire.PeerWireEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A malicious seeder for robustness scenarios and tests: it claims every piece and answers every request
 * with the right block with one byte flipped. Listens on 127.0.0.1.
 */
public final class CorruptingPeer implements AutoCloseable {
    private final EventLoopGroup group = Transport.group(1, new io.netty.util.concurrent.DefaultThreadFactory("corrupting-peer", true));
    private final Channel server;
    private final Storage storage;
    private final AtomicLong bytesSent = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    /** Serves {@code m}'s data from {@code dataDir}, corrupted. */
    public CorruptingPeer(Metainfo m, Path dataDir) throws Exception {
        this.storage = FileStorage.allWanted(m.info(), dataDir);
        byte[] peerId = "-XX0001-corruptpeer1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int pieces = m.info().pieceCount();
        this.server = new ServerBootstrap().group(group).channelFactory(Transport.serverSocket(group))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(new PeerWireDecoder(), PeerWireEncoder.INSTANCE, new SimpleChannelInboundHandler<Object>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Object msg) throws Exception {
                                if (msg instanceof Handshake h) {
                                    ctx.write(new Handshake(new byte[8], h.infoHash(), peerId));
                                    BitSet all = new BitSet();
                                    all.set(0, pieces);
                                    ctx.writeAndFlush(PeerMessage.Bitfield.of(all, pieces));
                                } else if (msg instanceof PeerMessage.Interested) {
                                    ctx.writeAndFlush(PeerMessage.Unchoke.INSTANCE);
                                } else if (msg instanceof PeerMessage.Request r) {
                                    ByteBuffer b = ByteBuffer.allocate(r.length());
                                    storage.read(r.piece(), r.begin(), b);
                                    b.put(0, (byte) (b.get(0) ^ 0x5a));
                                    bytesSent.addAndGet(r.length());
                                    ctx.writeAndFlush(new PeerMessage.Piece(r.piece(), r.begin(), Unpooled.wrappedBuffer(b.array())));
                                }
                            }
                        });
                    }
                }).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    }

    /** Payload bytes sent, all corrupt. */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort());
    }

    @Override
    public void close() throws Exception {
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        storage.close();
    }
}
