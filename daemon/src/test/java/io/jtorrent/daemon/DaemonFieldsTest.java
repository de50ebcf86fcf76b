package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.metainfo.Metainfo;
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
 * Fields that tools decide by, with real values: {@code secondsDownloading} and
 * {@code secondsSeeding} (Sonarr and Radarr remove a torrent after so long seeding) count the time
 * spent in each state and survive a restart; {@code torrentFile} names the kept .torrent.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DaemonFieldsTest {
    @TempDir
    Path tmp;

    private static JsonNode fields(RpcClient rpc) throws Exception {
        return rpc.call("torrent-get", Map.of("fields", List.of("secondsDownloading", "secondsSeeding", "torrentFile",
                "percentDone"))).get("arguments").get("torrents").get(0);
    }

    @Test
    void timeDownloadingAndSeedingIsCountedAndTheTorrentFileNamed() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Metainfo.parse(TestData.torrent(seedDir, "timed", 41, 16384, 300_000));
        long seeding;
        try (Session seeder = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress())
                .uploadLimit(120_000).build());
             Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS)
                    .addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);
            rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(m.toTorrentFile())));
            TestData.await(Duration.ofSeconds(60), "the download to finish and seed two seconds", () -> {
                try {
                    JsonNode t = fields(rpc);
                    return t.get("percentDone").asDouble() == 1.0 && t.get("secondsSeeding").asLong() >= 2;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            JsonNode t = fields(rpc);
            assertThat(t.get("secondsDownloading").asLong()).as("300 kB at 120 kB/s").isGreaterThanOrEqualTo(1);
            Path file = Path.of(t.get("torrentFile").asText());
            assertThat(Metainfo.read(file).infoHash()).isEqualTo(m.infoHash());
            seeding = t.get("secondsSeeding").asLong();
        }
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            assertThat(fields(new RpcClient(d.rpcPort(), null)).get("secondsSeeding").asLong())
                    .as("kept across a restart").isGreaterThanOrEqualTo(seeding);
        }
    }
}
