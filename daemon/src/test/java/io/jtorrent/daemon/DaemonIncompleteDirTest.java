package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.TorrentHandle;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.testkit.ExternalProgram;
import io.jtorrent.testkit.RpcClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transmission's incomplete-dir, set by the stock transmission-remote: a torrent downloads into
 * the incomplete dir and its data moves to the download dir once complete; session-get tells the
 * truth, and the setting survives a restart. A directory outside the daemon's roots is refused.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DaemonIncompleteDirTest {
    @TempDir
    Path tmp;

    @Test
    void aTorrentDownloadsInTheIncompleteDirAndMovesWhenDone() throws Exception {
        Path remote = ExternalProgram.require("transmission-remote", "transmission-cli");
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Metainfo.parse(TestData.torrent(seedDir, "album", 3, 16384, 400_000, 70_000));
        Path incomplete = tmp.resolve("downloads").resolve("incomplete");
        try (Session seeder = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress())
                .uploadLimit(200_000).build());
             Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            ExternalProgram.run(Duration.ofSeconds(30), tmp, remote.toString(), "127.0.0.1:" + d.rpcPort(),
                    "--incomplete-dir", incomplete.toString()).assertSuccess();
            JsonNode s = rpc.call("session-get", Map.of()).get("arguments");
            assertThat(s.get("incomplete-dir-enabled").asBoolean()).isTrue();
            assertThat(s.get("incomplete-dir").asText()).isEqualTo(incomplete.toString());
            assertThat(rpc.call("session-set", Map.of("incomplete-dir", "/etc")).get("result").asText())
                    .as("outside the daemon's directories").isNotEqualTo("success");

            TorrentHandle seed = seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            rpc.call("torrent-add", Map.of("metainfo", java.util.Base64.getEncoder().encodeToString(m.toTorrentFile())));
            seed.addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);
            TestData.await(Duration.ofSeconds(30), "data arriving in the incomplete dir",
                    () -> Files.exists(incomplete.resolve("album")));
            TestData.await(Duration.ofSeconds(60), "the finished data moved to the download dir",
                    () -> Files.exists(tmp.resolve("downloads/album")) && !Files.exists(incomplete.resolve("album")));
            JsonNode t = rpc.call("torrent-get", Map.of("fields", List.of("downloadDir", "percentDone")))
                    .get("arguments").get("torrents").get(0);
            assertThat(t.get("downloadDir").asText()).isEqualTo(tmp.resolve("downloads").toString());
            assertThat(t.get("percentDone").asDouble()).isEqualTo(1.0);
        }
        TestData.assertSameTree(seedDir.resolve("album"), tmp.resolve("downloads/album"));
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            JsonNode s = new RpcClient(d.rpcPort(), null).call("session-get", Map.of()).get("arguments");
            assertThat(s.get("incomplete-dir-enabled").asBoolean()).as("kept across a restart").isTrue();
            assertThat(s.get("incomplete-dir").asText()).isEqualTo(incomplete.toString());
        }
    }
}
