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
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * The Netty transport of every event loop jtorrent makes: one of Linux's native ones when the
 * system property {@code jtorrent.transport} asks for it and its library loads — epoll (fewer
 * system calls than the JDK's selector, and one UDP tracker socket per core) or io_uring (reads,
 * writes and accepts queued to the kernel in rings, many in one system call) — NIO otherwise.
 * io_uring falls back to epoll where the kernel refuses it (older than 5.14, or
 * {@code kernel.io_uring_disabled} set), then to NIO.
 *
 * <p>A channel must match its loop's transport, so channels are made from the group or loop they
 * will be registered with: {@link #socket}, {@link #serverSocket}, {@link #datagram}. A loop that
 * is not an I/O loop of these kinds (a test's {@code DefaultEventLoop}) gets NIO channels.
 */
public final class Transport {
    /**
     * The system property that chooses the transport: {@code -Djtorrent.transport=epoll} or
     * {@code =io_uring} (the launcher sets one for download, seed, tracker and demo). Without it
     * every group is NIO: under the test suite's load three engine tests (an LSD download, a
     * UDP-tracker download, a request flood) each timed out once on epoll in five full runs, for
     * reasons not yet found.
     */
    public static final String PROPERTY = "jtorrent.transport";

    /** The kinds of event loop. */
    public enum Kind {
        NIO, EPOLL, IO_URING;

        /** Whether this kind is one of Linux's native transports (SO_REUSEPORT, one socket per core). */
        public boolean isNative() {
            return this != NIO;
        }

        /** Whether its native library loads here (NIO always does). */
        public boolean isAvailable() {
            return switch (this) {
                case NIO -> true;
                case EPOLL -> Epoll.isAvailable();
                case IO_URING -> IoUring.isAvailable();
            };
        }
    }

    private Transport() {
    }

    /**
     * The kind new groups use: the one {@link #PROPERTY} asks for ({@code epoll}, {@code io_uring}
     * or {@code io-uring}) if available here, else the next: io_uring, then epoll, then NIO.
     */
    public static Kind kind() {
        return kind(System.getProperty(PROPERTY, ""));
    }

    static Kind kind(String asked) {
        String a = asked.trim().toLowerCase(java.util.Locale.ROOT);
        if ((a.equals("io_uring") || a.equals("io-uring")) && Kind.IO_URING.isAvailable()) {
            return Kind.IO_URING;
        }
        if ((a.equals("epoll") || a.equals("io_uring") || a.equals("io-uring")) && Kind.EPOLL.isAvailable()) {
            return Kind.EPOLL;
        }
        return Kind.NIO;
    }

    /**
     * The kind for a group that carries only UDP (the UDP tracker's sockets): as {@link #kind()},
     * but epoll where io_uring was asked for and epoll loads. Epoll reads a batch of datagrams in
     * one system call (recvmmsg, {@link #batchedDatagramReads}); io_uring took one completion per
     * datagram, and under bench/tracker-vs-opentracker.sh's UDP load (32 clients, 2 cores) cost
     * 13.1 us of CPU per announce against epoll's 11.0, with a p99 of 5.4-5.8 ms against 3.5-4.2.
     */
    public static Kind datagramKind() {
        Kind k = kind();
        return k == Kind.IO_URING && Kind.EPOLL.isAvailable() ? Kind.EPOLL : k;
    }

    /** Whether new groups use epoll. */
    public static boolean epoll() {
        return kind() == Kind.EPOLL;
    }

    /** A group of {@code threads} event loops on the transport {@link #kind()} chooses. */
    public static EventLoopGroup group(int threads, ThreadFactory threadFactory) {
        return group(threads, threadFactory, kind());
    }

    /** A group on epoll or NIO as asked; epoll must be {@linkplain Epoll#isAvailable() available}. */
    public static EventLoopGroup group(int threads, ThreadFactory threadFactory, boolean epoll) {
        return group(threads, threadFactory, epoll ? Kind.EPOLL : Kind.NIO);
    }

    /** A group of the kind asked for, which must be {@linkplain Kind#isAvailable() available}. */
    public static EventLoopGroup group(int threads, ThreadFactory threadFactory, Kind kind) {
        IoHandlerFactory io = switch (kind) {
            case NIO -> NioIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, io);
    }

    /** The kind of {@code group} (a group or one of its loops); NIO for a loop of no I/O kind. */
    public static Kind kindOf(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup io) {
            if (io.isIoType(EpollIoHandler.class)) {
                return Kind.EPOLL;
            }
            if (io.isIoType(IoUringIoHandler.class)) {
                return Kind.IO_URING;
            }
        }
        return Kind.NIO;
    }

    /** Whether {@code group} (a group or one of its loops) runs epoll. */
    public static boolean isEpoll(EventLoopGroup group) {
        return kindOf(group) == Kind.EPOLL;
    }

    /** TCP client channels for {@code group}. */
    public static ChannelFactory<SocketChannel> socket(EventLoopGroup group) {
        return switch (kindOf(group)) {
            case NIO -> NioSocketChannel::new;
            case EPOLL -> EpollSocketChannel::new;
            case IO_URING -> IoUringSocketChannel::new;
        };
    }

    /** TCP listening channels for {@code group}. */
    public static ChannelFactory<ServerSocketChannel> serverSocket(EventLoopGroup group) {
        return switch (kindOf(group)) {
            case NIO -> NioServerSocketChannel::new;
            case EPOLL -> EpollServerSocketChannel::new;
            case IO_URING -> IoUringServerSocketChannel::new;
        };
    }

    /**
     * Lets several sockets of this process bind the same port, the kernel spreading datagrams
     * among them (SO_REUSEPORT), where {@code group} runs a native transport; elsewhere nothing.
     */
    public static void reusePort(AbstractBootstrap<?, ?> b, EventLoopGroup group) {
        if (kindOf(group).isNative()) {
            b.option(UnixChannelOption.SO_REUSEPORT, true);
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
        return switch (kindOf(group)) {
            case NIO -> family == null ? NioDatagramChannel::new : () -> new NioDatagramChannel(family);
            case EPOLL -> family == null ? EpollDatagramChannel::new : () -> new EpollDatagramChannel(family);
            case IO_URING -> family == null ? IoUringDatagramChannel::new : () -> new IoUringDatagramChannel(family);
        };
    }
}
