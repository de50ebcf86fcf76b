package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.TorrentBuilder;
import io.jtorrent.testkit.RpcClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * BitTorrent v2 through the daemon: a v2-only torrent is named by its 64-hex SHA-256 (hashString,
 * ids, magnetLink), downloads from a peer and keeps its name across a restart; a hybrid keeps its
 * v1 name; a v2-only (btmh) magnet is added under its 64-hex hash.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DaemonV2Test {
    @TempDir
    Path tmp;

    private static JsonNode get(RpcClient rpc, Object ids) throws Exception {
        return rpc.call("torrent-get", Map.of("ids", ids, "fields", List.of("hashString", "percentDone", "magnetLink", "name")))
                .get("arguments").get("torrents");
    }

    @Test
    void aV2TorrentIsNamedByItsSha256AndDownloads() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path root = io.jtorrent.testkit.Trees.randomFiles(seedDir.resolve("v2"), "part", 5, 100_000, 33_333);
        Metainfo v2 = TorrentBuilder.from(root).version(TorrentBuilder.Version.V2).pieceLength(32 << 10).build().metainfo();
        Metainfo hybrid = TorrentBuilder.from(root).version(TorrentBuilder.Version.HYBRID).pieceLength(16 << 10).build().metainfo();
        String v2Hash = v2.infoHash().hex();
        assertThat(v2Hash).hasSize(64);
        try (Session seeder = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build())) {
            var seed = seeder.add(AddTorrentParams.builder(v2, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
                RpcClient rpc = new RpcClient(d.rpcPort(), null);
                JsonNode added = rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(v2.toTorrentFile())));
                assertThat(added.get("arguments").get("torrent-added").get("hashString").asText()).isEqualTo(v2Hash);
                seed.addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);
                TestData.await(Duration.ofSeconds(30), "the v2 download", () -> {
                    try {
                        return get(rpc, List.of(v2Hash)).get(0).get("percentDone").asDouble() == 1.0;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                assertThat(get(rpc, List.of(v2Hash)).get(0).get("magnetLink").asText()).startsWith("magnet:?xt=urn:btmh:1220" + v2Hash);

                // a v2-only magnet is taken, named by its 64-hex hash (its metadata and piece layers come from peers)
                JsonNode magnet = rpc.call("torrent-add", Map.of("filename", "magnet:?xt=urn:btmh:1220" + "ab".repeat(32),
                        "paused", true));
                assertThat(magnet.get("result").asText()).isEqualTo("success");
                assertThat(magnet.get("arguments").get("torrent-added").get("hashString").asText()).isEqualTo("ab".repeat(32));

                JsonNode h = rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(hybrid.toTorrentFile()),
                        "paused", true));
                assertThat(h.get("arguments").get("torrent-added").get("hashString").asText())
                        .isEqualTo(hybrid.infoHashV1().orElseThrow().hex());
            }
            try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
                RpcClient rpc = new RpcClient(d.rpcPort(), null);
                assertThat(get(rpc, List.of(v2Hash)).get(0).get("hashString").asText()).as("kept across a restart").isEqualTo(v2Hash);
            }
        }
        TestData.assertSameTree(root, tmp.resolve("downloads").resolve("v2"));
    }
}
