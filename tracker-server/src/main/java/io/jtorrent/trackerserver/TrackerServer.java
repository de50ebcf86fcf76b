package io.jtorrent.trackerserver;

import io.jtorrent.net.Transport;
import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BList;
import io.jtorrent.bencode.BValue;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
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
 * <p>Limits: request line 8 KiB, headers 8 KiB, no body, {@value QueryString#MAX_PARAMETERS}
 * parameters, {@code numwant} at most {@value #MAX_NUMWANT} (default {@value #DEFAULT_NUMWANT}).
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
        Handler handler = new Handler();
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
                                new HttpServerCodec(8192, 8192, 8192), new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(0), handler);
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

    @ChannelHandler.Sharable
    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String uri = req.uri();
            int q = uri.indexOf('?');
            String path = q < 0 ? uri : uri.substring(0, q);
            String query = q < 0 ? "" : uri.substring(q + 1);
            byte[] body;
            String type = "text/plain";
            if (!req.decoderResult().isSuccess()) {
                body = failure("malformed request: " + req.decoderResult().cause().getMessage());
            } else if (path.equals("/announce")) {
                announces.increment();
                InetSocketAddress from = (InetSocketAddress) ctx.channel().remoteAddress();
                if (storeWork != null) {
                    offLoop(ctx, HttpUtil.isKeepAlive(req), () -> announce(query, from));
                    return;
                }
                body = announce(query, from);
            } else if (path.equals("/scrape")) {
                scrapes.increment();
                if (storeWork != null) {
                    offLoop(ctx, HttpUtil.isKeepAlive(req), () -> scrape(query));
                    return;
                }
                body = scrape(query);
            } else if (path.equals("/metrics")) {
                scraped = store.totals();
                java.io.ByteArrayOutputStream m = new java.io.ByteArrayOutputStream(16384);
                try {
                    metricsWriter.write(m, metrics.scrape());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                respond(ctx, req, HttpResponseStatus.OK, m.toByteArray(), metricsWriter.getContentType());
                return;
            } else if (path.equals("/stats")) {
                long[] t = store.totals();
                body = String.format(java.util.Locale.ROOT,
                        "swarms %d%npeers %d%nseeders %d%nannounces %d%nannounces_per_second %.1f%nscrapes %d%nfailures %d%n",
                        t[0], t[1], t[2], announces.sum(), announceRate, scrapes.sum(), failures.sum()).getBytes(StandardCharsets.UTF_8);
            } else {
                respond(ctx, req, HttpResponseStatus.NOT_FOUND, "not found\n".getBytes(StandardCharsets.UTF_8), type);
                return;
            }
            respond(ctx, req, HttpResponseStatus.OK, body, path.equals("/stats") ? type : "text/plain");
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
    private void offLoop(ChannelHandlerContext ctx, boolean keepAlive, java.util.function.Supplier<byte[]> work) {
        try {
            storeWork.execute(() -> {
                byte[] body;
                try {
                    body = work.get();
                } catch (RuntimeException e) {
                    body = failure("the tracker's storage is unavailable; try again later");
                }
                byte[] answer = body;
                ctx.executor().execute(() -> respond(ctx, keepAlive, HttpResponseStatus.OK, answer, "text/plain"));
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            respond(ctx, keepAlive, HttpResponseStatus.OK, failure("the tracker is overloaded; try again later"), "text/plain");
        }
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, byte[] body, String type) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        HttpUtil.setKeepAlive(res, keepAlive);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, byte[] body,
                                String type) {
        respond(ctx, HttpUtil.isKeepAlive(req) && req.decoderResult().isSuccess(), status, body, type);
    }

    private byte[] failure(String reason) {
        failures.increment();
        return BDictionary.builder().put("failure reason", reason).build().encode();
    }

    private byte[] announce(String query, InetSocketAddress from) {
        try {
            byte[] infoHash = null;
            byte[] peerId = null;
            long port = -1;
            long left = -1;
            int numWant = DEFAULT_NUMWANT;
            boolean compact = true;
            SwarmStore.Event event = SwarmStore.Event.NONE;
            for (QueryString.Param p : QueryString.parse(query)) {
                String v = new String(p.value(), StandardCharsets.ISO_8859_1);
                switch (p.name()) {
                    case "info_hash" -> infoHash = p.value();
                    case "peer_id" -> peerId = p.value();
                    case "port" -> port = number("port", v);
                    case "left" -> left = number("left", v);
                    case "uploaded", "downloaded" -> number(p.name(), v);
                    case "numwant" -> numWant = (int) Math.min(MAX_NUMWANT, Math.max(0, number("numwant", v)));
                    case "compact" -> compact = !v.equals("0");
                    case "event" -> event = switch (v) {
                        case "started" -> SwarmStore.Event.STARTED;
                        case "completed" -> SwarmStore.Event.COMPLETED;
                        case "stopped" -> SwarmStore.Event.STOPPED;
                        case "", "empty" -> SwarmStore.Event.NONE;
                        default -> throw new QueryString.BadRequest("unknown event '" + v + "'");
                    };
                    default -> { /* key, ip, no_peer_id, trackerid, supportcrypto...: accepted, not needed */ }
                }
            }
            if (infoHash == null || infoHash.length != 20) {
                throw new QueryString.BadRequest(infoHash == null ? "missing info_hash" : "info_hash must be 20 bytes, got " + infoHash.length);
            }
            if (peerId == null || peerId.length != 20) {
                throw new QueryString.BadRequest(peerId == null ? "missing peer_id" : "peer_id must be 20 bytes, got " + peerId.length);
            }
            if (port < 1 || port > 65535) {
                throw new QueryString.BadRequest(port < 0 ? "missing port" : "invalid port " + port);
            }
            if (whitelist != null && !whitelist.contains(java.util.HexFormat.of().formatHex(infoHash))) {
                throw new QueryString.BadRequest("unregistered torrent");
            }
            if (!budget.take(from.getAddress())) {
                throw new QueryString.BadRequest("too many announces from your address; try again later");
            }
            byte[] address = from.getAddress().getAddress();
            SwarmStore.Peer peer = new SwarmStore.Peer(peerId, address, (int) port, left == 0);
            SwarmStore.Answer answer = store.announce(new SwarmStore.Announce(infoHash, peer, event, numWant));
            return response(answer, compact);
        } catch (QueryString.BadRequest | SwarmStore.Full e) {
            return failure(e.getMessage());
        } catch (RuntimeException e) {
            // the store is unreachable or slow (Redis down): a failure the client retries, never a hang
            org.slf4j.LoggerFactory.getLogger(TrackerServer.class).warn("announce failed in the store: {}", e.toString());
            return failure("the tracker's storage is unavailable; try again later");
        }
    }

    private byte[] response(SwarmStore.Answer a, boolean compact) {
        if (compact) {
            return compactResponse(a);
        }
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
     * The compact answer, written straight into bytes: it is most of a tracker's work, so no
     * dictionary is built for it. Keys in sorted order, as bencode requires.
     */
    private byte[] compactResponse(SwarmStore.Answer a) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(160 + a.peers4().length + a.peers6().length);
        ascii(b, "d8:completei" + a.complete() + "e10:downloadedi" + a.downloaded() + "e10:incompletei" + a.incomplete()
                + "e8:intervali" + interval + "e12:min intervali" + Math.max(1, interval / 2) + "e5:peers" + a.peers4().length + ":");
        b.writeBytes(a.peers4());
        if (a.peers6().length > 0) {
            ascii(b, "6:peers6" + a.peers6().length + ":");
            b.writeBytes(a.peers6());
        }
        ascii(b, "10:tracker id" + trackerId.length() + ":" + trackerId + "e");
        return b.toByteArray();
    }

    private static void ascii(java.io.ByteArrayOutputStream b, String s) {
        b.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
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

    private static long number(String name, String v) throws QueryString.BadRequest {
        if (v.isEmpty() || v.length() > 19 || !v.chars().allMatch(Character::isDigit)) {
            throw new QueryString.BadRequest(name + " is not a number: '" + (v.length() > 20 ? v.substring(0, 20) + "..." : v) + "'");
        }
        return Long.parseLong(v);
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
