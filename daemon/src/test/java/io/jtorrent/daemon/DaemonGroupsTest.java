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
 * Transmission's bandwidth groups (rpc 17): group-set makes a group with limits, torrent-set puts a
 * torrent in it and its download keeps to the group's limit until the limit is lifted; group-get
 * and torrent-get tell the truth; an unknown group is refused; all of it survives a restart.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DaemonGroupsTest {
    @TempDir
    Path tmp;

    private static double done(RpcClient rpc) {
        try {
            return rpc.call("torrent-get", Map.of("ids", List.of(1), "fields", List.of("percentDone")))
                    .get("arguments").get("torrents").get(0).get("percentDone").asDouble();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aGroupsLimitHoldsItsTorrentsUntilLifted() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Metainfo.parse(TestData.torrent(seedDir, "grouped", 7, 16384, 2_000_000));
        try (Session seeder = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build());
             Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            assertThat(rpc.call("group-set", Map.of("name", "slow", "speed-limit-down-enabled", true, "speed-limit-down", 50))
                    .get("result").asText()).isEqualTo("success");
            JsonNode g = rpc.call("group-get", Map.of("group", "slow")).get("arguments").get("group").get(0);
            assertThat(g.get("speed-limit-down").asInt()).isEqualTo(50);
            assertThat(g.get("honorsSessionLimits").asBoolean()).isTrue();
            rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(m.toTorrentFile())));
            assertThat(rpc.call("torrent-set", Map.of("ids", List.of(1), "group", "nope")).get("result").asText())
                    .contains("group");
            rpc.call("torrent-set", Map.of("ids", List.of(1), "group", "slow"));

            TorrentHandle seed = seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            seed.addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);
            TestData.await(Duration.ofSeconds(20), "the download started", () -> done(rpc) > 0);
            // 50 KB/s for 2 MB: a few seconds in it is far from done (unlimited, it takes a fraction of a second)
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                assertThat(done(rpc)).as("held to the group's limit").isLessThan(0.5);
                Thread.sleep(200);
            }
            rpc.call("group-set", Map.of("name", "slow", "speed-limit-down-enabled", false));
            TestData.await(Duration.ofSeconds(30), "the download once the limit is lifted", () -> done(rpc) == 1.0);
            assertThat(rpc.call("torrent-get", Map.of("ids", List.of(1), "fields", List.of("group")))
                    .get("arguments").get("torrents").get(0).get("group").asText()).isEqualTo("slow");
        }
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            assertThat(rpc.call("group-get", Map.of()).get("arguments").get("group")).hasSize(1);
            assertThat(rpc.call("torrent-get", Map.of("ids", List.of(1), "fields", List.of("group")))
                    .get("arguments").get("torrents").get(0).get("group").asText()).as("kept across a restart").isEqualTo("slow");
        }
    }

    @Test
    void theNumberOfGroupsIsBounded() throws Exception {
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            for (int i = 0; i < BandwidthGroups.MAX_GROUPS; i++) {
                assertThat(rpc.call("group-set", Map.of("name", "g" + i)).get("result").asText()).isEqualTo("success");
            }
            assertThat(rpc.call("group-set", Map.of("name", "one too many")).get("result").asText())
                    .contains("more than " + BandwidthGroups.MAX_GROUPS);
            assertThat(rpc.call("group-set", Map.of("name", "g0", "speed-limit-up", 5)).get("result").asText())
                    .as("an existing group still changes").isEqualTo("success");
            assertThat(rpc.call("group-set", Map.of("name", "x".repeat(129))).get("result").asText()).contains("128");
        }
    }
}
