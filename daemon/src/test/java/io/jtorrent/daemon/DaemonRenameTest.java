package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transmission's torrent-rename-path: a file and then the torrent's folder renamed on disk and in
 * the file list, the data still complete, the names kept across a restart, bad paths and names
 * refused naming what is wrong, and peers still sent the torrent as it is.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DaemonRenameTest {
    @TempDir
    Path tmp;

    private static JsonNode torrent(RpcClient rpc) throws Exception {
        return rpc.call("torrent-get", Map.of("ids", List.of(1), "fields", List.of("name", "files", "percentDone", "status")))
                .get("arguments").get("torrents").get(0);
    }

    private static void awaitCompleteAndSeeding(RpcClient rpc, String what) throws InterruptedException {
        TestData.await(Duration.ofSeconds(30), what, () -> {
            try {
                JsonNode t = torrent(rpc);
                return t.get("percentDone").asDouble() == 1.0 && t.get("status").asInt() == TorrentFields.SEED;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private static List<String> names(JsonNode t) {
        List<String> out = new ArrayList<>();
        t.get("files").forEach(f -> out.add(f.get("name").asText()));
        return out;
    }

    private static String rename(RpcClient rpc, String path, String name) throws Exception {
        JsonNode r = rpc.call("torrent-rename-path", Map.of("ids", List.of(1), "path", path, "name", name));
        if (r.get("result").asText().equals("success")) {
            assertThat(r.get("arguments").get("path").asText()).isEqualTo(path);
            assertThat(r.get("arguments").get("name").asText()).isEqualTo(name);
            assertThat(r.get("arguments").get("id").asInt()).isEqualTo(1);
        }
        return r.get("result").asText();
    }

    @Test
    void renameAFileThenTheFolderKeepTheDataAndTheNames() throws Exception {
        Path seedDir = tmp.resolve("seed");
        byte[] bytes = TestData.torrent(seedDir, "album", 41, 16384, 100_000, 60_000, 30_000);
        Metainfo m = Metainfo.parse(bytes);
        Path downloads = tmp.resolve("downloads");
        try (Session seeder = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build());
             Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            TorrentHandle seed = seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(bytes)));
            seed.addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);
            TestData.await(Duration.ofSeconds(60), "the download complete", () -> {
                try {
                    return torrent(rpc).get("percentDone").asDouble() == 1.0;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            List<String> before = names(torrent(rpc));
            assertThat(before).containsExactly("album/part0.bin", "album/part2.bin", "album/sub/part1.bin");

            assertThat(rename(rpc, "album/sub/part1.bin", "track two.bin")).isEqualTo("success");
            assertThat(downloads.resolve("album/sub/track two.bin")).exists();
            assertThat(downloads.resolve("album/sub/part1.bin")).doesNotExist();
            assertThat(names(torrent(rpc))).contains("album/sub/track two.bin").doesNotContain("album/sub/part1.bin");
            assertThat(rename(rpc, "album/sub", "disc 2")).isEqualTo("success");
            assertThat(rename(rpc, "album", "Album (2020)")).isEqualTo("success");
            assertThat(downloads.resolve("Album (2020)/disc 2/track two.bin")).exists();
            assertThat(downloads.resolve("album")).doesNotExist();
            assertThat(torrent(rpc).get("name").asText()).isEqualTo("Album (2020)");

            assertThat(rename(rpc, "album/part0.bin", "x.bin")).as("the old path is gone").contains("not a path in this torrent");
            assertThat(rename(rpc, "Album (2020)/part0.bin", "a/b")).contains("not a valid file name");
            assertThat(rename(rpc, "Album (2020)/part0.bin", "..")).contains("not a valid file name");
            assertThat(rename(rpc, "Album (2020)/part0.bin", "disc 2")).contains("already a path");
            Files.writeString(downloads.resolve("Album (2020)/stray.txt"), "someone else's");
            assertThat(rename(rpc, "Album (2020)/part0.bin", "stray.txt")).as("a name taken on disk").contains("exists already");
            assertThat(downloads.resolve("Album (2020)/stray.txt")).hasContent("someone else's");
            JsonNode many = rpc.call("torrent-rename-path", Map.of("path", "Album (2020)", "name", "y"));
            assertThat(many.get("result").asText()).as("without ids").contains("exactly one torrent");

            awaitCompleteAndSeeding(rpc, "checked and seeding again");
            // a peer still gets the torrent as it is: the original names, the same data
            try (Session leech = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build())) {
                TorrentHandle l = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech"))
                        .peer(new InetSocketAddress("127.0.0.1", d.peerPort())).build()).get(30, TimeUnit.SECONDS);
                TestData.await(Duration.ofSeconds(60), "a peer's download from the renamed torrent", () ->
                        l.status().join().progress() >= 1.0);
                TestData.assertSameTree(seedDir.resolve("album"), tmp.resolve("leech/album"));
            }
        }
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            awaitCompleteAndSeeding(rpc, "the renamed torrent back, complete");
            JsonNode t = torrent(rpc);
            assertThat(t.get("name").asText()).isEqualTo("Album (2020)");
            assertThat(names(t)).containsExactly("Album (2020)/part0.bin", "Album (2020)/part2.bin", "Album (2020)/disc 2/track two.bin");
            assertThat(Files.mismatch(seedDir.resolve("album/sub/part1.bin"), downloads.resolve("Album (2020)/disc 2/track two.bin")))
                    .as("the renamed file holds its data").isEqualTo(-1L);
        }
    }
}
