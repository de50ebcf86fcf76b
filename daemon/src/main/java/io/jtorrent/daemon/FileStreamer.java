package io.jtorrent.daemon;

import io.jtorrent.metainfo.FileEntry;
import io.jtorrent.metainfo.Metainfo;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /files/HASH/PATH}: a torrent's file over HTTP with Range support (one range per
 * request, as browsers and media players ask), served while it downloads. Each chunk is read
 * through the engine, which fetches the pieces under it first and answers once they are verified;
 * nothing unverified is ever sent. A chunk not available within the timeout ends the response.
 */
final class FileStreamer {
    /** Bytes read from the engine at a time. */
    static final int CHUNK = 256 * 1024;
    static final long CHUNK_TIMEOUT_SECONDS = 120;

    private final Daemon daemon;

    FileStreamer(Daemon daemon) {
        this.daemon = daemon;
    }

    void serve(ChannelHandlerContext ctx, FullHttpRequest req, String rest, boolean keepAlive) {
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            HttpFrontend.send(ctx, HttpFrontend.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET or HEAD\n"), keepAlive);
            return;
        }
        int slash = rest.indexOf('/');
        String hash = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : URLDecoder.decode(rest.substring(slash + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
        String range = req.headers().get(HttpHeaderNames.RANGE);
        boolean head = req.method() == HttpMethod.HEAD;
        daemon.onDaemonThread(() -> java.util.concurrent.CompletableFuture.completedFuture(
                hash.matches("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}") ? daemon.byHash(hash) : null)).whenComplete((t, e) -> ctx.executor().execute(() -> {
            Metainfo m = t == null ? null : t.handle.metainfo();
            if (m == null) {
                HttpFrontend.send(ctx, HttpFrontend.text(HttpResponseStatus.NOT_FOUND, "no such torrent (or its metadata is not here yet)\n"), keepAlive);
                return;
            }
            FileEntry file = null;
            for (FileEntry f : m.info().files()) {
                if (!f.pad() && f.pathString().equals(path)) {
                    file = f;
                }
            }
            if (file == null) {
                HttpFrontend.send(ctx, HttpFrontend.text(HttpResponseStatus.NOT_FOUND, "no file " + path + " in " + m.info().name() + "\n"), keepAlive);
                return;
            }
            long from = 0;
            long to = file.length(); // exclusive
            boolean partial = false;
            if (range != null) {
                long[] r = parseRange(range, file.length());
                if (r == null) {
                    var resp = HttpFrontend.text(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "bad range " + range + "\n");
                    resp.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + file.length());
                    HttpFrontend.send(ctx, resp, keepAlive);
                    return;
                }
                from = r[0];
                to = r[1];
                partial = true;
            }
            HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, partial ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.OK);
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType(path))
                    .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
            if (partial) {
                resp.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + from + "-" + (to - 1) + "/" + file.length());
            }
            HttpUtil.setContentLength(resp, to - from);
            if (keepAlive) {
                resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(resp);
            if (head || to == from) {
                finish(ctx, keepAlive);
                return;
            }
            sendChunk(ctx, t, file.offset() + from, file.offset() + to, keepAlive);
        }));
    }

    /** Sends torrent bytes [at, end) chunk by chunk, each once the engine has verified it. */
    private void sendChunk(ChannelHandlerContext ctx, ManagedTorrent t, long at, long end, boolean keepAlive) {
        int length = (int) Math.min(CHUNK, end - at);
        t.handle.read(at, length).orTimeout(CHUNK_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .whenComplete((bytes, e) -> ctx.executor().execute(() -> {
                    if (e != null || !ctx.channel().isActive()) {
                        ctx.close(); // the client sees a short body: it can retry the range
                        return;
                    }
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes))).addListener(f -> {
                        if (!f.isSuccess()) {
                            ctx.close();
                        } else if (at + length >= end) {
                            finish(ctx, keepAlive);
                        } else {
                            sendChunk(ctx, t, at + length, end, keepAlive);
                        }
                    });
                }));
    }

    private static void finish(ChannelHandlerContext ctx, boolean keepAlive) {
        var f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} as [from, to) within {@code length}; null if unsatisfiable. */
    static long[] parseRange(String header, long length) {
        if (!header.startsWith("bytes=") || header.contains(",")) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            long from;
            long to;
            if (a.isEmpty()) {
                long n = Long.parseLong(b);
                from = Math.max(0, length - n);
                to = length;
            } else {
                from = Long.parseLong(a);
                to = b.isEmpty() ? length : Math.min(length, Long.parseLong(b) + 1);
            }
            return from < 0 || from >= length || to <= from ? null : new long[] {from, to};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String contentType(String path) {
        String p = path.toLowerCase(java.util.Locale.ROOT);
        if (p.endsWith(".mp4") || p.endsWith(".m4v")) {
            return "video/mp4";
        }
        if (p.endsWith(".webm")) {
            return "video/webm";
        }
        if (p.endsWith(".mkv")) {
            return "video/x-matroska";
        }
        if (p.endsWith(".mp3")) {
            return "audio/mpeg";
        }
        if (p.endsWith(".txt")) {
            return "text/plain; charset=utf-8";
        }
        return "application/octet-stream";
    }
}
