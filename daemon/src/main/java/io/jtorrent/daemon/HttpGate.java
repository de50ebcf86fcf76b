package io.jtorrent.daemon;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Everything the daemon's HTTP side decides from a request's head, before its body is read: the
 * client address allow-list (403), the {@code Host} check against DNS rebinding (421), login
 * throttling (429), authentication (401), the RPC's session id (409) and the body's size (413).
 * A refused request's body is never buffered: a small declared body is read and dropped so the
 * connection can be kept, anything larger or undeclared closes the connection after the answer.
 *
 * <p>Timeouts: the head of a request must arrive within {@code timeout} of the connection opening
 * or the previous answer; once a request is admitted its body may take longer as long as a chunk
 * arrives every {@code timeout}. While an answer is pending (a streamed file, say) nothing times out.
 *
 * <p>Every answer gets {@code X-Content-Type-Options: nosniff} and {@code X-Frame-Options: DENY};
 * the web UI a strict Content-Security-Policy, everything else a sandboxing one ({@code /files/}
 * shares the RPC's origin, so a served HTML file must not run script there).
 */
final class HttpGate extends ChannelDuplexHandler {
    /** Largest body of anything but the RPC. */
    static final int MAX_BODY = 1 << 20;
    /** Largest RPC body: a base64 {@code torrent-add} metainfo of up to 48 MiB. */
    static final int MAX_RPC_BODY = 64 << 20;
    /** A refused request's declared body up to this size is read and dropped (the connection kept). */
    static final int DRAIN_LIMIT = 4096;
    static final String SANDBOX_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'";

    /** What the gate checks against; one per daemon, shared by its connections. */
    record Rules(HostCheck hosts, java.util.List<String> clientWhitelist, SettingsFile.Credentials credentials, String sessionId,
                 LoginThrottle throttle, long timeoutMillis, String uiPolicy) {}

    private final Rules rules;
    private ScheduledFuture<?> timer;
    /** A refused request's body is being dropped. */
    private boolean draining;
    private long drained;
    private boolean closeAfterAnswer;
    private long bodyBytes;
    private long bodyLimit;
    /** A request is complete and its answer not yet fully written. */
    private boolean answering;
    /** Requests came faster than their answers were read: closed, nothing more is taken. */
    private boolean overrun;
    private String path = "/";

    HttpGate(Rules rules) {
        this.rules = rules;
    }

    static boolean isRpc(String path) {
        return path.equals("/transmission/rpc") || path.equals("/transmission/rpc/");
    }

    static boolean isWebUi(String path) {
        return path.equals("/") || path.equals("/index.html") || path.startsWith("/transmission/web");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (overrun) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest && !ctx.channel().isWritable()) {
            // another request while the answers already sent wait unread beyond the socket's
            // buffers: a client that pipelines without reading. Answered, each would take memory
            // and this event loop's time from every other client (one such client held the others
            // for 6-10 s and grew the heap by answers); closed instead. (A client that reads its
            // answers never sends into an unwritable channel: what it has not read is in the kernel.)
            overrun = true;
            ReferenceCountUtil.release(msg);
            ctx.channel().config().setAutoRead(false);
            ctx.close();
            return;
        }
        if (msg instanceof HttpRequest req) {
            if (draining || closeAfterAnswer) {
                ReferenceCountUtil.release(msg);
                return;
            }
            bodyBytes = 0;
            path = new QueryStringDecoder(req.uri()).path();
            HttpResponse refusal = refusal(ctx, req);
            if (refusal != null) {
                long declared = HttpUtil.getContentLength(req, -1L);
                boolean emptyBody = msg instanceof LastHttpContent;
                if (emptyBody || (declared >= 0 && declared <= DRAIN_LIMIT && !HttpUtil.isTransferEncodingChunked(req))) {
                    draining = !emptyBody;
                    drained = 0;
                    HttpFrontend.send(ctx, (FullHttpResponse) refusal, HttpUtil.isKeepAlive(req));
                } else {
                    refuseAndClose(ctx, (FullHttpResponse) refusal);
                }
                ReferenceCountUtil.release(msg);
                return;
            }
            bodyLimit = isRpc(path) ? MAX_RPC_BODY : MAX_BODY;
            if (HttpUtil.getContentLength(req, -1L) > bodyLimit) {
                ReferenceCountUtil.release(msg);
                refuseAndClose(ctx, HttpFrontend.text(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        "request body larger than " + bodyLimit + " bytes\n"));
                return;
            }
            arm(ctx); // admitted: its body may take longer, a chunk per timeout
            if (msg instanceof LastHttpContent) {
                requestComplete();
            }
            ctx.fireChannelRead(msg);
        } else if (msg instanceof HttpContent c) {
            if (closeAfterAnswer) {
                c.release();
                return;
            }
            if (draining) {
                drained += c.content().readableBytes();
                boolean last = msg instanceof LastHttpContent;
                c.release();
                if (drained > DRAIN_LIMIT) {
                    ctx.close();
                } else if (last) {
                    draining = false;
                }
                return;
            }
            bodyBytes += c.content().readableBytes();
            if (bodyBytes > bodyLimit) {
                c.release();
                refuseAndClose(ctx, HttpFrontend.text(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        "request body larger than " + bodyLimit + " bytes\n"));
                return;
            }
            arm(ctx);
            if (msg instanceof LastHttpContent) {
                requestComplete();
            }
            ctx.fireChannelRead(msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void requestComplete() {
        answering = true;
        disarm();
    }

    /** The answer to a request the head already rules out, or null to let it through. */
    private HttpResponse refusal(ChannelHandlerContext ctx, HttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            closeAfterAnswer = true;
            return HttpFrontend.text(HttpResponseStatus.BAD_REQUEST, "bad request\n");
        }
        InetAddress from = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (rules.clientWhitelist() != null && !clientAllowed(from)) {
            return HttpFrontend.html(HttpResponseStatus.FORBIDDEN, "<h1>403: Forbidden</h1><p>Unauthorized IP Address.</p>");
        }
        if (!rules.hosts().allows(req.headers().get(HttpHeaderNames.HOST))) {
            // no session id, no page: a rebinding page learns nothing
            return HttpFrontend.html(HttpResponseStatus.MISDIRECTED_REQUEST, "<h1>421: Misdirected Request</h1><p>Unknown host name. "
                    + "Use the address, localhost, or add the name with --rpc-host-whitelist.</p>");
        }
        if (rules.credentials() != null) {
            long wait = rules.throttle().lockedFor(from);
            if (wait > 0) {
                FullHttpResponse r = HttpFrontend.text(HttpResponseStatus.TOO_MANY_REQUESTS, "too many failed logins; try again later\n");
                r.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString((wait + 999) / 1000));
                return r;
            }
            String given = req.headers().get(HttpHeaderNames.AUTHORIZATION);
            if (!rules.credentials().matches(given)) {
                if (given != null) {
                    rules.throttle().failed(from);
                }
                FullHttpResponse r = HttpFrontend.html(HttpResponseStatus.UNAUTHORIZED, "<h1>401: Unauthorized</h1>");
                r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"jtorrent\"");
                return r;
            }
            rules.throttle().succeeded(from);
        }
        if (isRpc(path) && !rules.sessionId().equals(req.headers().get(HttpFrontend.SESSION_HEADER))) {
            FullHttpResponse r = HttpFrontend.html(HttpResponseStatus.CONFLICT, "<h1>409: Conflict</h1><p>Your request had an invalid "
                    + "session-id header.</p><p><code>" + HttpFrontend.SESSION_HEADER + ": " + rules.sessionId() + "</code></p>");
            r.headers().set(HttpFrontend.SESSION_HEADER, rules.sessionId());
            return r;
        }
        return null;
    }

    private boolean clientAllowed(InetAddress from) {
        String a = io.netty.util.NetUtil.toAddressString(from);
        if (from instanceof java.net.Inet6Address && a.startsWith("::ffff:")) {
            a = a.substring("::ffff:".length());
        }
        for (String pattern : rules.clientWhitelist()) {
            if (Wildcards.matches(pattern, a)) {
                return true;
            }
        }
        return false;
    }

    private void refuseAndClose(ChannelHandlerContext ctx, FullHttpResponse r) {
        closeAfterAnswer = true;
        ctx.channel().config().setAutoRead(false); // not a byte more of its body
        HttpFrontend.send(ctx, r, false);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse r) {
            HttpHeaders h = r.headers();
            h.set("X-Content-Type-Options", "nosniff");
            h.set("X-Frame-Options", "DENY");
            h.set("Referrer-Policy", "no-referrer");
            h.set("Content-Security-Policy", isWebUi(path) && r.status().code() == 200 ? rules.uiPolicy() : SANDBOX_CSP);
        }
        if (msg instanceof LastHttpContent && !closeAfterAnswer) {
            answering = false;
            promise = promise.unvoid();
            promise.addListener(f -> {
                if (!answering && ctx.channel().isActive()) {
                    arm(ctx);
                }
            });
        }
        super.write(ctx, msg, promise);
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        timer = ctx.executor().schedule(() -> {
            if (!answering) {
                ctx.close();
            }
        }, rules.timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
