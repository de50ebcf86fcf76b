package io.jtorrent.tracker;

import io.jtorrent.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Announces to UDP trackers (BEP 15) over one Netty datagram channel: connect, then announce,
 * each retransmitted after 15·2ⁿ seconds (n from 0 to {@code maxRetries}); connection ids are
 * cached for the minute BEP 15 allows. Replies are matched by transaction id and address. All
 * state lives on the channel's event loop.
 */
public final class UdpTrackerClient implements AutoCloseable {
    private static final long CONNECTION_ID_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Channel channel;
    private final Resolver resolver;
    private final EventLoop loop;
    private final Duration base;
    private final int maxRetries;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final Map<InetSocketAddress, long[]> connectionIds = new HashMap<>(); // {id, obtainedAtNanos}

    private static final class Pending {
        final InetSocketAddress tracker;
        final CompletableFuture<ByteBuffer> reply = new CompletableFuture<>();

        Pending(InetSocketAddress tracker) {
            this.tracker = tracker;
        }
    }

    /**
     * @param base the first retransmission timeout (BEP 15: 15 s)
     * @param maxRetries retransmissions before giving up (BEP 15 allows 8)
     */
    public UdpTrackerClient(EventLoopGroup group, Duration base, int maxRetries) {
        this(group, base, maxRetries, new Resolver());
    }

