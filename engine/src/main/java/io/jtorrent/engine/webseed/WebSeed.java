package io.jtorrent.engine.webseed;

import io.jtorrent.net.Transport;
import io.jtorrent.engine.SessionEvent;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.engine.pieces.BlockSource;
import io.jtorrent.engine.time.Loop;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.metainfo.FileEntry;
import io.jtorrent.metainfo.Info;
import io.jtorrent.wire.PeerMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A web seed (BEP 19, {@code url-list}): an HTTP server holding the torrent's files, from which
 * pieces are fetched with range requests alongside peers. Each of its connections takes blocks
 * from the picker like a peer that has every piece, maps their byte range onto the files (one
 * request per file the range crosses; pad files are zeros, never asked for), and hands the
 * blocks to the torrent, which verifies the piece as it would a peer's.
 *
 * <p>Failures back off (2, 4, 8 ... 300 s) and are retried; the server is dropped for good when
 * it answers a range request with the whole file (200 instead of 206) or its data fails the hash
 * check. Runs on the torrent's loop.
 */
public final class WebSeed {
    private static final Logger LOG = LoggerFactory.getLogger(WebSeed.class);
    /** Bytes asked for in one go by one connection (a piece, or this much of a bigger one). */
    private static final int REQUEST_BYTES = 1 << 20;
    private static final long SECOND = 1_000_000_000L;

    /** A failed request; permanent ones drop the web seed. */
    static final class WebSeedException extends Exception {
        final boolean permanent;

        WebSeedException(String message, boolean permanent) {
            super(message);
            this.permanent = permanent;
        }
    }

    /** What a web seed asks of its torrent. */
    public interface Host {
        Loop owner();

        /** The Netty loop the HTTP connections run on (the owner's). */
        io.netty.channel.EventLoop eventLoop();

        long now();

        String name();

        InfoHash infoHash();

        Settings settings();

        void post(SessionEvent e);

        io.jtorrent.tracker.Resolver resolver();

        /** Whether blocks are wanted now (the torrent is downloading). */
        boolean downloading();

        List<PiecePicker.Block> pick(BlockSource source, BitSet from, int max);

        int blockLength(PiecePicker.Block b);

        void unrequest(BlockSource source, PiecePicker.Block b);

        void blockReceived(BlockSource from, PiecePicker.Block block, PeerMessage.Piece data, boolean requested);
    }

    private final Host torrent;
    final String url;
    private final Info info;
    private final List<Worker> workers = new ArrayList<>();
    private final BitSet all;
    private int failures;
    private int strikes;
    private long retryAt;
    private boolean dropped;
    private long downloaded;

    /** One connection's worth of work: the picker sees each worker as a peer. */
    final class Worker implements BlockSource {
        private List<PiecePicker.Block> blocks = List.of();
        private Channel channel;

        boolean busy() {
            return !blocks.isEmpty();
        }

        @Override
        public void deliveredElsewhere(PiecePicker.Block block) {
            // not cancelled: the block's range is one request shared with other blocks
        }

        @Override
        public void contributedToBadPiece(int piece, boolean sole) {
            sentBadData(piece, sole);
        }

        @Override
        public void sentCorruptBlock(int piece) {
            drop("sent corrupt data in piece " + piece);
        }

        @Override
        public java.net.InetSocketAddress peerAddress() {
            return null;
        }

        @Override
        public String toString() {
            return "web seed " + url;
        }
    }

    public WebSeed(Host torrent, Info info, String url, int connections) {
        this.torrent = torrent;
        this.url = url;
        this.info = info;
        this.all = new BitSet(info.pieceCount());
        all.set(0, info.pieceCount());
        for (int i = 0; i < connections; i++) {
            workers.add(new Worker());
        }
    }

    /** A request to it is in flight. */
    public boolean busy() {
        for (Worker w : workers) {
            if (w.busy()) {
                return true;
            }
        }
        return false;
    }

    public boolean dropped() {
        return dropped;
    }

    public long downloaded() {
        return downloaded;
    }

    /** Starts idle connections on work, unless backing off. */
    public void tick(long now) {
        if (dropped || now < retryAt || !torrent.downloading()) {
            return;
        }
        for (Worker w : workers) {
            if (!w.busy()) {
                start(w);
            }
        }
    }

    private void start(Worker w) {
        int maxBlocks = (int) Math.max(1, Math.min(info.pieceLength(), REQUEST_BYTES) / PiecePicker.BLOCK);
        List<PiecePicker.Block> picked = torrent.pick(w, all, maxBlocks);
        if (picked.isEmpty()) {
            return;
        }
        // one request covers one contiguous run; the rest goes back to the picker
        List<PiecePicker.Block> run = new ArrayList<>();
        List<PiecePicker.Block> sorted = new ArrayList<>(picked);
        sorted.sort((a, b) -> Long.compare(offset(a), offset(b)));
        for (PiecePicker.Block b : sorted) {
            if (run.isEmpty() || offset(b) == offset(run.get(run.size() - 1)) + torrent.blockLength(run.get(run.size() - 1))) {
                run.add(b);
            } else {
                torrent.unrequest(w, b);
            }
        }
        w.blocks = run;
        long start = offset(run.get(0));
        PiecePicker.Block last = run.get(run.size() - 1);
        long end = offset(last) + torrent.blockLength(last);
        fetchRange(w, start, end).whenComplete((data, error) -> torrent.owner().execute(() -> finished(w, run, start, data, error)));
    }

