package io.jtorrent.tracker;

import io.jtorrent.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Announces to HTTP(S) trackers over Netty: one short-lived connection per announce, a bounded
 * response (1 MiB), a timeout. The future completes on the event loop that carried the request.
 */
public final class HttpTrackerClient {
    static final int MAX_RESPONSE_BYTES = 1 << 20;

    /** Redirects {@link #download} follows. */
    public static final int MAX_REDIRECTS = 5;

    private final EventLoopGroup group;
    private final Resolver resolver;
    private final Duration timeout;
    private final String userAgent;
    private SslContext ssl;

    public HttpTrackerClient(EventLoopGroup group, Duration timeout, String userAgent) {
        this(group, timeout, userAgent, null);
    }

    /** @param tls the TLS context for https URLs (host names are always verified); null for the JDK's roots */
    public HttpTrackerClient(EventLoopGroup group, Duration timeout, String userAgent, SslContext tls) {
        this(group, timeout, userAgent, tls, new Resolver());
    }

    /**
     * @param tls the TLS context for https URLs (host names are always verified); null for the JDK's roots
     * @param resolver where host names are looked up (never on an event loop)
     */
    public HttpTrackerClient(EventLoopGroup group, Duration timeout, String userAgent, SslContext tls, Resolver resolver) {
        this.group = group;
        this.resolver = resolver;
        this.timeout = timeout;
        this.userAgent = userAgent;
        this.ssl = tls;
    }

    /** Sends one announce; the future fails with a {@link TrackerException}. */
    public CompletableFuture<AnnounceResponse> announce(String announceUrl, AnnounceRequest request) {
        return get(announceUrl, HttpAnnounce.url(announceUrl, request), HttpAnnounce::parseResponse, MAX_RESPONSE_BYTES, 0);
    }

    /** Scrapes one torrent (BEP 48) at the scrape URL derived from {@code announceUrl}. */
    public CompletableFuture<ScrapeResult> scrape(String announceUrl, io.jtorrent.metainfo.InfoHash infoHash) {
        var scrapeUrl = HttpAnnounce.scrapeUrl(announceUrl);
        if (scrapeUrl.isEmpty()) {
            return CompletableFuture.failedFuture(new TrackerException(announceUrl + " does not support scrape", false));
        }
        String u = scrapeUrl.get();
        byte[] hash = infoHash.truncated20();
        return get(announceUrl, u + (u.indexOf('?') >= 0 ? '&' : '?') + "info_hash=" + HttpAnnounce.percentEncode(hash),
                body -> HttpAnnounce.parseScrape(body, hash), MAX_RESPONSE_BYTES, 0);
    }

    /**
     * Fetches an http(s) URL's body (a .torrent file, say) of at most {@code maxBytes}, following up
     * to {@link #MAX_REDIRECTS} redirects (to http(s) URLs only), with the same timeout.
     */
    public CompletableFuture<byte[]> download(String url, int maxBytes) {
        return get(url, url, body -> body, maxBytes, MAX_REDIRECTS);
    }

    /** A response body turned into a result. */
    @FunctionalInterface
    private interface Parser<T> {
        T parse(byte[] body) throws TrackerException;
    }