    /** @param resolver where tracker host names are looked up (never on an event loop) */
    public UdpTrackerClient(EventLoopGroup group, Duration base, int maxRetries, Resolver resolver) {
        this.resolver = resolver;
        this.base = base;
        this.maxRetries = maxRetries;
        this.channel = new Bootstrap().group(group).channelFactory(Transport.datagram(group, null))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        received(p);
                    }
                }).bind(0).syncUninterruptibly().channel();
        this.loop = channel.eventLoop();
    }

    private void received(DatagramPacket p) {
        ByteBuffer b = ByteBuffer.allocate(p.content().readableBytes());
        p.content().readBytes(b);
        b.flip();
        if (b.remaining() < 8) {
            return;
        }
        int tx = b.getInt(4);
        Pending w = pending.get(tx);
        if (w == null || !w.tracker.equals(p.sender())) {
            return; // not ours, or from someone else: ignore
        }
        pending.remove(tx);
        w.reply.complete(b);
    }

    /** Announces to {@code url} (udp://host:port[/...]). */
    public CompletableFuture<AnnounceResponse> announce(String url, AnnounceRequest r) {
        return trackerAddress(url).thenCompose(tracker -> announce(url, tracker, r));
    }

    /** The tracker's address, looked up off the event loops; fails with a {@link TrackerException}. */
    private CompletableFuture<InetSocketAddress> trackerAddress(String url) {
        URI u;
        try {
            u = new URI(url);
            if (u.getHost() == null || u.getPort() <= 0) {
                throw new IllegalArgumentException("no host or port");
            }
        } catch (Exception e) {
            return CompletableFuture.failedFuture(new TrackerException("bad UDP tracker URL " + url + ": " + e.getMessage(), false));
        }
        return resolver.resolve(u.getHost(), u.getPort()).handle((a, e) -> {
            if (e != null) {
                throw new java.util.concurrent.CompletionException(
                        new TrackerException("bad UDP tracker URL " + url + ": " + e.getMessage(), false));
            }
            return a;
        });
    }

    private CompletableFuture<AnnounceResponse> announce(String url, InetSocketAddress tracker, AnnounceRequest r) {
        CompletableFuture<AnnounceResponse> result = new CompletableFuture<>();
        loop.execute(() -> connectionId(tracker).thenCompose(id -> {
            int event = switch (r.event()) {
                case NONE -> 0;
                case COMPLETED -> 1;
                case STARTED -> 2;
                case STOPPED -> 3;
            };
            int tx = ThreadLocalRandom.current().nextInt();
            byte[] packet = UdpTrackerProtocol.announceRequest(new UdpTrackerProtocol.Announce(id, tx,
                    r.infoHash().truncated20(), r.peerId(), r.downloaded(), r.left(), r.uploaded(), event, 0, r.key(),
                    r.numWant(), r.port()));
            return exchange(tracker, tx, packet);
        }).whenComplete((reply, error) -> {
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                result.completeExceptionally(cause instanceof TrackerException ? cause
                        : new TrackerException(url + ": " + cause.getMessage(), cause));
                return;
            }
            try {
                int action = reply.getInt(0);
                if (action == UdpTrackerProtocol.ERROR) {
                    byte[] msg = new byte[reply.remaining() - 8];
                    reply.position(8);
                    reply.get(msg);
                    throw new TrackerException(new String(msg, java.nio.charset.StandardCharsets.UTF_8), true);
                }
                if (action != UdpTrackerProtocol.ANNOUNCE) {
                    throw new TrackerException(url + ": reply with action " + action + " to an announce", false);
                }
                int addressLength = tracker.getAddress().getAddress().length;
                UdpTrackerProtocol.AnnounceReply a = UdpTrackerProtocol.parseAnnounceReply(reply, addressLength);
                result.complete(new AnnounceResponse(a.interval() > 0 ? a.interval() : 1800, 0, java.util.Optional.empty(),
                        a.seeders(), a.leechers(), a.peers(), java.util.Optional.empty()));
            } catch (TrackerException e) {
                result.completeExceptionally(e);
            }
        }));
        return result;
    }

    /** Scrapes one torrent over UDP (BEP 15). */
    public CompletableFuture<ScrapeResult> scrape(String url, io.jtorrent.metainfo.InfoHash infoHash) {
        return trackerAddress(url).thenCompose(tracker -> scrape(url, tracker, infoHash));
    }

    private CompletableFuture<ScrapeResult> scrape(String url, InetSocketAddress tracker, io.jtorrent.metainfo.InfoHash infoHash) {
        CompletableFuture<ScrapeResult> result = new CompletableFuture<>();
        loop.execute(() -> connectionId(tracker).thenCompose(id -> {
            int tx = ThreadLocalRandom.current().nextInt();
            return exchange(tracker, tx, UdpTrackerProtocol.scrapeRequest(id, tx, java.util.List.of(infoHash.truncated20())));
        }).whenComplete((reply, error) -> {
            try {
                if (error != null) {
                    Throwable cause = error.getCause() != null ? error.getCause() : error;
                    throw cause instanceof TrackerException t ? t : new TrackerException(url + ": " + cause.getMessage(), cause);
                }
                if (reply.getInt(0) == UdpTrackerProtocol.ERROR) {
                    throw new TrackerException(new String(reply.array(), 8, reply.limit() - 8, java.nio.charset.StandardCharsets.UTF_8), true);
                }
                var entries = UdpTrackerProtocol.parseScrapeReply(reply);
                if (entries.isEmpty()) {
                    throw new TrackerException(url + ": empty scrape reply", false);
                }
                var e = entries.get(0);
                result.complete(new ScrapeResult(e.seeders(), e.leechers(), e.completed()));
            } catch (TrackerException e) {
                result.completeExceptionally(e);
            }
        }));
        return result;
    }


    private CompletableFuture<Long> connectionId(InetSocketAddress tracker) {
        long[] cached = connectionIds.get(tracker);
        if (cached != null && System.nanoTime() - cached[1] < CONNECTION_ID_NANOS) {
            return CompletableFuture.completedFuture(cached[0]);
        }
        int tx = ThreadLocalRandom.current().nextInt();
        return exchange(tracker, tx, UdpTrackerProtocol.connectRequest(tx)).thenApply(reply -> {
            if (reply.remaining() < 16 || reply.getInt(0) != UdpTrackerProtocol.CONNECT) {
                throw new IllegalStateException(tracker + ": bad connect reply");
            }
            long id = reply.getLong(8);
            connectionIds.put(tracker, new long[] {id, System.nanoTime()});
            return id;
        });
    }

    /** Sends a packet and waits for the reply with its transaction id, retransmitting on BEP 15's schedule. */
    private CompletableFuture<ByteBuffer> exchange(InetSocketAddress tracker, int tx, byte[] packet) {
        Pending w = new Pending(tracker);
        pending.put(tx, w);
        send(w, tx, packet, 0);
        return w.reply;
    }

    private void send(Pending w, int tx, byte[] packet, int attempt) {
        if (w.reply.isDone()) {
            return;
        }
        if (attempt > maxRetries) {
            pending.remove(tx);
            w.reply.completeExceptionally(new TrackerException(w.tracker + ": no reply from the UDP tracker", false));
            return;
        }
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(packet), w.tracker));
        loop.schedule(() -> send(w, tx, packet, attempt + 1), base.toMillis() << attempt, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
