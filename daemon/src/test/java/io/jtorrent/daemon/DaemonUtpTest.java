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
 * The daemon honours Transmission's {@code utp-enabled}: on by default, session-set turns it off
 * (nothing answers uTP on the port) and on again, it survives a restart, and a uTP-only peer reaches
 * the daemon and shows in its peers list with Transmission's {@code T} flag.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DaemonUtpTest {
    @TempDir
    Path tmp;

    private static boolean utpEnabled(RpcClient rpc) throws Exception {
        return rpc.call("session-get", Map.of("fields", List.of("utp-enabled"))).get("arguments").get("utp-enabled").asBoolean();
    }

    /** Whether uTP answers on {@code port} of 127.0.0.1. */
    private static boolean utpAnswers(int port) throws Exception {
        return io.jtorrent.testkit.UtpProbe.answers(InetAddress.getLoopbackAddress(), port, Duration.ofMillis(500));
    }

    private static JsonNode torrent(RpcClient rpc) {
        try {
            return rpc.call("torrent-get", Map.of("fields", List.of("peers", "percentDone"))).get("arguments").get("torrents").get(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void utpEnabledIsToldChangedKeptAndUsed() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Metainfo.parse(TestData.torrent(seedDir, "over-utp", 22, 16384, 300_000));
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            assertThat(utpEnabled(rpc)).as("on by default").isTrue();
            assertThat(utpAnswers(d.peerPort())).isTrue();
            assertThat(rpc.call("session-set", Map.of("utp-enabled", false)).get("result").asText()).isEqualTo("success");
            assertThat(utpEnabled(rpc)).isFalse();
            assertThat(utpAnswers(d.peerPort())).as("uTP's socket closed").isFalse();
        }
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            assertThat(utpEnabled(rpc)).as("kept across a restart").isFalse();
            assertThat(rpc.call("session-set", Map.of("utp-enabled", true)).get("result").asText()).isEqualTo("success");
            assertThat(utpEnabled(rpc)).isTrue();
            try (Session utpOnly = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress())
                    .tcp(false).uploadLimit(100_000).build())) {
                TorrentHandle seed = utpOnly.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build())
                        .get(30, TimeUnit.SECONDS);
                rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(m.toTorrentFile())));
                seed.addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);
                TestData.await(Duration.ofSeconds(30), "a uTP peer in the daemon's list", () -> {
                    JsonNode peers = torrent(rpc).get("peers");
                    return peers.size() == 1 && peers.get(0).get("isUTP").asBoolean()
                            && peers.get(0).get("flagStr").asText().contains("T");
                });
                TestData.await(Duration.ofSeconds(30), "the data, over uTP", () -> torrent(rpc).get("percentDone").asDouble() == 1.0);
            }
        }
    }
}
