package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.TorrentBuilder;
import io.jtorrent.testkit.Nginx;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Web seeds (BEP 19): nginx serving the files on 127.0.0.1 as the only source and alongside a
 * slow peer; servers that ignore ranges, cut bodies short or send wrong data cost only themselves.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class WebSeedTest {
    @TempDir
    Path tmp;

    @Test
    void aMultiFileDownloadFromNginxAlone() throws Exception {
        Path seedDir = tmp.resolve("www");
        Metainfo m = Swarm.makeData(seedDir, "web seeded", 21, 65536, 700_000, 1, 1_300_000, 65536, 250_000);
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        try (Nginx nginx = Nginx.serve(seedDir, tmp.resolve("nginx"));
             Session s = Session.start(Swarm.loopback().build())) {
            s.subscribe(events::add);
            TorrentHandle h = s.add(AddTorrentParams.builder(m, tmp.resolve("dl")).webSeed(nginx.url()).build())
                    .get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(60), "the web-seed-only download", () -> Swarm.status(h).isFinished());
            assertThat(Swarm.status(h).peers()).isZero();
            assertThat(Swarm.status(h).hashFailures()).isZero();
        }
        assertThat(events).noneMatch(e -> e instanceof SessionEvent.WebSeedError);
        Swarm.assertSameTree(seedDir.resolve("web seeded"), tmp.resolve("dl").resolve("web seeded"));
    }

    @Test
    void aSingleFileTorrentWithItsUrlListAndASlowPeer() throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("www"));
        byte[] data = new byte[3_000_000];
        new java.util.Random(4).nextBytes(data);
        Files.write(seedDir.resolve("single.bin"), data);
        try (Nginx nginx = Nginx.serve(seedDir, tmp.resolve("nginx"));
             Session seeder = Session.start(Swarm.loopback().uploadLimit(100_000).build());
             Session leecher = Session.start(Swarm.loopback().build())) {
            // the URL names the directory: BEP 19 appends the file's name
            Metainfo m = TorrentBuilder.from(seedDir.resolve("single.bin")).pieceLength(32768).webSeed(nginx.url())
                    .build().metainfo();
            TorrentHandle seed = seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(AddTorrentParams.builder(m, tmp.resolve("dl"))
                    .peer(new InetSocketAddress("127.0.0.1", seeder.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(60), "the mixed download", () -> Swarm.status(h).isFinished());
            assertThat(Swarm.status(seed).uploaded()).as("the peer contributed").isPositive();
            assertThat(Files.readString(tmp.resolve("nginx").resolve("access.log"))).as("the web seed contributed")
                    .contains("GET /single.bin");
        }
        assertThat(Files.mismatch(seedDir.resolve("single.bin"), tmp.resolve("dl").resolve("single.bin"))).isEqualTo(-1L);
    }

    enum Fault { WHOLE_FILE, SHORT_BODY, WRONG_DATA }

    /** A server that answers range requests for {@code file} wrongly, in the way {@code fault} says. */
    private static HttpServer faultyServer(Path file, Fault fault) throws Exception {
        byte[] data = Files.readAllBytes(file);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String range = exchange.getRequestHeaders().getFirst("Range");
            String[] parts = range.substring("bytes=".length()).split("-");
            int from = Integer.parseInt(parts[0]);
            int to = Integer.parseInt(parts[1]) + 1;
            byte[] body;
            switch (fault) {
                case WHOLE_FILE -> {
                    exchange.sendResponseHeaders(200, data.length);
                    body = data;
                }
                case SHORT_BODY -> {
                    exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (to - 1) + "/" + data.length);
                    body = java.util.Arrays.copyOfRange(data, from, from + (to - from) / 2);
                    exchange.sendResponseHeaders(206, body.length);
                }
                default -> {
                    exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (to - 1) + "/" + data.length);
                    body = new byte[to - from];
                    java.util.Arrays.fill(body, (byte) 0x5a);
                    exchange.sendResponseHeaders(206, body.length);
                }
            }
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private void downloadDespite(Fault fault, boolean expectDropped, String reason) throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        byte[] data = new byte[600_000];
        new java.util.Random(fault.ordinal()).nextBytes(data);
        Files.write(seedDir.resolve("f.bin"), data);
        Metainfo m = TorrentBuilder.from(seedDir.resolve("f.bin")).pieceLength(32768).build().metainfo();
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        HttpServer bad = faultyServer(seedDir.resolve("f.bin"), fault);
        try (Session seeder = Session.start(Swarm.loopback().uploadLimit(100_000).build());
             Session leecher = Session.start(Swarm.loopback().build())) {
            leecher.subscribe(events::add);
            seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(AddTorrentParams.builder(m, tmp.resolve("dl"))
                    .webSeed("http://127.0.0.1:" + bad.getAddress().getPort() + "/f.bin")
                    .peer(new InetSocketAddress("127.0.0.1", seeder.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(60), "the download from the peer", () -> Swarm.status(h).isFinished());
        } finally {
            bad.stop(0);
        }
        assertThat(events).anyMatch(e -> e instanceof SessionEvent.WebSeedError w && w.dropped() == expectDropped
                && w.message().contains(reason));
        assertThat(Files.mismatch(seedDir.resolve("f.bin"), tmp.resolve("dl").resolve("f.bin"))).isEqualTo(-1L);
    }

    @Test
    void aServerIgnoringRangesIsDropped() throws Exception {
        downloadDespite(Fault.WHOLE_FILE, true, "200 instead of 206");
    }

    @Test
    void aShortBodyIsRetriedLater() throws Exception {
        downloadDespite(Fault.SHORT_BODY, false, "short body");
    }

    @Test
    void aServerSendingWrongDataIsDropped() throws Exception {
        downloadDespite(Fault.WRONG_DATA, true, "hash check");
    }
}
