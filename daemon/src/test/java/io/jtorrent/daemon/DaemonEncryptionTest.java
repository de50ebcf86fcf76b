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
 * The daemon honours Transmission's {@code encryption} setting: session-get tells it, session-set
 * changes it (a bad value is refused and changes nothing), it survives a restart, and with
 * "required" the daemon's download from a seed that requires encryption too runs encrypted.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DaemonEncryptionTest {
    @TempDir
    Path tmp;

    private static String encryption(RpcClient rpc) throws Exception {
        return rpc.call("session-get", Map.of("fields", List.of("encryption"))).get("arguments").get("encryption").asText();
    }

    @Test
    void theEncryptionSettingIsToldChangedKeptAndUsed() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Metainfo.parse(TestData.torrent(seedDir, "secret", 21, 16384, 300_000));
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            assertThat(encryption(rpc)).isEqualTo("preferred");
            JsonNode bad = rpc.call("session-set", Map.of("encryption", "sometimes"));
            assertThat(bad.get("result").asText()).contains("required, preferred or tolerated");
            assertThat(encryption(rpc)).isEqualTo("preferred");
            assertThat(rpc.call("session-set", Map.of("encryption", "required")).get("result").asText()).isEqualTo("success");
            assertThat(encryption(rpc)).isEqualTo("required");
        }
        try (Session seeder = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress())
                .encryption(Settings.Encryption.REQUIRED).uploadLimit(100_000).build());
             Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            assertThat(encryption(rpc)).as("kept across a restart").isEqualTo("required");
            TorrentHandle seed = seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(m.toTorrentFile())));
            seed.addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);
            TestData.await(Duration.ofSeconds(30), "an encrypted peer in the daemon's list", () -> {
                try {
                    JsonNode peers = rpc.call("torrent-get", Map.of("fields", List.of("peers")))
                            .get("arguments").get("torrents").get(0).get("peers");
                    return peers.size() == 1 && peers.get(0).get("isEncrypted").asBoolean()
                            && peers.get(0).get("flagStr").asText().contains("E");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }
}