    private <T> CompletableFuture<T> get(String announceUrl, String fullUrl, Parser<T> parser, int maxBytes, int redirects) {
        CompletableFuture<T> result = new CompletableFuture<>();
        URI uri;
        try {
            uri = new URI(fullUrl);
        } catch (URISyntaxException e) {
            result.completeExceptionally(new TrackerException("bad tracker URL " + announceUrl + ": " + e.getMessage(), e));
            return result;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            result.completeExceptionally(new TrackerException("not an HTTP tracker: " + announceUrl, false));
            return result;
        }
        if (uri.getHost() == null) {
            result.completeExceptionally(new TrackerException("tracker URL has no host: " + announceUrl, false));
            return result;
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        SslContext sslContext;
        try {
            sslContext = tls ? ssl() : null;
        } catch (SSLException e) {
            result.completeExceptionally(new TrackerException("TLS unavailable: " + e.getMessage(), e));
            return result;
        }
        java.util.concurrent.atomic.AtomicBoolean redirected = new java.util.concurrent.atomic.AtomicBoolean();
        Bootstrap b = new Bootstrap().group(group).channelFactory(Transport.socket(group))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (sslContext != null) {
                            ch.pipeline().addLast(VerifiedTls.handler(sslContext, ch.alloc(), hostOf(uri), port));
                        }
                        ch.pipeline().addLast(new ReadTimeoutHandler(timeout.toMillis(), TimeUnit.MILLISECONDS))
                                .addLast(new HttpClientCodec())
                                .addLast(new HttpObjectAggregator(maxBytes))
                                .addLast(new ResponseHandler<>(result, announceUrl, parser, location -> {
                                    if (redirects <= 0) {
                                        return false;
                                    }
                                    String next;
                                    try {
                                        next = uri.resolve(location).toString();
                                    } catch (IllegalArgumentException e) {
                                        return false;
                                    }
                                    redirected.set(true);
                                    get(next, next, parser, maxBytes, redirects - 1).whenComplete((v, e) -> {
                                        if (e != null) {
                                            result.completeExceptionally(e);
                                        } else {
                                            result.complete(v);
                                        }
                                    });
                                    return true;
                                }));
                    }
                });
        resolver.resolve(hostOf(uri), port).whenComplete((address, unresolved) -> {
            if (unresolved != null) {
                result.completeExceptionally(new TrackerException("cannot reach " + announceUrl + ": " + unresolved.getMessage(), unresolved));
                return;
            }
            connect(b, address, uri, announceUrl, result, redirected);
        });
        return result;
    }

    private <T> void connect(Bootstrap b, java.net.InetSocketAddress address, URI uri, String announceUrl,
                             CompletableFuture<T> result, java.util.concurrent.atomic.AtomicBoolean redirected) {
        b.connect(address).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new TrackerException("cannot reach " + announceUrl + ": " + f.cause().getMessage(), f.cause()));
                return;
            }
            Channel ch = f.channel();
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                    path + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : ""));
            req.headers().set(HttpHeaderNames.HOST, uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""))
                    .set(HttpHeaderNames.USER_AGENT, userAgent)
                    .set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ch.writeAndFlush(req);
            ch.closeFuture().addListener(c -> {
                if (!redirected.get()) {
                    result.completeExceptionally(new TrackerException(announceUrl + ": connection closed without a response", false));
                }
            });
        });
    }

    private static String hostOf(URI uri) {
        String h = uri.getHost();
        return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }

    private synchronized SslContext ssl() throws SSLException {
        if (ssl == null) {
            ssl = VerifiedTls.defaultContext();
        }
        return ssl;
    }

    private static final class ResponseHandler<T> extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<T> result;
        private final String url;
        private final Parser<T> parser;
        /** Follows a redirect to a Location; false when no more are allowed. */
        private final java.util.function.Predicate<String> redirect;

        ResponseHandler(CompletableFuture<T> result, String url, Parser<T> parser, java.util.function.Predicate<String> redirect) {
            this.result = result;
            this.url = url;
            this.parser = parser;
            this.redirect = redirect;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            try {
                int code = response.status().code();
                String location = response.headers().get(HttpHeaderNames.LOCATION);
                if ((code == 301 || code == 302 || code == 303 || code == 307 || code == 308) && location != null) {
                    if (!redirect.test(location)) {
                        result.completeExceptionally(new TrackerException(url + ": too many redirects", false));
                    }
                } else if (code != 200) {
                    result.completeExceptionally(new TrackerException(url + ": HTTP " + response.status(), false));
                } else {
                    result.complete(parser.parse(ByteBufUtil.getBytes(response.content())));
                }
            } catch (TrackerException e) {
                result.completeExceptionally(e);
            } finally {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(new TrackerException(url + ": " + cause, cause));
            ctx.close();
        }
    }
}
