package io.jtorrent.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every transport carries TCP and UDP on loopback; channels always match their loop. */
class TransportTest {
    private static final ThreadFactory THREADS = r -> {
        Thread t = new Thread(r, "transport-test");
        t.setDaemon(true);
        return t;
    };

    @Test
    void epollLoadsOnLinuxX8664WhereTheNativeLibraryIsShipped() {
        boolean shipped = System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64");
        if (shipped) {
            assertThat(Epoll.isAvailable()).as("epoll: %s", Epoll.unavailabilityCause()).isTrue();
        }
    }

    @Test
    void theTransportAskedForFallsBackToWhatLoads() {
        assertThat(Transport.kind("")).isEqualTo(Transport.Kind.NIO);
        assertThat(Transport.kind("nio")).isEqualTo(Transport.Kind.NIO);
        assertThat(Transport.kind("kqueue")).as("unknown: NIO").isEqualTo(Transport.Kind.NIO);
        assertThat(Transport.kind("epoll")).isEqualTo(Epoll.isAvailable() ? Transport.Kind.EPOLL : Transport.Kind.NIO);
        Transport.Kind uring = Transport.kind("io_uring");
        assertThat(uring).isEqualTo(IoUring.isAvailable() ? Transport.Kind.IO_URING
                : Epoll.isAvailable() ? Transport.Kind.EPOLL : Transport.Kind.NIO);
        assertThat(Transport.kind(" IO-URING ")).isEqualTo(uring);
        assertThat(Transport.Kind.NIO.isNative()).isFalse();
        assertThat(Transport.Kind.EPOLL.isNative()).isTrue();
        assertThat(Transport.Kind.IO_URING.isNative()).isTrue();
    }

    @Test
    void udpOnlyGroupsTakeEpollWhereIoUringIsAsked() {
        String before = System.getProperty(Transport.PROPERTY);
        System.setProperty(Transport.PROPERTY, "io_uring");
        try {
            Transport.Kind expected = Epoll.isAvailable() ? Transport.Kind.EPOLL : Transport.kind();
            assertThat(Transport.datagramKind()).isEqualTo(expected);
            System.setProperty(Transport.PROPERTY, "epoll");
            assertThat(Transport.datagramKind()).isEqualTo(Transport.kind());
        } finally {
            if (before == null) {
                System.clearProperty(Transport.PROPERTY);
            } else {
                System.setProperty(Transport.PROPERTY, before);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.Kind.class)
    void tcpAndUdpRoundTripsOnEveryTransport(Transport.Kind kind) throws Exception {
        if (!kind.isAvailable()) {
            return; // nothing to test where the native library does not load
        }
        EventLoopGroup group = Transport.group(2, THREADS, kind);
        try {
            assertThat(Transport.kindOf(group)).isEqualTo(kind);
            assertThat(Transport.kindOf(group.next())).as("a loop of the group").isEqualTo(kind);
            assertThat(Transport.isEpoll(group)).isEqualTo(kind == Transport.Kind.EPOLL);
            Channel made = Transport.socket(group).newChannel();
            made.unsafe().closeForcibly();
            assertThat(made).isInstanceOf(switch (kind) {
                case NIO -> NioSocketChannel.class;
                case EPOLL -> EpollSocketChannel.class;
                case IO_URING -> IoUringSocketChannel.class;
            });
            BlockingQueue<String> got = new ArrayBlockingQueue<>(4);

            Channel server = new ServerBootstrap().group(group).channelFactory(Transport.serverSocket(group))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ctx.writeAndFlush(msg); // echo
                                }
                            });
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            Channel client = new Bootstrap().group(group).channelFactory(Transport.socket(group))
                    .handler(collector(got)).connect(server.localAddress()).sync().channel();
            client.writeAndFlush(Unpooled.copiedBuffer("tcp", StandardCharsets.US_ASCII)).sync();
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("tcp");
            client.close().sync();
            server.close().sync();

            Channel udp = new Bootstrap().group(group).channelFactory(Transport.datagram(group, SocketProtocolFamily.INET))
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            DatagramPacket p = (DatagramPacket) msg;
                            got.add(p.content().toString(StandardCharsets.US_ASCII));
                            p.release();
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            udp.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("udp", StandardCharsets.US_ASCII),
                    (InetSocketAddress) udp.localAddress())).sync();
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("udp");
            udp.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aLoopOfNeitherKindGetsNioChannels() {
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            assertThat(Transport.isEpoll(loop)).isFalse();
            assertThat(Transport.kindOf(loop)).isEqualTo(Transport.Kind.NIO);
            Channel made = Transport.socket(loop).newChannel();
            made.unsafe().closeForcibly();
            assertThat(made).isInstanceOf(NioSocketChannel.class);
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void datagramsReadInBatchesLandInPooledMemory() throws Exception {
        if (!Epoll.isAvailable()) {
            return; // batches are epoll's (recvmmsg); NIO reads one datagram at a time
        }
        EventLoopGroup group = Transport.group(1, THREADS, true);
        BlockingQueue<Object> got = new ArrayBlockingQueue<>(16);
        try {
            Bootstrap b = new Bootstrap().group(group).channelFactory(Transport.datagram(group, SocketProtocolFamily.INET))
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf content = ((DatagramPacket) msg).content();
                            got.add(content.alloc());
                            ((DatagramPacket) msg).release();
                        }
                    });
            // uTP's batch: 8 x 11 KiB, larger than Netty 4.2's default allocator pools
            Transport.batchedDatagramReads(b, group, Transport.LONGEST_UTP_DATAGRAM, Transport.UTP_DATAGRAMS_PER_READ);
            Channel receiver = b.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            Channel sender = new Bootstrap().group(group).channelFactory(Transport.datagram(group, SocketProtocolFamily.INET))
                    .handler(new ChannelInboundHandlerAdapter()).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            for (int i = 0; i < 4; i++) {
                sender.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(new byte[1400]),
                        (InetSocketAddress) receiver.localAddress())).sync();
            }
            for (int i = 0; i < 4; i++) {
                assertThat(got.poll(10, TimeUnit.SECONDS)).isInstanceOf(io.netty.buffer.PooledByteBufAllocator.class);
            }
            sender.close().sync();
            receiver.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static ChannelInboundHandlerAdapter collector(BlockingQueue<String> got) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                got.add(((ByteBuf) msg).toString(StandardCharsets.US_ASCII));
                ((ByteBuf) msg).release();
            }
        };
    }
}
