package io.jtorrent.trackerserver;

import io.jtorrent.net.Transport;
import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BList;
import io.jtorrent.bencode.BValue;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP BitTorrent tracker (BEP 3, 23, 7, 48) on Netty: {@code /announce}, {@code /scrape},
 * {@code /stats} (text) and {@code /metrics} (Prometheus). Every malformed announce gets HTTP 200 with a bencoded {@code failure reason},
 * as clients expect. HTTP keep-alive is honoured.
 *
 * <p>Limits: request line 8 KiB, headers 8 KiB, no body ({@link HttpRequestDecoder}: a request
 * that breaks one is answered with its HTTP status and a failure reason, and the connection closed),
 * {@value QueryString#MAX_PARAMETERS} parameters, {@code numwant} at most {@value #MAX_NUMWANT}
 * (default {@value #DEFAULT_NUMWANT}).
 *
 * <p>An announce makes little garbage (about 1.1 KB, from 2.6 KB with Netty's HTTP codec): the
 * request is read by {@link HttpRequestDecoder}, its query by {@link AnnounceQuery} where it stands,
 * and the answer's headers and compact body are written straight into pooled buffers, flushed once
 * per read.
 */
public final class TrackerServer implements AutoCloseable {
    public static final int DEFAULT_NUMWANT = 50;
    public static final int MAX_NUMWANT = 200;

    private final SwarmStore store;
    private final int interval;
    private final Set<String> whitelist;
    private final EventLoopGroup group;
    private final Channel channel;
    private final LongAdder announces = new LongAdder();
    private final LongAdder scrapes = new LongAdder();
    private final LongAdder failures = new LongAdder();
    /** Sent as {@code tracker id}; identifies this instance to clients that echo it. */
    private final String trackerId = Long.toHexString(new java.security.SecureRandom().nextLong());
    private volatile double announceRate;
    private long lastAnnounces;
    /** {@code /metrics}: the Prometheus Java client's registry, with the JVM's metrics and the tracker's. */
    private final io.prometheus.metrics.model.registry.PrometheusRegistry metrics = new io.prometheus.metrics.model.registry.PrometheusRegistry();
    private final io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter metricsWriter =
            io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create();
    /** The store's totals (swarms, peers, seeders), read once per scrape. */
    private volatile long[] scraped = {0, 0, 0};

    /**
     * Starts a tracker.
     *
     * @param bind address and port to listen on (port 0 picks one)
     * @param intervalSeconds the announce interval given to clients; peers expire after twice it
     * @param whitelist hex info-hashes allowed, or null for any
     */
    public TrackerServer(InetSocketAddress bind, SwarmStore store, int intervalSeconds, Set<String> whitelist, int threads)
            throws IOException {
        this(bind, store, intervalSeconds, whitelist, threads, DEFAULT_IDLE_TIMEOUT);
    }

    /** Connections open at once; more are closed as they arrive. */
    public static final int MAX_CONNECTIONS = 4096;
    /** A connection that sends nothing for this long (mid-request or between requests) is closed. */
    public static final java.time.Duration DEFAULT_IDLE_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    /** Calls to a blocking store (Redis), off the event loops; null for the memory store. */
    private final java.util.concurrent.ThreadPoolExecutor storeWork;
    /** Requests waiting for a blocking store; more are answered with a failure at once. */
    public static final int MAX_STORE_QUEUE = 4096;

    /** @param idleTimeout how long a connection may send nothing before it is closed */
    public TrackerServer(InetSocketAddress bind, SwarmStore store, int intervalSeconds, Set<String> whitelist, int threads,
                         java.time.Duration idleTimeout) throws IOException {
        this.store = store;
        this.interval = intervalSeconds;
        limitAnnouncesPerAddress(DEFAULT_ANNOUNCES_PER_ADDRESS, false);
        this.storeWork = !store.blocking() ? null : new java.util.concurrent.ThreadPoolExecutor(8, 8, 0, TimeUnit.SECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(MAX_STORE_QUEUE), new DefaultThreadFactory("jtorrent-tracker-store", true));
        this.whitelist = whitelist;
        this.group = Transport.group(threads, new DefaultThreadFactory("jtorrent-tracker", true));
        var f = new ServerBootstrap().group(group).channelFactory(Transport.serverSocket(group))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (connections.incrementAndGet() > MAX_CONNECTIONS) {
                            connections.decrementAndGet();
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(c -> connections.decrementAndGet());
                        ch.pipeline().addLast(new io.netty.handler.timeout.ReadTimeoutHandler(idleTimeout.toMillis(), TimeUnit.MILLISECONDS),
                                new HttpRequestDecoder(), new Handler());
                    }
                }).bind(bind).awaitUninterruptibly();
        if (!f.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot listen on " + bind + ": " + f.cause().getMessage(), f.cause());
        }
        this.channel = f.channel();
        if (store instanceof MemoryStore m) {
            group.next().scheduleAtFixedRate(m::expire, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
        }
        group.next().scheduleAtFixedRate(() -> {
            long now = announces.sum();
            announceRate = (now - lastAnnounces) / 10.0;
            lastAnnounces = now;
        }, 10, 10, TimeUnit.SECONDS);
        long started = System.nanoTime();
        io.prometheus.metrics.instrumentation.jvm.JvmMetrics.builder().register(metrics);
        gauge("jtorrent_tracker_swarms", "Swarms held.", () -> scraped[0]);
        gauge("jtorrent_tracker_peers", "Peers held.", () -> scraped[1]);
        gauge("jtorrent_tracker_seeders", "Seeders held.", () -> scraped[2]);
        addMetric("jtorrent_tracker_http_announces_total", announces::sum);
        addMetric("jtorrent_tracker_http_scrapes_total", scrapes::sum);
        addMetric("jtorrent_tracker_http_failures_total", failures::sum);
        addMetric("jtorrent_tracker_uptime_seconds", () -> (System.nanoTime() - started) / 1_000_000_000L);
    }

    /** A tracker with an in-memory store on {@code bind}. */
    public static TrackerServer inMemory(InetSocketAddress bind, int intervalSeconds) throws IOException {
        return new TrackerServer(bind, new MemoryStore(TimeUnit.SECONDS.toNanos(2L * intervalSeconds), System::nanoTime),
                intervalSeconds, null, 1);
    }

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
        return (InetSocketAddress) channel.localAddress();
    }

    /** The announce URL for a client on this machine. */
    public String announceUrl() {
        InetSocketAddress a = address();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return "http://" + host + ":" + a.getPort() + "/announce";
    }

    public long announceCount() {
        return announces.sum();
    }

    public SwarmStore store() {
        return store;
    }

    /** Requests of one connection waiting behind a store call, beyond which it is read no further until they drain. */
    static final int MAX_QUEUED = 64;

    /**
     * One connection's requests. Answers go out in the order the requests came (HTTP/1.1): with a
     * blocking store, a request that reached it holds the ones pipelined behind it until its answer
     * is written.
     */
    private final class Handler extends SimpleChannelInboundHandler<HttpRequestDecoder.Request> {
        private final java.util.ArrayDeque<HttpRequestDecoder.Request> queued = new java.util.ArrayDeque<>();
        /** A request is with the blocking store: the ones after it wait in {@link #queued}. */
        private boolean waiting;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpRequestDecoder.Request req) {
            if (waiting) {
                queued.add(req);
                return;
            }
            answer(ctx, req);
        }

        /** Reads on while the answers drain and few requests wait; else not, so what a client can make us hold is bounded. */
        private void updateReading(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable() && queued.size() <= MAX_QUEUED);
        }

        /** A store call's answer is written: the requests that waited behind it are answered, in order. */
        private void resumed(ChannelHandlerContext ctx) {
            waiting = false;
            HttpRequestDecoder.Request next;
            while (!waiting && (next = queued.poll()) != null) {
                answer(ctx, next);
            }
            ctx.flush();
            updateReading(ctx);
        }

        private void answer(ChannelHandlerContext ctx, HttpRequestDecoder.Request req) {
            if (!req.ok()) {
                respond(ctx, req, req.status(), failure(req.error()), TEXT);
                return;
            }
            String uri = req.target();
            int q = uri.indexOf('?');
            if ((q < 0 ? uri.length() : q) == ANNOUNCE.length() && uri.startsWith(ANNOUNCE)) {
                // the query is read where it stands in the target, with no copy of it
                announces.increment();
                InetSocketAddress from = (InetSocketAddress) ctx.channel().remoteAddress();
                int query = q < 0 ? uri.length() : q + 1;
                if (storeWork != null) {
                    waiting = true;
                    offLoop(ctx, req, () -> announce(ctx.alloc(), uri, query, from), () -> resumed(ctx));
                    return;
                }
                respond(ctx, req, announce(ctx.alloc(), uri, query, from));
                return;
            }
            String path = q < 0 ? uri : uri.substring(0, q);
            String query = q < 0 ? "" : uri.substring(q + 1);
            if (path.equals("/scrape")) {
                scrapes.increment();
                if (storeWork != null) {
                    waiting = true;
                    offLoop(ctx, req, () -> Unpooled.wrappedBuffer(scrape(query)), () -> resumed(ctx));
                    return;
                }
                respond(ctx, req, 200, scrape(query), TEXT);
            } else if (path.equals("/metrics")) {
                scraped = store.totals();
                java.io.ByteArrayOutputStream m = new java.io.ByteArrayOutputStream(16384);
                try {
                    metricsWriter.write(m, metrics.scrape());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                respond(ctx, req, 200, m.toByteArray(), metricsWriter.getContentType());
            } else if (path.equals("/stats")) {
                long[] t = store.totals();
                respond(ctx, req, 200, String.format(java.util.Locale.ROOT,
                        "swarms %d%npeers %d%nseeders %d%nannounces %d%nannounces_per_second %.1f%nscrapes %d%nfailures %d%n",
                        t[0], t[1], t[2], announces.sum(), announceRate, scrapes.sum(), failures.sum()).getBytes(StandardCharsets.UTF_8), TEXT);
            } else {
                respond(ctx, req, 404, "not found\n".getBytes(StandardCharsets.UTF_8), TEXT);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush(); // the answers to everything read in this pass, in one write
            // a client that sends requests without reading the answers is read no further until
            // they drain (Netty's high-water mark), nor one whose requests pile up behind the store
            updateReading(ctx);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            updateReading(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private void gauge(String name, String help, java.util.function.LongSupplier value) {
        io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(value.getAsLong())).register(metrics);
    }

    /** Adds a counter to {@code /metrics} (the UDP server's, say); a name ending {@code _total} is shown as given. */
    public void addMetric(String name, java.util.function.LongSupplier value) {
        String base = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
        io.prometheus.metrics.core.metrics.CounterWithCallback.builder().name(base).help(base.replace('_', ' '))
                .callback(cb -> cb.call(value.getAsLong())).register(metrics);
    }

    /**
     * Answers from the store's worker pool (a blocking store must not hold an event loop); a full
     * queue is answered at once with a failure, so no request waits without bound.
     */
    private void offLoop(ChannelHandlerContext ctx, HttpRequestDecoder.Request req, java.util.function.Supplier<ByteBuf> work,
                         Runnable written) {
        try {
            storeWork.execute(() -> {
                ByteBuf body;
                try {
                    body = work.get();
                } catch (RuntimeException e) {
                    body = Unpooled.wrappedBuffer(failure("the tracker's storage is unavailable; try again later"));
                }
                ByteBuf answer = body;
                ctx.executor().execute(() -> {
                    respond(ctx, req, answer);
                    written.run();
                });
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            respond(ctx, req, 200, failure("the tracker is overloaded; try again later"), TEXT);
            ctx.executor().execute(written); // after this read's requests are queued, as any answer
        }
    }

    private static final String TEXT = "text/plain";

    private static void respond(ChannelHandlerContext ctx, HttpRequestDecoder.Request req, int status, byte[] body, String type) {
        respond(ctx, req, status, Unpooled.wrappedBuffer(body), type);
    }

    /** A {@code text/plain} 200 answer with this body (released when written). */
    private static void respond(ChannelHandlerContext ctx, HttpRequestDecoder.Request req, ByteBuf body) {
        respond(ctx, req, 200, body, TEXT);
    }

    /**
     * Writes the status line, the headers and {@code body} (released when written; not sent for a
     * HEAD), not flushed: the handler flushes once per read. A connection not kept alive is
     * flushed and closed after it.
     */
    private static void respond(ChannelHandlerContext ctx, HttpRequestDecoder.Request req, int status, ByteBuf body, String type) {
        ByteBuf head = ctx.alloc().ioBuffer(128);
        head.writeCharSequence("HTTP/1.1 ", StandardCharsets.US_ASCII);
        writeDecimal(head, status);
        head.writeCharSequence(switch (status) {
            case 200 -> " OK";
            case 400 -> " Bad Request";
            case 404 -> " Not Found";
            case 405 -> " Method Not Allowed";
            case 413 -> " Content Too Large";
            case 414 -> " URI Too Long";
            case 431 -> " Request Header Fields Too Large";
            case 505 -> " HTTP Version Not Supported";
            default -> " Error";
        }, StandardCharsets.US_ASCII);
        head.writeCharSequence("\r\nContent-Type: ", StandardCharsets.US_ASCII);
        head.writeCharSequence(type, StandardCharsets.US_ASCII);
        head.writeCharSequence("\r\nContent-Length: ", StandardCharsets.US_ASCII);
        writeDecimal(head, body.readableBytes());
        head.writeCharSequence(req.keepAlive() ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n", StandardCharsets.US_ASCII);
        if (req.head()) {
            body.release();
            body = Unpooled.EMPTY_BUFFER;
        }
        if (req.keepAlive()) {
            ctx.write(head, ctx.voidPromise());
            ctx.write(body, ctx.voidPromise());
        } else {
            ctx.write(head, ctx.voidPromise());
            ctx.writeAndFlush(body).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Writes {@code v} (not negative) in decimal, without making a string of it. */
    static void writeDecimal(ByteBuf out, long v) {
        long p = 1;
        while (p <= v / 10) {
            p *= 10;
        }
        for (; p > 0; p /= 10) {
            out.writeByte((int) ('0' + v / p % 10));
        }
    }

    private byte[] failure(String reason) {
        failures.increment();
        return BDictionary.builder().put("failure reason", reason).build().encode();
    }

    private static final String ANNOUNCE = "/announce";

    /** The answer to the announce whose query string starts at {@code query} in {@code target}, in a buffer from {@code alloc}. */
    private ByteBuf announce(ByteBufAllocator alloc, String target, int query, InetSocketAddress from) {
        try {
            AnnounceQuery q = AnnounceQuery.parse(target, query);
            if (whitelist != null && !whitelist.contains(java.util.HexFormat.of().formatHex(q.infoHash))) {
                throw new QueryString.BadRequest("unregistered torrent");
            }
            if (!budget.take(from.getAddress())) {
                throw new QueryString.BadRequest("too many announces from your address; try again later");
            }
            byte[] address = from.getAddress().getAddress();
            SwarmStore.Peer peer = new SwarmStore.Peer(q.peerId, address, (int) q.port, q.left == 0);
            SwarmStore.Answer answer = store.announce(new SwarmStore.Announce(q.infoHash, peer, q.event, q.numWant));
            return q.compact ? compactResponse(alloc, answer) : Unpooled.wrappedBuffer(response(answer));
        } catch (QueryString.BadRequest | SwarmStore.Full e) {
            return Unpooled.wrappedBuffer(failure(e.getMessage()));
        } catch (RuntimeException e) {
            // the store is unreachable or slow (Redis down): a failure the client retries, never a hang
            org.slf4j.LoggerFactory.getLogger(TrackerServer.class).warn("announce failed in the store: {}", e.toString());
            return Unpooled.wrappedBuffer(failure("the tracker's storage is unavailable; try again later"));
        }
    }

    /** The non-compact answer (BEP 3's list of dictionaries). */
    private byte[] response(SwarmStore.Answer a) {
        BDictionary.Builder d = BDictionary.builder()
                .put("interval", interval).put("min interval", Math.max(1, interval / 2)).put("tracker id", trackerId)
                .put("complete", a.complete()).put("incomplete", a.incomplete()).put("downloaded", a.downloaded());
        List<BValue> list = new ArrayList<>();
        for (InetSocketAddress p : a.addresses()) {
            // no "peer id": peers are handed out by address only (ids would let anyone impersonate them)
            list.add(BDictionary.builder().put("ip", p.getAddress().getHostAddress()).put("port", p.getPort()).build());
        }
        d.put("peers", BList.of(list));
        return d.build().encode();
    }

    /**
     * The compact answer, written straight into a pooled buffer: it is most of a tracker's work,
     * so no dictionary, string or array is made for it. Keys in sorted order, as bencode requires.
     */
    private ByteBuf compactResponse(ByteBufAllocator alloc, SwarmStore.Answer a) {
        ByteBuf b = alloc.ioBuffer(200 + a.peers4().length + a.peers6().length);
        ascii(b, "d8:completei");
        writeDecimal(b, a.complete());
        ascii(b, "e10:downloadedi");
        writeDecimal(b, a.downloaded());
        ascii(b, "e10:incompletei");
        writeDecimal(b, a.incomplete());
        ascii(b, "e8:intervali");
        writeDecimal(b, interval);
        ascii(b, "e12:min intervali");
        writeDecimal(b, Math.max(1, interval / 2));
        ascii(b, "e5:peers");
        writeDecimal(b, a.peers4().length);
        b.writeByte(':').writeBytes(a.peers4());
        if (a.peers6().length > 0) {
            ascii(b, "6:peers6");
            writeDecimal(b, a.peers6().length);
            b.writeByte(':').writeBytes(a.peers6());
        }
        ascii(b, "10:tracker id");
        writeDecimal(b, trackerId.length());
        b.writeByte(':');
        ascii(b, trackerId);
        return b.writeByte('e');
    }

    private static void ascii(ByteBuf b, String s) {
        b.writeCharSequence(s, StandardCharsets.US_ASCII);
    }

    private byte[] scrape(String query) {
        try {
            BDictionary.Builder files = BDictionary.builder();
            for (QueryString.Param p : QueryString.parse(query)) {
                if (p.name().equals("info_hash")) {
                    if (p.value().length != 20) {
                        throw new QueryString.BadRequest("info_hash must be 20 bytes, got " + p.value().length);
                    }
                    SwarmStore.Counts c = store.scrape(p.value());
                    files.put(io.jtorrent.bencode.BBytes.of(p.value()), BDictionary.builder()
                            .put("complete", c.complete()).put("incomplete", c.incomplete())
                            .put("downloaded", c.downloaded()).build());
                }
            }
            return BDictionary.builder().put("files", files.build()).build().encode();
        } catch (QueryString.BadRequest e) {
            return failure(e.getMessage());
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (storeWork != null) {
            storeWork.shutdownNow();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        store.close();
    }

}
