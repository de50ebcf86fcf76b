package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.TorrentHandle;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.testkit.RpcClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a service user expects beyond the basics: the download queue, a seed ratio limit that
 * stops seeding, the watch directory, adding by URL, moving the data, free space, the port test,
 * and {@code recently-active} telling what was removed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DaemonFeaturesTest {
    @TempDir
    Path tmp;

    private static JsonNode torrents(RpcClient rpc, String... fields) throws Exception {
        return rpc.call("torrent-get", Map.of("fields", List.of(fields))).get("arguments").get("torrents");
    }

    private static JsonNode byName(JsonNode list, String name) {
        for (JsonNode t : list) {
            if (t.get("name").asText().equals(name)) {
                return t;
            }
        }
        return null;
    }

    @Test
    void queueLimitsWatchDirUrlMoveAndMore() throws Exception {
        Path seedDir = tmp.resolve("seed");
        List<Metainfo> ms = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ms.add(Metainfo.parse(TestData.torrent(seedDir, "t" + i, 10 + i, 16384, 400_000)));
        }
        Path watch = tmp.resolve("watch");
        Daemon.Options base = DaemonRpcTest.options(tmp, null);
        // torrents may be moved to tmp/moved as well (--allow-path)
        Daemon.Options o = new Daemon.Options(base.configDir(), base.downloadDir(), watch, "127.0.0.1", 0, null, base.session(),
                new Daemon.Security(List.of(), null, List.of(tmp.resolve("moved")), Duration.ofSeconds(30)));
        HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] t3 = ms.get(3).toTorrentFile();
        web.createContext("/t3.torrent", ex -> {
            ex.sendResponseHeaders(200, t3.length);
            ex.getResponseBody().write(t3);
            ex.close();
        });
        web.start();
        try (Session seeder = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress())
                .uploadLimit(150_000).build());
             Daemon d = Daemon.start(o)) {
            List<TorrentHandle> seeds = new ArrayList<>();
            for (Metainfo m : ms) {
                seeds.add(seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS));
            }
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            rpc.call("session-set", Map.of("download-queue-size", 1));
            for (int i = 0; i < 2; i++) {
                rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(ms.get(i).toTorrentFile())));
            }
            for (int i = 0; i < 2; i++) {
                seeds.get(i).addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);
            }
            // one downloads, the other waits in the queue (status 3), then both finish
            AtomicBoolean sawQueued = new AtomicBoolean();
            TestData.await(Duration.ofSeconds(60), "both through the queue", () -> {
                try {
                    JsonNode l = torrents(rpc, "name", "status", "percentDone");
                    for (JsonNode t : l) {
                        if (t.get("status").asInt() == 3) {
                            sawQueued.set(true);
                        }
                    }
                    return byName(l, "t0").get("percentDone").asDouble() == 1.0 && byName(l, "t1").get("percentDone").asDouble() == 1.0;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(sawQueued).as("a torrent waited in the download queue").isTrue();

            // a seed ratio limit of 0 is reached at once: seeding stops, the torrent counts as finished
            int id0 = byName(torrents(rpc, "name", "id"), "t0").get("id").asInt();
            rpc.call("torrent-set", Map.of("ids", List.of(id0), "seedRatioMode", 1, "seedRatioLimit", 0.0));
            TestData.await(Duration.ofSeconds(10), "seeding stopped by the ratio limit", () -> {
                try {
                    JsonNode t = byName(torrents(rpc, "name", "status", "isFinished"), "t0");
                    return t.get("status").asInt() == 0 && t.get("isFinished").asBoolean();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });

            // the watch directory: a torrent is added, a bad file set aside
            Files.write(watch.resolve("t2.torrent"), ms.get(2).toTorrentFile());
            Files.writeString(watch.resolve("junk.torrent"), "not a torrent");
            // adding by URL
            JsonNode added = rpc.call("torrent-add", Map.of("filename", "http://127.0.0.1:" + web.getAddress().getPort() + "/t3.torrent"));
            assertThat(added.get("arguments").get("torrent-added").get("name").asText()).isEqualTo("t3");
            TestData.await(Duration.ofSeconds(15), "the watched torrent added", () -> Files.exists(watch.resolve("t2.torrent.added"))
                    && Files.exists(watch.resolve("junk.torrent.invalid")));
            TestData.await(Duration.ofSeconds(10), "four torrents", () -> {
                try {
                    return torrents(rpc, "id").size() == 4;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });

            // moving a finished torrent's data
            int id1 = byName(torrents(rpc, "name", "id"), "t1").get("id").asInt();
            Path moved = tmp.resolve("moved");
            rpc.call("torrent-set-location", Map.of("ids", List.of(id1), "location", moved.toString(), "move", true));
            TestData.await(Duration.ofSeconds(20), "t1 moved and seeding again", () -> {
                try {
                    JsonNode t = byName(torrents(rpc, "name", "status", "percentDone", "downloadDir"), "t1");
                    return t.get("downloadDir").asText().equals(moved.toString()) && t.get("status").asInt() == 6
                            && t.get("percentDone").asDouble() == 1.0;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            TestData.assertSameTree(seedDir.resolve("t1"), moved.resolve("t1"));
            assertThat(tmp.resolve("downloads/t1/part0.bin")).doesNotExist();

            JsonNode space = rpc.call("free-space", Map.of("path", tmp.toString())).get("arguments");
            assertThat(space.get("size-bytes").asLong()).isPositive();
            assertThat(rpc.call("free-space", Map.of("path", tmp.resolve("nope").toString())).get("result").asText()).contains("no such directory");
            assertThat(rpc.call("port-test", Map.of()).get("arguments").get("port-is-open").asBoolean()).isTrue();

            rpc.call("torrent-remove", Map.of("ids", List.of(id0)));
            JsonNode recent = rpc.call("torrent-get", Map.of("ids", "recently-active", "fields", List.of("id"))).get("arguments");
            assertThat(recent.get("removed").toString()).contains(Integer.toString(id0));
            assertThat(tmp.resolve("downloads/t0/part0.bin")).as("removed without its data: the data stays").exists();
        } finally {
            web.stop(0);
        }
    }

    @Test
    void filesChosenAtAddAndChangedLater() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Metainfo.parse(TestData.torrent(seedDir, "album", 21, 16384, 300_000, 200_000, 500_000));
        try (Session seeder = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build());
             Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            TorrentHandle seed = seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(m.toTorrentFile()),
                    "files-unwanted", List.of(2), "priority-high", List.of(0)));
            seed.addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);
            try {
                TestData.await(Duration.ofSeconds(30), "the wanted files", () -> {
                    try {
                        JsonNode t = torrents(rpc, "percentDone", "sizeWhenDone", "fileStats").get(0);
                        return t.get("percentDone").asDouble() == 1.0 && t.get("sizeWhenDone").asLong() < 1_000_000;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": " + torrents(rpc, "percentDone", "sizeWhenDone", "status",
                        "peersConnected", "errorString", "fileStats"), e);
            }
            JsonNode stats = torrents(rpc, "fileStats").get(0).get("fileStats");
            assertThat(stats.get(0).get("priority").asInt()).isEqualTo(1);
            assertThat(stats.get(2).get("wanted").asBoolean()).isFalse();
            assertThat(Files.mismatch(seedDir.resolve("album/part0.bin"), tmp.resolve("downloads/album/part0.bin"))).isEqualTo(-1L);
            // now the third file too: the torrent downloads again and completes with everything
            rpc.call("torrent-set", Map.of("ids", List.of(1), "files-wanted", List.of(2)));
            seed.addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);
            TestData.await(Duration.ofSeconds(30), "every file", () -> {
                try {
                    JsonNode t = torrents(rpc, "percentDone", "sizeWhenDone").get(0);
                    return t.get("percentDone").asDouble() == 1.0 && t.get("sizeWhenDone").asLong() == 1_000_000;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            TestData.assertSameTree(seedDir.resolve("album"), tmp.resolve("downloads/album"));
        }
        // the totals survive a restart
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            JsonNode stats = new RpcClient(d.rpcPort(), null).call("session-stats", Map.of()).get("arguments");
            assertThat(stats.get("cumulative-stats").get("downloadedBytes").asLong()).isGreaterThanOrEqualTo(1_000_000L);
            assertThat(stats.get("cumulative-stats").get("sessionCount").asInt()).isEqualTo(2);
            assertThat(stats.get("torrentCount").asInt()).isEqualTo(1);
        }
    }
}
