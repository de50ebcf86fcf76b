package io.jtorrent.trackerserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tracker's HTTP request reader: what it accepts, in what pieces, and what it refuses with which status. */
class HttpRequestDecoderTest {

    /** Feeds {@code chunks} one write each and returns every request decoded. */
    static List<HttpRequestDecoder.Request> decode(byte[]... chunks) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRequestDecoder());
        List<HttpRequestDecoder.Request> out = new ArrayList<>();
        for (byte[] c : chunks) {
            ch.writeInbound(Unpooled.wrappedBuffer(c));
            for (Object o; (o = ch.readInbound()) != null; ) {
                out.add((HttpRequestDecoder.Request) o);
            }
        }
        ch.finishAndReleaseAll();
        return out;
    }

    static List<HttpRequestDecoder.Request> decode(String... chunks) {
        byte[][] b = new byte[chunks.length][];
        for (int i = 0; i < chunks.length; i++) {
            b[i] = chunks[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return decode(b);
    }

    private static HttpRequestDecoder.Request one(String... chunks) {
        List<HttpRequestDecoder.Request> r = decode(chunks);
        assertThat(r).hasSize(1);
        return r.get(0);
    }

    @Test
    void aGetGivesItsTargetAndHttp11StaysOpenUnlessClosed() {
        HttpRequestDecoder.Request r = one("GET /announce?info_hash=%01&port=1 HTTP/1.1\r\nHost: t\r\nUser-Agent: x\r\n\r\n");
        assertThat(r.ok()).isTrue();
        assertThat(r.head()).isFalse();
        assertThat(r.target()).isEqualTo("/announce?info_hash=%01&port=1");
        assertThat(r.keepAlive()).isTrue();
        assertThat(one("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").keepAlive()).isFalse();
        assertThat(one("GET / HTTP/1.1\r\nconnection: upgrade, close\r\n\r\n").keepAlive()).isFalse();
        assertThat(one("GET / HTTP/1.0\r\n\r\n").keepAlive()).isFalse();
        assertThat(one("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive()).isTrue();
        assertThat(one("HEAD /stats HTTP/1.1\r\n\r\n").head()).isTrue();
        assertThat(one("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").ok()).isTrue();
    }

    @Test
    void bareLineFeedsLeadingEmptyLinesAndOneByteAtATimeAreRead() {
        assertThat(one("GET /a HTTP/1.1\nHost: t\n\n").target()).isEqualTo("/a");
        assertThat(one("\r\n\r\nGET /b HTTP/1.1\r\n\r\n").target()).isEqualTo("/b");
        String req = "GET /announce?x=1 HTTP/1.1\r\nHost: t\r\n\r\n";
        String[] bytes = req.split("");
        assertThat(one(bytes).target()).isEqualTo("/announce?x=1");
        // the head's end split between two writes, right after "\r\n\r"
        assertThat(one(req.substring(0, req.length() - 1), "\n").target()).isEqualTo("/announce?x=1");
    }

    @Test
    void pipelinedRequestsComeOutInOrder() {
        List<HttpRequestDecoder.Request> r = decode("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HT", "TP/1.1\r\n\r\n");
        assertThat(r).extracting(HttpRequestDecoder.Request::target).containsExactly("/1", "/2", "/3");
    }

    @Test
    void eachLimitAndMalformationHasItsStatusAndNothingAfterIsRead() {
        assertThat(one("GET /" + "a".repeat(HttpRequestDecoder.MAX_REQUEST_LINE) + " HTTP/1.1\r\n\r\n").status()).isEqualTo(414);
        // a long request line is refused before it ends: the sender cannot make the server hold more
        assertThat(one("GET /" + "a".repeat(HttpRequestDecoder.MAX_REQUEST_LINE + 10)).status()).isEqualTo(414);
        assertThat(one("GET / HTTP/1.1\r\nX: " + "b".repeat(HttpRequestDecoder.MAX_HEADERS) + "\r\n\r\n").status()).isEqualTo(431);
        assertThat(one("GET / HTTP/1.1\r\nX: " + "b".repeat(2 * HttpRequestDecoder.MAX_HEADERS)).status()).isEqualTo(431);
        assertThat(one("GET / HTTP/1.1\r\n" + "X: y\r\n".repeat(HttpRequestDecoder.MAX_HEADER_LINES + 1) + "\r\n").status()).isEqualTo(431);
        assertThat(one("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello").status()).isEqualTo(413);
        assertThat(one("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").status()).isEqualTo(413);
        assertThat(one("POST /announce HTTP/1.1\r\n\r\n").status()).isEqualTo(405);
        assertThat(one("GET / HTTP/2.0\r\n\r\n").status()).isEqualTo(505);
        assertThat(one("GET /a b HTTP/1.1\r\n\r\n").status()).isEqualTo(400);
        assertThat(one("GET\r\n\r\n").status()).isEqualTo(400);
        assertThat(one("GET /\u00e9 HTTP/1.1\r\n\r\n").status()).isEqualTo(400);
        assertThat(one("GET / HTTP/1.1\r\nno colon here\r\n\r\n").status()).isEqualTo(400);
        assertThat(one("GET / HTTP/1.1\r\nX: y\r\n folded\r\n\r\n").status()).isEqualTo(400);
        assertThat(one("GET / HTTP/1.1\r\nBad Name: y\r\n\r\n").status()).isEqualTo(400);
        HttpRequestDecoder.Request bad = one("\u0016\u0003\u0001\u0002\u0000\u0001\r\n\r\nGET / HTTP/1.1\r\n\r\n", "GET /x HTTP/1.1\r\n\r\n");
        assertThat(bad.ok()).isFalse();
        assertThat(bad.keepAlive()).as("a bad request closes the connection").isFalse();
        assertThat(bad.error()).isNotBlank();
    }
}
