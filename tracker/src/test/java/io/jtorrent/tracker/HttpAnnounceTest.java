package io.jtorrent.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.jtorrent.bencode.BBytes;
import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BList;
import io.jtorrent.metainfo.InfoHash;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HttpAnnounceTest {
    private static final AnnounceRequest REQUEST = new AnnounceRequest(InfoHash.v1(new byte[] {
            0, 1, 2, (byte) 0xff, 'a', ' ', 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}),
            "-JT0010-123456789012".getBytes(), 6881, 10, 20, 30, AnnounceRequest.Event.STARTED, 50, 0xabc, null);

    @Test
    void queryStringEncodesBinaryHashes() {
        String url = HttpAnnounce.url("http://127.0.0.1:1/announce?passkey=x", REQUEST);
        assertThat(url).startsWith("http://127.0.0.1:1/announce?passkey=x&info_hash=%00%01%02%FFa%20%06")
                .contains("&peer_id=-JT0010-123456789012", "&port=6881", "&uploaded=10", "&downloaded=20",
                        "&left=30", "&compact=1", "&event=started", "&numwant=50", "&key=abc");
    }

    @Test
    void parsesCompactDictionaryAndIpv6Peers() throws Exception {
        byte[] compact = {127, 0, 0, 1, 0x1a, (byte) 0xe1, 10, 0, 0, 2, 0, 80};
        byte[] v6 = new byte[18];
        v6[15] = 1;
        v6[16] = 0x1a;
        v6[17] = (byte) 0xe2;
        var r = HttpAnnounce.parseResponse(BDictionary.builder().put("interval", 900).put("min interval", 60)
                .put("complete", 3).put("incomplete", 4).put("tracker id", "tid").put("peers", compact)
                .put("peers6", v6).put("warning message", "careful").build().encode());
        assertThat(r.interval()).isEqualTo(900);
        assertThat(r.minInterval()).isEqualTo(60);
        assertThat(r.trackerId()).contains("tid");
        assertThat(r.warning()).contains("careful");
        assertThat(r.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 6881),
                new InetSocketAddress("10.0.0.2", 80), new InetSocketAddress("::1", 6882));

        var dict = HttpAnnounce.parseResponse(BDictionary.builder().put("interval", 60).put("peers", BList.of(
                BDictionary.builder().put("ip", "127.0.0.2").put("port", 1).put("peer id", "x").build(),
                BDictionary.builder().put("ip", "evil.example.com").put("port", 1).build())).build().encode());
        assertThat(dict.peers()).containsExactly(new InetSocketAddress("127.0.0.2", 1));
    }

    @Test
    void failureReasonsAndGarbageAreTrackerExceptions() {
        assertThatThrownBy(() -> HttpAnnounce.parseResponse(BDictionary.builder().put("failure reason", "unregistered torrent").build().encode()))
                .isInstanceOf(TrackerException.class).hasMessage("unregistered torrent")
                .matches(e -> ((TrackerException) e).isFailureReason());
        assertThatThrownBy(() -> HttpAnnounce.parseResponse("<html>".getBytes()))
                .isInstanceOf(TrackerException.class).hasMessageContaining("malformed tracker response");
    }

    @Test
    void announcesOverHttp() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicReference<String> query = new AtomicReference<>();
        server.createContext("/announce", ex -> {
            query.set(ex.getRequestURI().getRawQuery());
            byte[] body = BDictionary.builder().put("interval", 120)
                    .put("peers", new byte[] {127, 0, 0, 1, 0x1a, (byte) 0xe1}).build().encode();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/fail", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        try {
            HttpTrackerClient client = new HttpTrackerClient(group, Duration.ofSeconds(5), "jtorrent-test");
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            AnnounceResponse r = client.announce(base + "/announce", REQUEST).get(10, TimeUnit.SECONDS);
            assertThat(r.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 6881));
            assertThat(query.get()).contains("info_hash=%00%01%02%FFa%20").contains("event=started");
            assertThatThrownBy(() -> client.announce(base + "/fail", REQUEST).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TrackerException.class)
                    .hasMessageContaining("404");
            assertThatThrownBy(() -> client.announce("http://127.0.0.1:1/announce", REQUEST).get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TrackerException.class).hasMessageContaining("cannot reach");
            assertThatThrownBy(() -> client.announce("udp://127.0.0.1:1", REQUEST).get(10, TimeUnit.SECONDS))
                    .hasMessageContaining("not an HTTP tracker");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            server.stop(0);
        }
    }
}
