package io.jtorrent.trackerserver;

import io.jtorrent.net.Transport;
import io.jtorrent.tracker.TrackerException;
import io.jtorrent.tracker.UdpTrackerProtocol;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP tracker (BEP 15) over the same {@link SwarmStore} as the HTTP one: connect, announce,
 * scrape, errors. Connection ids are stateless ({@link ConnectionIds}). Limits: datagrams under 16
 * bytes are dropped; a bad protocol id, an unknown action, a wrong connection id or a malformed
 * body get an error reply; at most {@value UdpTrackerProtocol#MAX_SCRAPE_HASHES} hashes per scrape.
 * Replies carry IPv4 peers to IPv4 clients and IPv6 peers to IPv6 clients.
 */
public final class UdpTrackerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpTrackerServer.class);
    private final SwarmStore store;
    private final int interval;
    private final Set<String> whitelist;
    private final EventLoopGroup group;
    /**
     * Where answers are computed when only one thread can read the socket (NIO), so that all
     * cores work, or when the store may block; null on epoll with the memory store, where every
     * core reads a socket of its own and answers there.
     */
    private final ExecutorService workers;
    /** The sockets, all on one port: one per core on epoll (SO_REUSEPORT), else one. */
    private final List<Channel> channels = new ArrayList<>();
    private final ConnectionIds ids = new ConnectionIds(ConnectionIds.newSecret(), System::nanoTime);
    final LongAdder announces = new LongAdder();
    final LongAdder errors = new LongAdder();

    public UdpTrackerServer(InetSocketAddress bind, SwarmStore store, int intervalSeconds, Set<String> whitelist) throws IOException {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.store = store;
        this.interval = intervalSeconds;
        limitAnnouncesPerAddress(DEFAULT_ANNOUNCES_PER_ADDRESS, false);
        this.whitelist = whitelist;
        Transport.Kind kind = Transport.datagramKind();
        boolean perCore = kind.isNative(); // one socket per core on one port (SO_REUSEPORT)
        this.group = Transport.group(perCore ? threads : 1, new DefaultThreadFactory("jtorrent-tracker-udp", true), kind);
        // a blocking store (Redis) is never called on a reading thread: a slow one would stall every
        // datagram that socket receives
        this.workers = perCore && !store.blocking() ? null : new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(4096), new DefaultThreadFactory("jtorrent-tracker-udp-work", true),
                new ThreadPoolExecutor.DiscardPolicy()); // overloaded: drop, as the socket would
        InetSocketAddress at = bind;
        for (int i = 0; i < (perCore ? threads : 1); i++) {
            Bootstrap b = new Bootstrap().group(group).channelFactory(Transport.datagram(group, null)).handler(new Reader());
            Transport.reusePort(b, group);
            Transport.batchedDatagramReads(b, group, MAX_DATAGRAM, DATAGRAMS_PER_READ);
            var f = b.bind(at).awaitUninterruptibly();
            if (!f.isSuccess()) {
                close();
                throw new IOException("cannot listen on UDP " + at + ": " + f.cause().getMessage(), f.cause());
            }
            channels.add(f.channel());
            at = new InetSocketAddress(bind.getAddress(), ((InetSocketAddress) f.channel().localAddress()).getPort());
        }
    }

    /** Reads one socket's datagrams; answers them on its thread (epoll, memory store) or on the workers. */
    private final class Reader extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            InetSocketAddress sender = p.sender();
            if (workers == null) {
                // read where it lies (the datagram's buffer lives until this returns), answered
                // at once and flushed once the batch read is done
                answer(ctx, p.content().nioBuffer(), sender, false);
                return;
            }
            ByteBuffer b = ByteBuffer.allocate(p.content().readableBytes());
            p.content().readBytes(b);
            b.flip();
            workers.execute(() -> answer(ctx, b, sender, true));
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.increment(); // a datagram socket stays open whatever one packet did
        }
    }

    private void answer(ChannelHandlerContext ctx, ByteBuffer request, InetSocketAddress sender, boolean flush) {
        try {
            ByteBuf reply = handle(request, sender, ctx.alloc());
            if (reply != null) {
                DatagramPacket out = new DatagramPacket(reply, sender);
                if (flush) {
                    ctx.writeAndFlush(out);
                } else {
                    ctx.write(out);
                }
            }
        } catch (RuntimeException e) {
            errors.increment(); // e.g. the store is unreachable: this datagram goes unanswered
            LOG.warn("UDP request from {} failed: {}", sender, e.toString());
        }
    }

    /**
     * The longest request read whole: a scrape of 74 info-hashes is 1,496 bytes, a plain announce
     * 98 (BEP 41's options add a few hundred at most in practice); a longer datagram is cut here, as
     * Netty's default buffer cut it before.
     */
    static final int MAX_DATAGRAM = 2048;
    /**
     * Datagrams read in one system call on epoll (recvmmsg). One recvmsg each cost a tenth of the
     * tracker's CPU under bench/tracker-vs-opentracker.sh's UDP load.
     */
    static final int DATAGRAMS_PER_READ = 16;

    /** Announces one address may make per interval, by default. */
    public static final long DEFAULT_ANNOUNCES_PER_ADDRESS = 10_000;
    private volatile AnnounceBudget budget;

    /**
     * Sets how many announces one address may make per announce interval (beyond, a failure
     * reason); 0 for no limit. Loopback sources are counted only if {@code countLoopback}.
     */
    public void limitAnnouncesPerAddress(long perInterval, boolean countLoopback) {
        budget = new AnnounceBudget(perInterval, TimeUnit.SECONDS.toNanos(interval), System::nanoTime, countLoopback);
    }

    /** The transport its sockets run on. */
    public Transport.Kind transport() {
        return Transport.kindOf(group);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channels.get(0).localAddress();
    }

    public long announceCount() {
        return announces.sum();
    }

    /** The reply to one datagram in a buffer from {@code alloc} (an announce's written straight into it), or null to drop it. */
    ByteBuf handle(ByteBuffer b, InetSocketAddress from, ByteBufAllocator alloc) {
        if (b.remaining() < 16) {
            errors.increment();
            return null; // too short to carry even a transaction id
        }
        long first = b.getLong(0);
        int action = b.getInt(8);
        int tx = b.getInt(12);
        try {
            if (action == UdpTrackerProtocol.CONNECT) {
                if (first != UdpTrackerProtocol.PROTOCOL_ID) {
                    throw new TrackerException("bad protocol id", true);
                }
                return Unpooled.wrappedBuffer(UdpTrackerProtocol.connectReply(tx, ids.issue(from)));
            }
            if (!ids.valid(from, first)) {
                throw new TrackerException("unknown or expired connection id", true);
            }
            if (action == UdpTrackerProtocol.ANNOUNCE) {
                announces.increment();
                return announce(UdpTrackerProtocol.parseAnnounce(b.duplicate()), from, alloc);
            }
            if (action == UdpTrackerProtocol.SCRAPE) {
                int n = (b.remaining() - 16) / 20;
                if (n < 1 || n > UdpTrackerProtocol.MAX_SCRAPE_HASHES || (b.remaining() - 16) % 20 != 0) {
                    throw new TrackerException("scrape must carry 1 to " + UdpTrackerProtocol.MAX_SCRAPE_HASHES + " info-hashes", true);
                }
                List<UdpTrackerProtocol.ScrapeEntry> entries = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    byte[] hash = new byte[20];
                    b.get(16 + 20 * i, hash);
                    SwarmStore.Counts c = store.scrape(hash);
                    entries.add(new UdpTrackerProtocol.ScrapeEntry(c.complete(), c.downloaded(), c.incomplete()));
                }
                return Unpooled.wrappedBuffer(UdpTrackerProtocol.scrapeReply(tx, entries));
            }
            throw new TrackerException("unknown action " + action, true);
        } catch (TrackerException e) {
            errors.increment();
            return Unpooled.wrappedBuffer(UdpTrackerProtocol.error(tx, e.getMessage()));
        }
    }

    private ByteBuf announce(UdpTrackerProtocol.Announce a, InetSocketAddress from, ByteBufAllocator alloc) throws TrackerException {
        if (a.port() == 0) {
            throw new TrackerException("invalid port 0", true);
        }
        if (whitelist != null && !whitelist.contains(java.util.HexFormat.of().formatHex(a.infoHash()))) {
            throw new TrackerException("unregistered torrent", true);
        }
        SwarmStore.Event event = switch (a.event()) {
            case 1 -> SwarmStore.Event.COMPLETED;
            case 2 -> SwarmStore.Event.STARTED;
            case 3 -> SwarmStore.Event.STOPPED;
            default -> SwarmStore.Event.NONE;
        };
        if (!budget.take(from.getAddress())) {
            throw new TrackerException("too many announces from your address; try again later", true);
        }
        int numWant = a.numWant() < 0 ? TrackerServer.DEFAULT_NUMWANT : Math.min(TrackerServer.MAX_NUMWANT, a.numWant());
        byte[] address = from.getAddress().getAddress();
        SwarmStore.Answer answer;
        try {
            answer = store.announce(new SwarmStore.Announce(a.infoHash(),
                    new SwarmStore.Peer(a.peerId(), address, a.port(), a.left() == 0), event, numWant));
        } catch (SwarmStore.Full e) {
            throw new TrackerException(e.getMessage(), true);
        } catch (RuntimeException e) {
            // the store is unreachable or slow (Redis down): an error answer the client retries, never silence
            LOG.warn("UDP announce from {} failed in the store: {}", from, e.toString());
            throw new TrackerException("the tracker's storage is unavailable; try again later", false);
        }
        // peers of the asker's address family, as BEP 15 answers; the reply written at once
        byte[] peers = address.length == 4 ? answer.peers4() : answer.peers6();
        return alloc.ioBuffer(20 + peers.length).writeInt(UdpTrackerProtocol.ANNOUNCE).writeInt(a.transactionId())
                .writeInt(interval).writeInt(answer.incomplete()).writeInt(answer.complete()).writeBytes(peers);
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
        channels.forEach(c -> c.close().awaitUninterruptibly(5, TimeUnit.SECONDS));
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
