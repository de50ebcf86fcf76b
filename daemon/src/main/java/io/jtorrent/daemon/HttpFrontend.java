package io.jtorrent.daemon;

import io.jtorrent.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's HTTP side on one port: the Transmission RPC ({@code /transmission/rpc}, with and
 * without the trailing slash), the web UI ({@code /}), file streaming ({@code /files/HASH/PATH})
 * and Prometheus metrics ({@code /metrics}). With authentication on, every path needs it: without
 * credentials there is only the 401 page. The RPC's CSRF guard is Transmission's: a request without
 * the current {@code X-Transmission-Session-Id} gets 409 and the id in that header.
 */
final class HttpFrontend implements AutoCloseable {
    static final String SESSION_HEADER = "X-Transmission-Session-Id";
    /** Connections open at once, and from one address; more are closed at once. */
    static final int MAX_CONNECTIONS = 256;
    static final int MAX_CONNECTIONS_PER_ADDRESS = 32;

    private final Daemon daemon;
    private final Rpc rpc;
    private final EventLoopGroup group;
    private final Channel server;
    private final String sessionId;
    private final byte[] webUi;
    private final HttpGate.Rules rules;
    private final io.jtorrent.engine.peer.AddressSlots connections =
            new io.jtorrent.engine.peer.AddressSlots(MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS);
    final FileStreamer streamer;
    /** Another web client served instead of ours, or null. */
    private final WebHome webHome;
    final Metrics metrics;

