package io.jtorrent.net;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * The Netty transport of every event loop jtorrent makes: Linux's native epoll when the system
 * property {@code jtorrent.transport} is {@code epoll} and its library loads (fewer system calls
 * than the JDK's selector, and one UDP tracker socket per core), NIO otherwise.
 *
 * <p>A channel must match its loop's transport, so channels are made from the group or loop they
 * will be registered with: {@link #socket}, {@link #serverSocket}, {@link #datagram}. A loop that
 * is not an I/O loop of either kind (a test's {@code DefaultEventLoop}) gets NIO channels.
 */
public final class Transport {
    /**
     * The system property that asks for epoll: {@code -Djtorrent.transport=epoll} (the launcher
     * sets it for download, seed and tracker). Without it every group is NIO: under the test
     * suite's load three engine tests (an LSD download, a UDP-tracker download, a request flood)
     * each timed out once on epoll in five full runs, for reasons not yet found.
     */
    public static final String PROPERTY = "jtorrent.transport";

    private Transport() {
    }

    /** Whether new groups use epoll: asked for by {@link #PROPERTY} and available here. */
    public static boolean epoll() {
        return "epoll".equalsIgnoreCase(System.getProperty(PROPERTY, "")) && Epoll.isAvailable();
    }

    /** A group of {@code threads} event loops on the transport {@link #epoll()} chooses. */
    public static EventLoopGroup group(int threads, ThreadFactory threadFactory) {
        return group(threads, threadFactory, epoll());
    }

    /** A group on epoll or NIO as asked; epoll must be {@linkplain Epoll#isAvailable() available}. */
    public static EventLoopGroup group(int threads, ThreadFactory threadFactory, boolean epoll) {
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, io);
    }

    /** Whether {@code group} (a group or one of its loops) runs epoll. */
    public static boolean isEpoll(EventLoopGroup group) {
        return group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class);
    }

    /** TCP client channels for {@code group}. */
    public static ChannelFactory<SocketChannel> socket(EventLoopGroup group) {
        return isEpoll(group) ? EpollSocketChannel::new : NioSocketChannel::new;
    }

    /** TCP listening channels for {@code group}. */
    public static ChannelFactory<ServerSocketChannel> serverSocket(EventLoopGroup group) {
        return isEpoll(group) ? EpollServerSocketChannel::new : NioServerSocketChannel::new;
    }

    /**
     * Lets several sockets of this process bind the same port, the kernel spreading datagrams
     * among them (SO_REUSEPORT), where {@code group} runs epoll; elsewhere nothing.
     */
    public static void reusePort(AbstractBootstrap<?, ?> b, EventLoopGroup group) {
        if (isEpoll(group)) {
            b.option(EpollChannelOption.SO_REUSEPORT, true);
        }
    }

    /**
     * Makes the UDP channels of {@code b} read up to {@code count} datagrams of at most
     * {@code maxSize} bytes each in one system call (recvmmsg) where {@code group} runs epoll,
     * each datagram a slice of one buffer; elsewhere one datagram of at most {@code maxSize} bytes
     * a read. Either way a longer datagram is cut to {@code maxSize}, and a socket found readable
     * is read up to {@value #READS_PER_WAKEUP} times before the loop moves on. (An allocator set
     * this way reads once per wakeup unless told otherwise: Netty gives the channel's own default,
     * 16, only to the allocator it makes itself. Once per wakeup, a 1 GiB uTP transfer took 30 s
     * and 51 CPU-s instead of 11 s and 17.) The batch's buffer comes from Netty's pooled
     * allocator: Netty 4.2's default (adaptive) one does not pool buffers as large as uTP's 8 x
     * 11 KiB, and made each read a new direct buffer, zeroed by the JDK (3% of a uTP leecher's CPU
     * samples in that zeroing alone).
     */
    public static void batchedDatagramReads(AbstractBootstrap<?, ?> b, EventLoopGroup group, int maxSize, int count) {
        if (isEpoll(group) && count > 1) {
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxSize)
                    .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(maxSize * count).maxMessagesPerRead(READS_PER_WAKEUP));
        } else {
            b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxSize).maxMessagesPerRead(READS_PER_WAKEUP));
        }
    }

    /** Reads of a readable UDP socket before its loop turns to its other channels and tasks. */
    static final int READS_PER_WAKEUP = 16;

    /**
     * The longest datagram a socket that carries uTP reads whole (its own, or the DHT's it shares):
     * room for a uTP header, eight extensions of the largest size and the largest payload uTP
     * takes (io.jtorrent.wire.utp.UtpPacket: 20 + 8 x 257 + 9,000 bytes). A longer datagram is cut
     * here, and what is left then holds more payload than a packet may: it fails to decode, never
     * passes as a shorter packet.
     */
    public static final int LONGEST_UTP_DATAGRAM = 11 * 1024;
    /** Datagrams one read of such a socket takes (one recvmmsg on epoll). */
    public static final int UTP_DATAGRAMS_PER_READ = 8;

    /** UDP channels for {@code group}; {@code family} null for the platform's default (dual stack). */
    public static ChannelFactory<DatagramChannel> datagram(EventLoopGroup group, SocketProtocolFamily family) {
        if (isEpoll(group)) {
            return family == null ? EpollDatagramChannel::new : () -> new EpollDatagramChannel(family);
        }
        return family == null ? NioDatagramChannel::new : () -> new NioDatagramChannel(family);
    }
}