    private long offset(PiecePicker.Block b) {
        return (long) b.piece() * info.pieceLength() + b.begin();
    }

    private void finished(Worker w, List<PiecePicker.Block> run, long start, ByteBuf data, Throwable error) {
        w.blocks = List.of();
        w.channel = null;
        if (error != null || dropped || !torrent.downloading()) {
            if (data != null) {
                data.release();
            }
            for (PiecePicker.Block b : run) {
                torrent.unrequest(w, b);
            }
            // not downloading any more (stopped, paused, done): the error is our own closing of the
            // connection, not the server's; told, it read as a failing web seed after every stop
            if (error != null && !dropped && torrent.downloading()) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                failed(cause.getMessage(), cause instanceof WebSeedException e && e.permanent);
            }
            return;
        }
        failures = 0;
        for (PiecePicker.Block b : run) {
            int off = (int) (offset(b) - start);
            int len = torrent.blockLength(b);
            downloaded += len;
            torrent.blockReceived(w, b, new PeerMessage.Piece(b.piece(), b.begin(), data.retainedSlice(off, len)), true);
        }
        data.release();
        tick(torrent.now());
    }

    private void failed(String message, boolean permanent) {
        failures++;
        if (permanent) {
            drop(message);
            return;
        }
        long backoff = Math.min(300, 1L << Math.min(failures, 9));
        retryAt = torrent.now() + backoff * SECOND;
        LOG.info("{}: web seed {}: {} (retrying in {} s)", torrent.name(), url, message, backoff);
        torrent.post(new SessionEvent.WebSeedError(torrent.infoHash(), url, message, false));
    }

    /** A piece this server contributed to failed its hash check. */
    void sentBadData(int piece, boolean soleSource) {
        strikes++;
        if (soleSource || strikes >= torrent.settings().banStrikes) {
            drop("sent data that failed the hash check (piece " + piece + ")");
        }
    }

    public void drop(String reason) {
        if (dropped) {
            return;
        }
        dropped = true;
        LOG.warn("{}: web seed {} dropped: {}", torrent.name(), url, reason);
        torrent.post(new SessionEvent.WebSeedError(torrent.infoHash(), url, reason, true));
        stop();
    }

    /** Closes the connections; their blocks go back to the picker when the requests fail. */
    public void stop() {
        for (Worker w : workers) {
            if (w.channel != null) {
                w.channel.close();
            }
        }
    }

    // ---- HTTP ----

    /** The URL of a file of the torrent (BEP 19: a directory URL for multi-file torrents). */
    String fileUrl(FileEntry f) {
        if (info.isSingleFile()) {
            return url.endsWith("/") ? url + encode(info.name()) : url;
        }
        StringBuilder s = new StringBuilder(url.endsWith("/") ? url : url + "/");
        List<String> path = f.path();
        for (int i = 0; i < path.size(); i++) {
            if (i > 0) {
                s.append('/');
            }
            s.append(encode(path.get(i)));
        }
        return s.toString();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The torrent bytes [start, end), fetched file by file. */
    private CompletableFuture<ByteBuf> fetchRange(Worker w, long start, long end) {
        ByteBuf out = Unpooled.buffer((int) (end - start));
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (FileEntry f : info.files()) {
            if (f.length() == 0 || f.end() <= start || f.offset() >= end) {
                continue;
            }
            long from = Math.max(start, f.offset()) - f.offset();
            long to = Math.min(end, f.end()) - f.offset();
            if (f.pad()) {
                chain = chain.thenRun(() -> out.writeZero((int) (to - from)));
                continue;
            }
            chain = chain.thenCompose(v -> get(w, fileUrl(f), from, to, f.length()).thenAccept(part -> {
                out.writeBytes(part);
                part.release();
            }));
        }
        return chain.handle((v, e) -> {
            if (e != null) {
                out.release();
                throw e instanceof java.util.concurrent.CompletionException ce ? ce : new java.util.concurrent.CompletionException(e);
            }
            return out;
        });
    }

    /** One range request: bytes [from, to) of a file of {@code fileLength} bytes. */
    private CompletableFuture<ByteBuf> get(Worker w, String fileUrl, long from, long to, long fileLength) {
        CompletableFuture<ByteBuf> result = new CompletableFuture<>();
        URI uri;
        try {
            uri = URI.create(fileUrl);
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(new WebSeedException("bad URL " + fileUrl, true));
            return result;
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (!https && !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            result.completeExceptionally(new WebSeedException("not an HTTP(S) URL: " + fileUrl, true));
            return result;
        }
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        boolean wholeFile = from == 0 && to == fileLength;
        RangeResponse handler = new RangeResponse(from, to, wholeFile, result);
        Bootstrap b = new Bootstrap().group(torrent.eventLoop()).channelFactory(Transport.socket(torrent.eventLoop()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) torrent.settings().connectTimeout.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) throws Exception {
                        if (https) {
                            ch.pipeline().addLast(io.jtorrent.tracker.VerifiedTls.handler(
                                    io.jtorrent.tracker.VerifiedTls.defaultContext(), ch.alloc(), uri.getHost(), port));
                        }
                        ch.pipeline().addLast(new ReadTimeoutHandler(30, TimeUnit.SECONDS))
                                .addLast(new HttpClientCodec(4096, 16384, 16384))
                                .addLast(handler);
                    }
                });
        if (torrent.settings().bindAddress != null) {
            b.localAddress(torrent.settings().bindAddress, 0);
        }
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        // the name is looked up off the loop (the system resolver blocks); the connect is by address
        torrent.resolver().resolve(uri.getHost(), port).whenComplete((address, unresolved) -> {
            if (unresolved != null) {
                result.completeExceptionally(new WebSeedException("cannot connect: " + unresolved.getMessage(), false));
                return;
            }
            connect(b, address, w, path, uri, port, from, to, result);
        });
        return result.whenComplete((buf, e) -> {
            Channel ch = w.channel;
            if (ch != null) {
                ch.close();
            }
        });
    }

    private void connect(Bootstrap b, java.net.InetSocketAddress address, Worker w, String path, URI uri, int port, long from,
                         long to, CompletableFuture<ByteBuf> result) {
        b.connect(address).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new WebSeedException("cannot connect: " + f.cause().getMessage(), false));
                return;
            }
            w.channel = f.channel();
            DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
            req.headers().set(HttpHeaderNames.HOST, uri.getPort() > 0 ? uri.getHost() + ":" + port : uri.getHost())
                    .set(HttpHeaderNames.RANGE, "bytes=" + from + "-" + (to - 1))
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                    .set(HttpHeaderNames.USER_AGENT, torrent.settings().userAgent);
            f.channel().writeAndFlush(req);
        });
    }

    /**
     * Reads one response: 206 with the Content-Range asked for (or 200 when the whole file was
     * asked for), a body of exactly the range's length, never more than that held in memory.
     */
    static final class RangeResponse extends SimpleChannelInboundHandler<HttpObject> {
        private final long from;
        private final long to;
        private final boolean wholeFile;
        private final CompletableFuture<ByteBuf> result;
        private ByteBuf body;

        RangeResponse(long from, long to, boolean wholeFile, CompletableFuture<ByteBuf> result) {
            this.from = from;
            this.to = to;
            this.wholeFile = wholeFile;
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (result.isDone()) {
                return;
            }
            if (msg instanceof HttpResponse r) {
                int code = r.status().code();
                if (code == HttpResponseStatus.OK.code() && !wholeFile) {
                    fail(ctx, "the server ignores range requests (200 instead of 206)", true);
                    return;
                }
                if (code != HttpResponseStatus.PARTIAL_CONTENT.code() && code != HttpResponseStatus.OK.code()) {
                    fail(ctx, "HTTP " + r.status(), false);
                    return;
                }
                if (code == HttpResponseStatus.PARTIAL_CONTENT.code()) {
                    String range = r.headers().get(HttpHeaderNames.CONTENT_RANGE, "");
                    if (!range.startsWith("bytes " + from + "-" + (to - 1) + "/")) {
                        fail(ctx, "Content-Range \"" + range + "\" for a request of bytes " + from + "-" + (to - 1), true);
                        return;
                    }
                }
                body = ctx.alloc().heapBuffer((int) (to - from));
            }
            if (msg instanceof HttpContent c && body != null) {
                if (body.readableBytes() + c.content().readableBytes() > to - from) {
                    fail(ctx, "a body longer than the " + (to - from) + " bytes asked for", true);
                    return;
                }
                body.writeBytes(c.content());
                if (msg instanceof LastHttpContent) {
                    if (body.readableBytes() != to - from) {
                        fail(ctx, "a short body: " + body.readableBytes() + " of " + (to - from) + " bytes", false);
                        return;
                    }
                    ByteBuf done = body;
                    body = null;
                    result.complete(done);
                    ctx.close();
                }
            }
        }

        private void fail(ChannelHandlerContext ctx, String message, boolean permanent) {
            if (body != null) {
                body.release();
                body = null;
            }
            result.completeExceptionally(new WebSeedException(message, permanent));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!result.isDone()) {
                fail(ctx, "connection closed after " + (body == null ? 0 : body.readableBytes()) + " of " + (to - from) + " bytes", false);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, cause.getClass().getSimpleName() + ": " + cause.getMessage(), false);
        }
    }
}