    HttpFrontend(Daemon daemon) throws IOException {
        this.daemon = daemon;
        this.rpc = new Rpc(daemon);
        this.streamer = new FileStreamer(daemon);
        this.metrics = new Metrics(daemon);
        byte[] id = new byte[24];
        new SecureRandom().nextBytes(id);
        this.sessionId = HexFormat.of().formatHex(id);
        String auth = daemon.options.auth();
        SettingsFile.Credentials credentials = auth == null ? null : SettingsFile.Credentials.parse(auth);
        try (InputStream in = HttpFrontend.class.getResourceAsStream("web/index.html")) {
            this.webUi = in == null ? "<h1>jtorrent</h1>".getBytes(StandardCharsets.UTF_8) : in.readAllBytes();
        }
        Daemon.Security sec = daemon.options.security();
        this.webHome = sec.webHome() == null ? null : new WebHome(sec.webHome());
        this.rules = new HttpGate.Rules(new HostCheck(sec.hostWhitelist()), sec.clientWhitelist(), credentials, sessionId,
                new LoginThrottle(System::currentTimeMillis), sec.requestTimeout().toMillis(),
                webHome != null ? WebHome.POLICY : uiPolicy(webUi));
        this.group = Transport.group(2, new io.netty.util.concurrent.DefaultThreadFactory("jtorrent-rpc", true));
        ServerBootstrap b = new ServerBootstrap().group(group).channelFactory(Transport.serverSocket(group))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!admit(ch)) {
                            ch.close();
                            return;
                        }
                        ch.pipeline().addLast(new HttpServerCodec(8192, 16384, 16384))
                                .addLast(new HttpGate(rules))
                                .addLast(new HttpObjectAggregator(HttpGate.MAX_RPC_BODY))
                                .addLast(new Handler());
                    }
                });
        InetSocketAddress bind = new InetSocketAddress(daemon.options.rpcBind(), daemon.options.rpcPort());
        var f = b.bind(bind).awaitUninterruptibly();
        if (!f.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot listen for RPC on " + bind + ": " + f.cause().getMessage(), f.cause());
        }
        this.server = f.channel();
    }

    /** Counts a new connection against the caps; false when it must be closed. */
    private boolean admit(SocketChannel ch) {
        java.net.InetAddress from = ch.remoteAddress().getAddress();
        if (!connections.tryAcquire(from)) {
            return false;
        }
        ch.closeFuture().addListener(f -> connections.release(from));
        return true;
    }

    /**
     * The web UI's Content-Security-Policy: its one inline script allowed by hash, nothing loaded
     * from elsewhere, no framing, forms and requests only to this origin.
     */
    static String uiPolicy(byte[] page) {
        String html = new String(page, StandardCharsets.UTF_8);
        StringBuilder scripts = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<script>(.*?)</script>", java.util.regex.Pattern.DOTALL).matcher(html);
        while (m.find()) {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(m.group(1).getBytes(StandardCharsets.UTF_8));
                scripts.append(" 'sha256-").append(Base64.getEncoder().encodeToString(d)).append('\'');
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return "default-src 'none'; script-src" + (scripts.length() == 0 ? " 'none'" : scripts)
                + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                + "base-uri 'none'; frame-ancestors 'none'";
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    EventLoopGroup group() {
        return group;
    }

    /**
     * RPC answers being made or written. {@link #close} lets them go out first: session-close's own
     * answer was lost when its close shut the loops before the answer was written (1 time in 15
     * in the daemon's cache training, which then failed).
     */
    private final java.util.concurrent.atomic.AtomicInteger answering = new java.util.concurrent.atomic.AtomicInteger();

    private void answered() {
        if (answering.decrementAndGet() == 0) {
            synchronized (answering) {
                answering.notifyAll();
            }
        }
    }

    /** Stops taking connections, waits up to 2 s for the answers under way, then closes them all. */
    @Override
    public void close() {
        server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        synchronized (answering) {
            long left;
            while (answering.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    answering.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            // the address, Host, credentials, session id and size were checked by the HttpGate
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String path = new QueryStringDecoder(req.uri()).path();
            if (HttpGate.isRpc(path)) {
                rpc(ctx, req, keepAlive);
            } else if (HttpGate.isWebUi(path) && webHome != null) {
                send(ctx, webHome.serve(path), keepAlive);
            } else if (HttpGate.isWebUi(path)) {
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(webUi));
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
                send(ctx, r, keepAlive);
            } else if (path.equals("/metrics")) {
                metrics.render().whenComplete((body, e) -> ctx.executor().execute(() -> send(ctx,
                        e != null ? text(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getMessage() + "\n")
                                : withType(text(HttpResponseStatus.OK, body), Metrics.contentType()), keepAlive)));
            } else if (path.startsWith("/files/")) {
                streamer.serve(ctx, req, path.substring("/files/".length()), keepAlive);
            } else {
                send(ctx, text(HttpResponseStatus.NOT_FOUND, "not found\n"), keepAlive);
            }
        }

        private void rpc(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
            // the body is JSON whatever the Content-Type says
            byte[] body = new byte[req.content().readableBytes()];
            req.content().readBytes(body);
            answering.incrementAndGet();
            rpc.handle(body).whenComplete((answer, e) -> ctx.executor().execute(() -> {
                if (answer == null) { // the daemon is stopping: its thread takes no more work
                    ctx.close();
                    answered();
                    return;
                }
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(answer));
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8").set(SESSION_HEADER, sessionId);
                send(ctx, r, keepAlive).addListener(f -> answered());
            }));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    static FullHttpResponse text(HttpResponseStatus status, String body) {
        return withType(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8)), "text/plain; charset=utf-8");
    }

    static FullHttpResponse html(HttpResponseStatus status, String body) {
        return withType(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(
                "<html><head><title>" + status.code() + "</title></head><body>" + body + "</body></html>", StandardCharsets.UTF_8)),
                "text/html; charset=utf-8");
    }

    private static FullHttpResponse withType(FullHttpResponse r, String type) {
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        return r;
    }

    static io.netty.channel.ChannelFuture send(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
        HttpUtil.setContentLength(r, r.content().readableBytes());
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            return ctx.writeAndFlush(r);
        }
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    static ByteBuf utf8(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }
}
