package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.TorrentHandle;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.testkit.ExternalProgram;
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
 * A torrent's own peer limit, set by the stock transmission-remote ({@code -t ID -pr N}): peers
 * over it are closed and new ones refused, torrent-get reports it, and it survives a restart.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DaemonPeerLimitTest {
    @TempDir
    Path tmp;

    private static int peers(RpcClient rpc) throws Exception {
        return rpc.call("torrent-get", Map.of("ids", List.of(1), "fields", List.of("peers")))
                .get("arguments").get("torrents").get(0).get("peers").size();
    }

    @Test
    void aTorrentsPeerLimitClosesTheExtraPeersAndStays() throws Exception {
        Path remote = ExternalProgram.require("transmission-remote", "transmission-cli");
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Metainfo.parse(TestData.torrent(seedDir, "slow", 8, 16384, 3_000_000));
        Settings slow = Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).uploadLimit(20_000).build();
        try (Session a = Session.start(slow); Session b = Session.start(slow); Session c = Session.start(slow);
             Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(m.toTorrentFile())));
            TorrentHandle[] seeds = new TorrentHandle[3];
            Session[] sessions = {a, b, c};
            for (int i = 0; i < 2; i++) {
                seeds[i] = sessions[i].add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
                seeds[i].addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);
            }
            TestData.await(Duration.ofSeconds(20), "two peers", () -> count(rpc) == 2);
            ExternalProgram.run(Duration.ofSeconds(30), tmp, remote.toString(), "127.0.0.1:" + d.rpcPort(), "-t", "1", "-pr", "1")
                    .assertSuccess();
            TestData.await(Duration.ofSeconds(20), "one peer over the limit closed", () -> count(rpc) == 1);
            seeds[2] = c.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            seeds[2].addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);
            // a refusal leaves nothing to wait for: watch the list for a while instead
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                assertThat(count(rpc)).as("a new peer refused").isLessThanOrEqualTo(1);
                Thread.sleep(100);
            }
            assertThat(rpc.call("torrent-get", Map.of("ids", List.of(1), "fields", List.of("peer-limit")))
                    .get("arguments").get("torrents").get(0).get("peer-limit").asInt()).isEqualTo(1);
        }
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            assertThat(new RpcClient(d.rpcPort(), null).call("torrent-get", Map.of("ids", List.of(1), "fields", List.of("peer-limit")))
                    .get("arguments").get("torrents").get(0).get("peer-limit").asInt()).as("kept across a restart").isEqualTo(1);
        }
    }

    private static int count(RpcClient rpc) {
        try {
            return peers(rpc);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
