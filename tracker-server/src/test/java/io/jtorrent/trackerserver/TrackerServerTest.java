package io.jtorrent.trackerserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BencodeDecoder;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.tracker.AnnounceRequest;
import io.jtorrent.tracker.AnnounceResponse;
import io.jtorrent.tracker.HttpTrackerClient;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrackerServerTest {
    private TrackerServer server;
    private NioEventLoopGroup group;
    private HttpTrackerClient client;
    private final InfoHash hash = InfoHash.v1Of("x".getBytes());

    @BeforeEach
    void start() throws Exception {
        server = TrackerServer.inMemory(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 60);
        group = new NioEventLoopGroup(1);
        client = new HttpTrackerClient(group, Duration.ofSeconds(5), "test");
    }

    @AfterEach
    void stop() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private AnnounceResponse announce(String peerId, int port, long left, AnnounceRequest.Event e) throws Exception {
        return client.announce(server.announceUrl(), new AnnounceRequest(hash, peerId.getBytes(), port, 0, 0, left, e, 50, 1, null))
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void peersFindEachOtherSeedersAreNotSentToSeedersAndStoppedPeersLeave() throws Exception {
        assertThat(announce("-AA0001-aaaaaaaaaaaa", 1001, 0, AnnounceRequest.Event.STARTED).peers()).isEmpty();
        AnnounceResponse b = announce("-BB0001-bbbbbbbbbbbb", 1002, 100, AnnounceRequest.Event.STARTED);
        assertThat(b.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 1001));
        assertThat(b.complete()).isEqualTo(1);
        assertThat(b.incomplete()).isEqualTo(1);
        assertThat(b.interval()).isEqualTo(60);
        // a second seeder is told only of the leecher
        assertThat(announce("-CC0001-cccccccccccc", 1003, 0, AnnounceRequest.Event.STARTED).peers())
                .containsExactly(new InetSocketAddress("127.0.0.1", 1002));
        announce("-AA0001-aaaaaaaaaaaa", 1001, 0, AnnounceRequest.Event.STOPPED);
        AnnounceResponse again = announce("-BB0001-bbbbbbbbbbbb", 1002, 0, AnnounceRequest.Event.COMPLETED);
        assertThat(again.peers()).isEmpty(); // now a seeder: only seeders remain
        assertThat(again.complete()).isEqualTo(2);
        // scrape, at the URL derived from the announce URL (BEP 48)
        io.jtorrent.tracker.ScrapeResult scraped = client.scrape(server.announceUrl(), hash).get(10, TimeUnit.SECONDS);
        assertThat(scraped).isEqualTo(new io.jtorrent.tracker.ScrapeResult(2, 0, 1));
        assertThat(io.jtorrent.tracker.HttpAnnounce.scrapeUrl("http://t/x/announce.php?k=1")).contains("http://t/x/scrape.php?k=1");
        assertThat(io.jtorrent.tracker.HttpAnnounce.scrapeUrl("http://t/a")).isEmpty();
    }

    /** A GET sent as raw bytes, so that even what java.net.URI refuses reaches the server. */
    private String get(String pathAndQuery) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.address().getPort())) {
            s.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(all).startsWith("HTTP/1.1 200");
            return all.substring(all.indexOf("\r\n\r\n") + 4);
        }
    }

    private String getViaJdk(String pathAndQuery) throws Exception {
        InetSocketAddress a = server.address();
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + a.getPort() + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return new String(r.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void malformedAnnouncesGetAFailureReasonAndTheServerGoesOn() throws Exception {
        String hash20 = "%01%02%03%04%05%06%07%08%09%10%11%12%13%14%15%16%17%18%19%20";
        assertThat(get("/announce?peer_id=-AA0001-aaaaaaaaaaaa&port=1")).contains("failure reason", "missing info_hash");
        assertThat(get("/announce?info_hash=abc&peer_id=-AA0001-aaaaaaaaaaaa&port=1")).contains("info_hash must be 20 bytes");
        assertThat(get("/announce?info_hash=" + hash20 + "&peer_id=-AA0001-aaaaaaaaaaaa&port=99999")).contains("invalid port");
        assertThat(get("/announce?info_hash=" + hash20 + "&peer_id=-AA0001-aaaaaaaaaaaa&port=x1")).contains("port is not a number");
        assertThat(get("/announce?info_hash=%zz")).contains("bad percent-escape");
        assertThat(get("/announce?" + "a=1&".repeat(10_000).substring(0, 7000))).contains("too many parameters");
        assertThat(get("/announce?info_hash=" + hash20 + "&peer_id=-AA0001-aaaaaaaaaaaa&port=1&event=bogus")).contains("unknown event");
        String ok = getViaJdk("/announce?info_hash=" + hash20 + "&peer_id=-AA0001-aaaaaaaaaaaa&port=1&left=0&compact=0");
        BDictionary d = (BDictionary) new BencodeDecoder(BencodeDecoder.Limits.DEFAULT).decode(ok.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(d.containsKey("interval")).isTrue();
        String scrape = get("/scrape?info_hash=" + hash20);
        assertThat(scrape).contains("8:completei1e");
        assertThat(get("/stats")).contains("swarms 1", "peers 1", "announces_per_second");
        assertThat(get("/metrics")).contains("# TYPE jtorrent_tracker_peers gauge", "jtorrent_tracker_peers 1.0", "jvm_threads_current",
                "jtorrent_tracker_http_announces_total");
    }

    /** Everything the server sends on one connection until it closes it (bounded by a 10 s read timeout). */
    private String exchange(String requests) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(requests.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void keepAlivePipeliningHeadAndRefusalsAreAnsweredAsHttpSays() throws Exception {
        String hash20 = "%01%02%03%04%05%06%07%08%09%10%11%12%13%14%15%16%17%18%19%20";
        String announce = "/announce?info_hash=" + hash20 + "&peer_id=-AA0001-aaaaaaaaaaaa&port=1&left=0";
        // three requests sent at once on one connection: three answers in order, the last closes it
        String all = exchange("GET " + announce + " HTTP/1.1\r\nHost: t\r\n\r\n"
                + "GET /nothing HTTP/1.1\r\nHost: t\r\n\r\n"
                + "HEAD /stats HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        String[] parts = all.split("HTTP/1.1 ", -1);
        assertThat(parts).hasSize(4);
        assertThat(parts[1]).startsWith("200 OK\r\n").contains("8:completei1e", "5:peers0:").doesNotContain("Connection: close");
        int length = Integer.parseInt(parts[1].replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        assertThat(parts[1].substring(parts[1].indexOf("\r\n\r\n") + 4)).hasSize(length);
        assertThat(parts[2]).startsWith("404 Not Found\r\n").endsWith("not found\n");
        assertThat(parts[3]).startsWith("200 OK\r\n").contains("Connection: close").endsWith("\r\n\r\n"); // HEAD: no body
        // HTTP/1.0 closes after one answer
        assertThat(exchange("GET /stats HTTP/1.0\r\n\r\nGET /stats HTTP/1.0\r\n\r\n").split("HTTP/1.1 ", -1)).hasSize(2);
        // an over-long request line: 414 with a reason clients show, then the connection is closed
        String refused = exchange("GET /announce?" + "a".repeat(HttpRequestDecoder.MAX_REQUEST_LINE + 1));
        assertThat(refused).startsWith("HTTP/1.1 414 URI Too Long\r\n").contains("Connection: close", "failure reason");
        assertThat(exchange("POST /announce HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")).startsWith("HTTP/1.1 405 ");
        assertThat(get("/stats")).contains("announces 1");
    }

    /**
     * A client that pipelines announces and never reads the answers: the server stops reading it
     * once its answers back up, so the client's writes stall (kernel buffers full) instead of the
     * server holding every answer. Without the back-pressure the server read 100+ MB in the 3 s.
     */
    @Test
    void aClientThatNeverReadsIsNotReadWithoutBound() throws Exception {
        String hash20 = "%01%02%03%04%05%06%07%08%09%10%11%12%13%14%15%16%17%18%19%20";
        byte[] request = ("GET /announce?info_hash=" + hash20 + "&peer_id=-AA0001-aaaaaaaaaaaa&port=1&left=0 HTTP/1.1\r\n"
                + "Host: t\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.nio.ByteBuffer many = java.nio.ByteBuffer.allocate(request.length * 1000);
        for (int i = 0; i < 1000; i++) {
            many.put(request);
        }
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(
                new InetSocketAddress("127.0.0.1", server.address().getPort()))) {
            ch.configureBlocking(false);
            long written = 0;
            long idleSince = System.nanoTime();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < deadline) {
                if (!many.hasRemaining()) {
                    many.rewind();
                }
                int n = ch.write(many);
                written += n;
                if (n > 0) {
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince > TimeUnit.MILLISECONDS.toNanos(500)) {
                    break; // stalled for half a second: the server has stopped reading
                } else {
                    Thread.sleep(5);
                }
            }
            assertThat(written).as("bytes the server took from a client that reads nothing").isLessThan(48L << 20);
        }
        assertThat(server.announceCount()).as("the server answered a part of them").isPositive();
    }

    /**
     * With a blocking store (Redis), announces are answered off the event loop; requests pipelined
     * behind a slow one still get their answers in order, as HTTP/1.1 requires.
     */
    @Test
    void pipelinedAnswersKeepTheirOrderBehindASlowStore() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        SwarmStore slowFirst = new HookedStore(true, a -> {
            if (calls.getAndIncrement() == 0) {
                HookedStore.pause(300);
            }
        });
        String hash20 = "%01%02%03%04%05%06%07%08%09%10%11%12%13%14%15%16%17%18%19%20";
        try (TrackerServer t = new TrackerServer(new InetSocketAddress("127.0.0.1", 0), slowFirst, 60, null, 1)) {
            String all;
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", t.address().getPort())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("GET /announce?info_hash=" + hash20 + "&peer_id=-AA0001-aaaaaaaaaaaa&port=1 HTTP/1.1\r\n\r\n"
                        + "GET /nothing HTTP/1.1\r\n\r\n"
                        + "GET /announce?info_hash=" + hash20 + "&peer_id=-BB0001-bbbbbbbbbbbb&port=2 HTTP/1.1\r\n"
                        + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                all = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            String[] parts = all.split("HTTP/1.1 ", -1);
            assertThat(parts).hasSize(4);
            assertThat(parts[1]).as("the slow announce first").startsWith("200 ").contains("10:incompletei1e");
            assertThat(parts[2]).startsWith("404 ");
            assertThat(parts[3]).startsWith("200 ").contains("10:incompletei2e");
        }
    }

    /**
     * Requests pipelined behind an announce the (blocking) store holds wait in the connection's
     * queue; past {@value TrackerServer#MAX_QUEUED} of them the connection is read no further, so
     * the client's writes stall at the kernel's buffers instead of the queue growing with them.
     */
    @Test
    void requestsQueuedBehindABlockedStoreStopTheReading() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        SwarmStore blocked = new HookedStore(true, a -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        String hash20 = "%01%02%03%04%05%06%07%08%09%10%11%12%13%14%15%16%17%18%19%20";
        byte[] request = ("GET /announce?info_hash=" + hash20 + "&peer_id=-AA0001-aaaaaaaaaaaa&port=1 HTTP/1.1\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.nio.ByteBuffer many = java.nio.ByteBuffer.allocate(request.length * 1000);
        for (int i = 0; i < 1000; i++) {
            many.put(request);
        }
        try (TrackerServer t = new TrackerServer(new InetSocketAddress("127.0.0.1", 0), blocked, 60, null, 1);
             java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(
                     new InetSocketAddress("127.0.0.1", t.address().getPort()))) {
            ch.configureBlocking(false);
            long written = 0;
            long idleSince = System.nanoTime();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                if (!many.hasRemaining()) {
                    many.rewind();
                }
                int n = ch.write(many);
                written += n;
                if (n > 0) {
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince > TimeUnit.MILLISECONDS.toNanos(500)) {
                    break; // stalled: the server has stopped reading
                } else {
                    Thread.sleep(5);
                }
            }
            release.countDown();
            assertThat(written).as("bytes taken from a client whose requests wait behind a blocked store").isLessThan(48L << 20);
        }
    }
}
