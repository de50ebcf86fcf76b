package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.jtorrent.testkit.RpcClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's HTTP side tried as an attacker would: DNS rebinding, huge bodies, stalls, guessing, paths out of bounds. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DaemonSecurityTest {
    @TempDir
    Path tmp;

    private Daemon.Options options(String auth, Daemon.Security security) {
        Daemon.Options base = DaemonRpcTest.options(tmp, auth);
        return new Daemon.Options(base.configDir(), base.downloadDir(), null, "127.0.0.1", 0, auth, base.session(), security);
    }

    private static Daemon.Security security(List<String> hosts, List<String> clients, Duration timeout) {
        return new Daemon.Security(hosts, clients, List.of(), timeout);
    }

    private static String rpcPost(String host, String sessionId, String body) {
        return "POST /transmission/rpc HTTP/1.1\r\nHost: " + host + "\r\n"
                + (sessionId == null ? "" : "X-Transmission-Session-Id: " + sessionId + "\r\n")
                + "Content-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\nConnection: close\r\n\r\n" + body;
    }

    @Test
    void aRebindingPageGets421AndNoSessionIdWhileAddressesAndLocalhostWork() throws Exception {
        try (Daemon d = Daemon.start(options(null, security(List.of("*.home.example"), null, Duration.ofSeconds(30))))) {
            int port = d.rpcPort();
            String attack = "{\"method\":\"session-set\",\"arguments\":{\"download-dir\":\"/etc\"}}";
            // the page's name re-resolves to 127.0.0.1, but the browser still sends the page's own name
            for (String host : List.of("evil.example", "evil.example:" + port, "127.0.0.1.evil.example", "localhost.evil.example")) {
                RawHttp.Answer a = RawHttp.exchange(port, null, rpcPost(host, null, attack));
                assertThat(a.status()).as(host).isEqualTo(421);
                assertThat(a.header("X-Transmission-Session-Id")).as(host).isNull();
                assertThat(a.body()).doesNotContainPattern("[0-9a-f]{48}");
                assertThat(RawHttp.exchange(port, null, "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").status())
                        .as("web UI for " + host).isEqualTo(421);
            }
            // addresses, localhost and whitelisted names get the ordinary 409 handshake
            for (String host : List.of("127.0.0.1:" + port, "127.0.0.1", "[::1]:" + port, "localhost:" + port, "LOCALHOST.",
                    "nas.home.example:" + port)) {
                RawHttp.Answer a = RawHttp.exchange(port, null, rpcPost(host, null, attack));
                assertThat(a.status()).as(host).isEqualTo(409);
                assertThat(a.header("X-Transmission-Session-Id")).as(host).matches("[0-9a-f]{48}");
            }
            String id = RawHttp.exchange(port, null, rpcPost("127.0.0.1", null, "{}")).header("X-Transmission-Session-Id");
            // even with a valid session id (learned some other way), a foreign name is refused
            assertThat(RawHttp.exchange(port, null, rpcPost("evil.example", id, attack)).status()).isEqualTo(421);
            RawHttp.Answer ok = RawHttp.exchange(port, null, rpcPost("127.0.0.1:" + port, id, "{\"method\":\"session-get\"}"));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body()).contains("\"result\":\"success\"");
        }
    }

    @Test
    void aLargeBodyWithoutCredentialsIsRefusedFromItsHead() throws Exception {
        try (Daemon d = Daemon.start(options("alice:s3cret", security(List.of(), null, Duration.ofSeconds(30))))) {
            long declared = 50_000_000;
            try (Socket s = RawHttp.connect(d.rpcPort(), null)) {
                OutputStream out = s.getOutputStream();
                out.write(("POST /transmission/rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + declared + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[2048]);
                out.flush();
                // the answer comes before the body: the daemon does not wait for (or buffer) it
                RawHttp.Answer a = RawHttp.read(s.getInputStream());
                assertThat(a.status()).isEqualTo(401);
                assertThat(a.header("Connection")).isEqualToIgnoringCase("close");
                // and the connection is gone: the rest of the 50 MB cannot be pushed into it
                long sent = 2048;
                byte[] chunk = new byte[64 * 1024];
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                try {
                    while (sent < declared && System.nanoTime() < deadline) {
                        out.write(chunk);
                        sent += chunk.length;
                    }
                } catch (IOException expected) {
                    // reset by the daemon
                }
                assertThat(sent).as("bytes the daemon let us send").isLessThan(declared);
            }
            // with credentials, a body over the RPC's cap is refused from its declared length too
            String auth = "Authorization: Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
            RawHttp.Answer big = RawHttp.exchange(d.rpcPort(), null, "POST /transmission/rpc HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth
                    + "\r\nX-Transmission-Session-Id: x\r\nContent-Length: 104857600\r\n\r\n");
            assertThat(big.status()).isIn(409, 413); // the session id is checked first
            RpcClient alice = new RpcClient(d.rpcPort(), "alice:s3cret");
            alice.call("session-get", Map.of()); // learns the id
            RawHttp.Answer notRpc = RawHttp.exchange(d.rpcPort(), null, "POST /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth
                    + "\r\nContent-Length: " + (2 << 20) + "\r\n\r\n");
            assertThat(notRpc.status()).isEqualTo(413);
            // an RPC body over 1 MiB that is not torrent-add is answered with an error, not executed
            String padded = "{\"method\":\"session-set\",\"arguments\":{\"speed-limit-up\":5},\"pad\":\"" + "x".repeat(1_100_000) + "\"}";
            assertThat(alice.post(padded).get("result").asText()).startsWith("request too large");
            assertThat(alice.call("session-get", Map.of()).get("arguments").get("speed-limit-up").asInt()).isNotEqualTo(5);
        }
    }

    @Test
    void stalledRequestsAreClosedAndConnectionsCapped() throws Exception {
        try (Daemon d = Daemon.start(options(null, security(List.of(), null, Duration.ofSeconds(1))))) {
            int port = d.rpcPort();
            // a partial request line, then nothing: closed after the timeout
            try (Socket s = RawHttp.connect(port, null)) {
                s.getOutputStream().write("GET / HT".getBytes(StandardCharsets.US_ASCII));
                long t0 = System.nanoTime();
                assertThat(s.getInputStream().read()).isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
            }
            // one address holding many connections gets no more than its share; another address still gets in
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < HttpFrontend.MAX_CONNECTIONS_PER_ADDRESS + 8; i++) {
                    held.add(RawHttp.connect(port, "127.0.0.1"));
                }
                int closed = 0;
                for (Socket s : held) {
                    s.setSoTimeout(300);
                    try {
                        if (s.getInputStream().read() == -1) {
                            closed++;
                        }
                    } catch (java.net.SocketTimeoutException stillOpen) {
                        // admitted
                    } catch (IOException reset) {
                        closed++;
                    }
                }
                assertThat(closed).isGreaterThanOrEqualTo(8);
                RawHttp.Answer other = RawHttp.exchange(port, "127.0.0.2", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                assertThat(other.status()).isEqualTo(200);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    /**
     * A client that pipelines requests for the web UI's page (tens of kilobytes an answer) and
     * never reads the answers: once they back up past the socket's buffers, its next request
     * closes its connection. Before, the daemon answered every request it was sent: the heap grew
     * by the answers and the other clients of that event loop waited 6-10 s.
     */
    @Test
    void aClientThatPipelinesWithoutReadingIsClosedAndTheOthersAreServed() throws Exception {
        try (Daemon d = Daemon.start(options(null, security(List.of(), null, Duration.ofSeconds(30))))) {
            byte[] request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            java.nio.ByteBuffer many = java.nio.ByteBuffer.allocate(request.length * 1000);
            for (int i = 0; i < 1000; i++) {
                many.put(request);
            }
            boolean closed = false;
            try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(new InetSocketAddress("127.0.0.1", d.rpcPort()))) {
                ch.configureBlocking(false);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!closed && System.nanoTime() < deadline) {
                    if (!many.hasRemaining()) {
                        many.rewind();
                    }
                    try {
                        if (ch.write(many) == 0) {
                            Thread.sleep(5);
                        }
                    } catch (IOException resetByTheDaemon) {
                        closed = true;
                    }
                }
            }
            assertThat(closed).as("the daemon closed the client that does not read").isTrue();
            for (int i = 0; i < 4; i++) {
                long t0 = System.nanoTime();
                RawHttp.Answer other = RawHttp.exchange(d.rpcPort(), "127.0.0." + (2 + i),
                        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                assertThat(other.status()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("another client's answer").isLessThan(Duration.ofSeconds(2));
            }
        }
    }

    @Test
    void passwordGuessingIsSlowedDownPerAddress() throws Exception {
        try (Daemon d = Daemon.start(options("alice:s3cret", security(List.of(), null, Duration.ofSeconds(30))))) {
            RpcClient guesser = new RpcClient(d.rpcPort(), "alice:guess");
            for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
                assertThat(guesser.raw("/", "GET", null, false).statusCode()).isEqualTo(401);
            }
            var locked = guesser.raw("/", "GET", null, false);
            assertThat(locked.statusCode()).isEqualTo(429);
            assertThat(locked.headers().firstValue("Retry-After")).isPresent();
            // from the same address even the right password waits out the lock
            RpcClient alice = new RpcClient(d.rpcPort(), "alice:s3cret");
            assertThat(alice.raw("/", "GET", null, false).statusCode()).isEqualTo(429);
            // another address is not locked
            String auth = "Authorization: Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
            assertThat(RawHttp.exchange(d.rpcPort(), "127.0.0.3", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth
                    + "\r\nConnection: close\r\n\r\n").status()).isEqualTo(200);
            TestData.await(Duration.ofSeconds(20), "the lock to pass", () -> {
                try {
                    return alice.raw("/", "GET", null, false).statusCode() == 200;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    @Test
    void clientWhitelistAndProtectiveHeaders() throws Exception {
        try (Daemon d = Daemon.start(options(null, security(List.of(), List.of("127.0.0.2", "10.*.*.*"), Duration.ofSeconds(30))))) {
            int port = d.rpcPort();
            String get = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
            assertThat(RawHttp.exchange(port, "127.0.0.1", get).status()).isEqualTo(403);
            RawHttp.Answer ui = RawHttp.exchange(port, "127.0.0.2", get);
            assertThat(ui.status()).isEqualTo(200);
            // the web UI cannot be framed (clickjacking "remove + delete data") nor load anything foreign
            assertThat(ui.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(ui.header("Content-Security-Policy")).contains("frame-ancestors 'none'", "default-src 'none'", "script-src 'sha256-")
                    .doesNotContain("unsafe-eval").doesNotContain("script-src 'unsafe-inline'");
            assertThat(ui.header("X-Content-Type-Options")).isEqualTo("nosniff");
            // files share the RPC's origin: served sandboxed, never sniffed into HTML
            RawHttp.Answer files = RawHttp.exchange(port, "127.0.0.2", "GET /files/" + "ab".repeat(20)
                    + "/x.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertThat(files.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(files.header("Content-Security-Policy")).contains("sandbox");
        }
    }

    @Test
    void theRpcCannotPlaceDataOutsideItsRoots() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path downloads = Files.createDirectories(tmp.resolve("downloads"));
        Files.createSymbolicLink(downloads.resolve("escape"), outside);
        byte[] torrent = TestData.torrent(tmp.resolve("src"), "payload", 1, 16384, 40_000);
        try (Daemon d = Daemon.start(options(null, security(List.of(), null, Duration.ofSeconds(30))))) {
            RpcClient c = new RpcClient(d.rpcPort(), null);
            String meta = Base64.getEncoder().encodeToString(torrent);
            for (String dir : List.of("/etc", outside.toString(), downloads + "/../outside", downloads.resolve("escape/x").toString(),
                    "relative/dir")) {
                JsonNode r = c.call("torrent-add", Map.of("metainfo", meta, "download-dir", dir, "paused", true));
                assertThat(r.get("result").asText()).as(dir).containsAnyOf("outside the directories", "absolute");
                assertThat(c.call("session-set", Map.of("download-dir", dir)).get("result").asText()).as(dir).isNotEqualTo("success");
            }
            assertThat(c.call("session-get", Map.of()).get("arguments").get("download-dir").asText())
                    .isEqualTo(downloads.toAbsolutePath().toString());
            assertThat(c.call("torrent-get", Map.of("fields", List.of("id"))).get("arguments").get("torrents")).isEmpty();
            // inside the download directory is fine, and so a torrent exists to be moved
            JsonNode added = c.call("torrent-add", Map.of("metainfo", meta, "download-dir", downloads.resolve("sub").toString(),
                    "paused", true));
            assertThat(added.get("result").asText()).isEqualTo("success");
            int id = added.get("arguments").get("torrent-added").get("id").asInt();
            assertThat(c.call("torrent-set-location", Map.of("ids", List.of(id), "location", outside.toString(), "move", true))
                    .get("result").asText()).contains("outside the directories");
            assertThat(c.call("torrent-set", Map.of("ids", List.of(id), "location", "/tmp")).get("result").asText())
                    .contains("outside the directories");
            try (var stream = Files.list(outside)) {
                assertThat(stream).isEmpty();
            }
        }
    }

    @Test
    void removingWithDataSparesTheUsersSameNamedFiles() throws Exception {
        Path downloads = Files.createDirectories(tmp.resolve("downloads"));
        byte[] torrent = TestData.torrent(tmp.resolve("src"), "photos", 2, 16384, 50_000, 30_000);
        // the user's own files, by chance (or by an attacker's choice of names) where the torrent's would go
        Path mine = Files.createDirectories(downloads.resolve("photos")).resolve("part0.bin");
        Files.writeString(mine, "my holiday pictures");
        Path mine2 = Files.createDirectories(downloads.resolve("photos/sub")).resolve("part1.bin");
        Files.writeString(mine2, "more of mine");
        try (Daemon d = Daemon.start(options(null, security(List.of(), null, Duration.ofSeconds(30))))) {
            RpcClient c = new RpcClient(d.rpcPort(), null);
            JsonNode added = c.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(torrent), "paused", true));
            int id = added.get("arguments").get("torrent-added").get("id").asInt();
            TestData.await(Duration.ofSeconds(20), "the data check", () -> {
                try {
                    JsonNode t = c.call("torrent-get", Map.of("ids", List.of(id), "fields", List.of("status")))
                            .get("arguments").get("torrents").get(0);
                    return t.get("status").asInt() == 0; // stopped, checked
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(c.call("torrent-remove", Map.of("ids", List.of(id), "delete-local-data", true)).get("result").asText())
                    .isEqualTo("success");
            TestData.await(Duration.ofSeconds(20), "the torrent gone", () -> {
                try {
                    return c.call("torrent-get", Map.of("fields", List.of("id"))).get("arguments").get("torrents").isEmpty();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
        assertThat(mine).hasContent("my holiday pictures");
        assertThat(mine2).hasContent("more of mine");
    }

    @Test
    void addByUrlFollowsRedirectsRefusesOtherSchemesAndTellsNothingOfTheNetwork() throws Exception {
        byte[] torrent = TestData.torrent(tmp.resolve("src"), "fetched", 3, 16384, 20_000);
        HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/t.torrent", ex -> {
            ex.sendResponseHeaders(200, torrent.length);
            ex.getResponseBody().write(torrent);
            ex.close();
        });
        web.createContext("/hop", ex -> {
            ex.getResponseHeaders().set("Location", "/t.torrent");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        web.createContext("/loop", ex -> {
            ex.getResponseHeaders().set("Location", "/loop");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        web.createContext("/secret", ex -> {
            byte[] b = "SECRET-INTERNAL-PAGE".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        web.start();
        Path notATorrent = tmp.resolve("notes.txt");
        Files.writeString(notATorrent, "PRIVATE-LOCAL-NOTES");
        int closedPort;
        try (var probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        try (Daemon d = Daemon.start(options(null, security(List.of(), null, Duration.ofSeconds(30))))) {
            RpcClient c = new RpcClient(d.rpcPort(), null);
            String base = "http://127.0.0.1:" + web.getAddress().getPort();
            JsonNode ok = c.call("torrent-add", Map.of("filename", base + "/hop", "paused", true));
            assertThat(ok.get("result").asText()).isEqualTo("success");
            assertThat(ok.get("arguments").get("torrent-added").get("name").asText()).isEqualTo("fetched");
            // an endless redirect, a 404, a page that is not a torrent and a closed port: one and the same answer
            List<String> answers = new ArrayList<>();
            for (String url : List.of(base + "/loop", base + "/missing", base + "/secret", "http://127.0.0.1:" + closedPort + "/x")) {
                String r = c.call("torrent-add", Map.of("filename", url)).get("result").asText();
                String said = r.replace(url, "URL"); // the URL itself may hold "404" (a port 40407 did)
                answers.add(said);
                assertThat(said).doesNotContain("SECRET", "refused", "404", "redirect", "Connection");
            }
            assertThat(answers).containsOnly(answers.get(0));
            assertThat(c.call("torrent-add", Map.of("filename", "file://" + notATorrent)).get("result").asText())
                    .contains("only http, https and magnet");
            String local = c.call("torrent-add", Map.of("filename", notATorrent.toString())).get("result").asText();
            assertThat(local).doesNotContain("PRIVATE");
            assertThat(local).isEqualTo(c.call("torrent-add", Map.of("filename", tmp.resolve("nothing-here").toString()))
                    .get("result").asText().replace("nothing-here", "notes.txt"));
        } finally {
            web.stop(0);
        }
    }

    @Test
    void aNameCollisionInTheWatchDirectoryDoesNotStopItsScan() throws Exception {
        Path watch = Files.createDirectories(tmp.resolve("watch"));
        Files.write(watch.resolve("a.torrent"), TestData.torrent(tmp.resolve("src"), "first", 4, 16384, 10_000));
        Files.writeString(watch.resolve("a.torrent.added"), "added before"); // the same file dropped in twice
        Files.write(watch.resolve("b.torrent"), TestData.torrent(tmp.resolve("src"), "second", 5, 16384, 10_000));
        Files.writeString(watch.resolve("c.torrent"), "not a torrent");
        Files.writeString(watch.resolve("c.torrent.invalid"), "invalid before");
        Daemon.Options base = options(null, security(List.of(), null, Duration.ofSeconds(30)));
        try (Daemon d = Daemon.start(new Daemon.Options(base.configDir(), base.downloadDir(), watch, "127.0.0.1", 0, null,
                base.session(), base.security()))) {
            RpcClient c = new RpcClient(d.rpcPort(), null);
            TestData.await(Duration.ofSeconds(20), "both watched torrents added", () -> {
                try {
                    return c.call("torrent-get", Map.of("fields", List.of("id"))).get("arguments").get("torrents").size() == 2;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            TestData.await(Duration.ofSeconds(10), "c set aside", () -> Files.exists(watch.resolve("c.torrent.1.invalid")));
        }
        assertThat(watch.resolve("a.torrent.added")).hasContent("added before");
        assertThat(watch.resolve("a.torrent.1.added")).exists();
        assertThat(watch.resolve("b.torrent.added")).exists();
        assertThat(watch.resolve("a.torrent")).doesNotExist();
    }

    @Test
    void hostCheckParsesHeadersStrictly() {
        HostCheck h = new HostCheck(List.of("*.lan", "seedbox.example."));
        assertThat(h.allows(null)).isTrue();
        assertThat(h.allows("192.168.1.2:9091")).isTrue();
        assertThat(h.allows("[fe80::1]")).isTrue();
        assertThat(h.allows("nas.lan")).isTrue();
        assertThat(h.allows("Seedbox.Example:9091")).isTrue();
        assertThat(h.allows("lan")).isFalse();
        assertThat(h.allows("192.168.1.2.nip.io")).isFalse();
        assertThat(h.allows("evil.example:9091:1")).isFalse();
        assertThat(h.allows("[::1]x")).isFalse();
        assertThat(h.allows("")).isFalse();
        assertThat(new HostCheck(List.of("*")).allows("anything.example")).isTrue();
        assertThatThrownBy(() -> new PathRoots(List.of(tmp)).confine("location", "x")).isInstanceOf(RpcException.class);
    }
}
