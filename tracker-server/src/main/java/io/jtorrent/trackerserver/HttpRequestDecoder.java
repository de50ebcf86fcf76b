package io.jtorrent.trackerserver;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The HTTP/1.x requests a tracker is sent, read straight from the connection's bytes: a request
 * line and headers, never a body. A tracker's requests are all {@code GET}s of a URL, so only what
 * an answer depends on is kept: the method, the request target and whether the connection stays
 * open. One small object and the target's string per request (Netty's general codec built a header
 * map, a composite buffer and a dozen other objects for each: two thirds of the tracker's garbage).
 *
 * <p>Limits: request line {@value #MAX_REQUEST_LINE} bytes, header section {@value #MAX_HEADERS}
 * bytes and {@value #MAX_HEADER_LINES} lines. A request that breaks one, has a body
 * ({@code Content-Length} other than 0, or {@code Transfer-Encoding}), a method other than
 * {@code GET} or {@code HEAD}, a version other than HTTP/1.0 or 1.1, or bytes that are not HTTP
 * becomes a {@link Request#bad bad request} with its status, after which the connection's further
 * bytes are dropped (the handler answers and closes it). Requests sent back to back (pipelined)
 * are decoded in order.
 */
final class HttpRequestDecoder extends ByteToMessageDecoder {
    static final int MAX_REQUEST_LINE = 8192;
    static final int MAX_HEADERS = 8192;
    static final int MAX_HEADER_LINES = 100;

    /**
     * One request: {@code status} 0 for a good one; otherwise the HTTP status to answer with and
     * {@code error} the reason, and the connection is to be closed.
     */
    record Request(boolean head, String target, boolean keepAlive, int status, String error) {
        static Request bad(int status, String error) {
            return new Request(false, "", false, status, error);
        }

        boolean ok() {
            return status == 0;
        }
    }

    /** Bytes from the reader index already searched for the end of the head, so a slow sender costs O(n). */
    private int scanned;
    private boolean failed;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        Request r = next(in);
        if (r != null) {
            out.add(r);
            if (!r.ok()) {
                failed = true;
                in.skipBytes(in.readableBytes());
            }
        }
    }

    /** Decodes one request from {@code in} if its head is whole, consuming it; null if more bytes are needed. */
    Request next(ByteBuf in) {
        if (scanned == 0) {
            // empty lines before a request are tolerated (RFC 9112 section 2.2)
            while (in.isReadable() && (in.getByte(in.readerIndex()) == '\r' || in.getByte(in.readerIndex()) == '\n')) {
                in.skipBytes(1);
            }
        }
        int start = in.readerIndex();
        int limit = in.writerIndex();
        int end = -1;
        for (int i = in.indexOf(start + scanned, limit, (byte) '\n'); i >= 0; i = in.indexOf(i + 1, limit, (byte) '\n')) {
            if (emptyLineEndsAt(in, start, i)) {
                end = i + 1;
                break;
            }
        }
        if (end < 0) {
            scanned = limit - start;
            int lf = in.indexOf(start, limit, (byte) '\n');
            if ((lf < 0 ? limit : lf) - start > MAX_REQUEST_LINE + 1) {
                return Request.bad(414, "request line longer than " + MAX_REQUEST_LINE + " bytes");
            }
            if (limit - start > MAX_REQUEST_LINE + MAX_HEADERS + 4) {
                return Request.bad(431, "headers longer than " + MAX_HEADERS + " bytes");
            }
            return null;
        }
        scanned = 0;
        in.readerIndex(end);
        return parse(in, start, end);
    }

    /** Whether the line feed at {@code lf} ends an empty line (the head's end: the head starts with a non-empty line). */
    private static boolean emptyLineEndsAt(ByteBuf in, int start, int lf) {
        int k = lf - 1;
        if (k >= start && in.getByte(k) == '\r') {
            k--;
        }
        return k >= start && in.getByte(k) == '\n';
    }

    private static Request parse(ByteBuf in, int start, int end) {
        int k = start;
        int lf = in.indexOf(k, end, (byte) '\n');
        int lineEnd = lf > k && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        if (lineEnd - k > MAX_REQUEST_LINE) {
            return Request.bad(414, "request line longer than " + MAX_REQUEST_LINE + " bytes");
        }
        if (end - lf - 1 > MAX_HEADERS + 2) {
            return Request.bad(431, "headers longer than " + MAX_HEADERS + " bytes");
        }
        int sp1 = in.indexOf(k, lineEnd, (byte) ' ');
        int sp2 = sp1 < 0 ? -1 : in.indexOf(sp1 + 1, lineEnd, (byte) ' ');
        if (sp1 <= k || sp2 <= sp1 + 1 || in.indexOf(sp2 + 1, lineEnd, (byte) ' ') >= 0) {
            return Request.bad(400, "malformed request line");
        }
        boolean head;
        if (equalsAscii(in, k, sp1, "GET")) {
            head = false;
        } else if (equalsAscii(in, k, sp1, "HEAD")) {
            head = true;
        } else {
            return Request.bad(405, "only GET is served");
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            byte b = in.getByte(i);
            if (b <= 0x20 || b >= 0x7f) {
                return Request.bad(400, "a request target holds only visible ASCII");
            }
        }
        boolean keepAlive;
        if (equalsAscii(in, sp2 + 1, lineEnd, "HTTP/1.1")) {
            keepAlive = true;
        } else if (equalsAscii(in, sp2 + 1, lineEnd, "HTTP/1.0")) {
            keepAlive = false;
        } else {
            return Request.bad(505, "only HTTP/1.0 and 1.1 are spoken");
        }
        int lines = 0;
        for (int at = lf + 1; at < end; ) {
            int next = in.indexOf(at, end, (byte) '\n');
            int e = next > at && in.getByte(next - 1) == '\r' ? next - 1 : next;
            if (e == at) {
                break; // the empty line that ends the head
            }
            if (++lines > MAX_HEADER_LINES) {
                return Request.bad(431, "more than " + MAX_HEADER_LINES + " header lines");
            }
            int colon = in.indexOf(at, e, (byte) ':');
            byte first = in.getByte(at);
            if (colon <= at || first == ' ' || first == '\t') {
                return Request.bad(400, "malformed header line");
            }
            for (int i = at; i < colon; i++) {
                byte b = in.getByte(i);
                if (b <= 0x20 || b >= 0x7f) {
                    return Request.bad(400, "malformed header name");
                }
            }
            int v = skipSpaces(in, colon + 1, e);
            int ve = trimSpaces(in, v, e);
            if (equalsAscii(in, at, colon, "Connection")) {
                if (containsToken(in, v, ve, "close")) {
                    keepAlive = false;
                } else if (containsToken(in, v, ve, "keep-alive")) {
                    keepAlive = true;
                }
            } else if (equalsAscii(in, at, colon, "Content-Length")) {
                for (int i = v; i < ve; i++) {
                    if (in.getByte(i) != '0') {
                        return Request.bad(413, "a request to a tracker has no body");
                    }
                }
            } else if (equalsAscii(in, at, colon, "Transfer-Encoding")) {
                return Request.bad(413, "a request to a tracker has no body");
            }
            at = next + 1;
        }
        return new Request(head, in.toString(sp1 + 1, sp2 - sp1 - 1, StandardCharsets.US_ASCII), keepAlive, 0, null);
    }

    /** Whether bytes [from, to) are {@code s}, ASCII letters compared without case. */
    private static boolean equalsAscii(ByteBuf in, int from, int to, String s) {
        if (to - from != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (lower(in.getByte(from + i)) != lower((byte) s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the comma-separated list in bytes [from, to) holds {@code token}, without case. */
    private static boolean containsToken(ByteBuf in, int from, int to, String token) {
        int at = from;
        while (at < to) {
            int comma = in.indexOf(at, to, (byte) ',');
            int e = comma < 0 ? to : comma;
            int a = skipSpaces(in, at, e);
            if (equalsAscii(in, a, trimSpaces(in, a, e), token)) {
                return true;
            }
            at = e + 1;
        }
        return false;
    }

    /** The first index in [from, to) past spaces and tabs (HTTP's optional white space), or {@code to}. */
    private static int skipSpaces(ByteBuf in, int from, int to) {
        while (from < to && (in.getByte(from) == ' ' || in.getByte(from) == '\t')) {
            from++;
        }
        return from;
    }

    /** The end of [from, to) with trailing spaces and tabs left off. */
    private static int trimSpaces(ByteBuf in, int from, int to) {
        while (to > from && (in.getByte(to - 1) == ' ' || in.getByte(to - 1) == '\t')) {
            to--;
        }
        return to;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }
}
