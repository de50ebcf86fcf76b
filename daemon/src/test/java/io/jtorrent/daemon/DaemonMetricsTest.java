package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.TorrentHandle;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.testkit.RpcClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} from the Prometheus Java client: the JVM's metrics beside the daemon's, in the
 * text format with its content type, and counters that do not go down when a torrent is removed.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DaemonMetricsTest {
    @TempDir
    Path tmp;

    private static double value(String body, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$").matcher(body);
        assertThat(m.find()).as(name + " in\n" + body).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void jvmAndTorrentMetricsAndCountersThatNeverGoDown() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Metainfo.parse(TestData.torrent(seedDir, "metered", 81, 16384, 500_000));
        try (Session seeder = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build());
             Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            TorrentHandle seed = seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(m.toTorrentFile())));
            seed.addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);
            TestData.await(Duration.ofSeconds(60), "downloaded and counted", () -> {
                try {
                    return value(rpc.raw("/metrics", "GET", null, false).body(), "jtorrent_downloaded_bytes_total") >= 500_000;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            HttpResponse<String> r = rpc.raw("/metrics", "GET", null, false);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            String body = r.body();
            assertThat(body).contains("# TYPE jtorrent_downloaded_bytes_total counter", "# TYPE jtorrent_peers gauge",
                    "jtorrent_torrents{state=\"seeding\"} 1.0");
            assertThat(value(body, "jvm_threads_current")).as("the JVM's own metrics").isPositive();
            assertThat(body).contains("jvm_memory_used_bytes{area=\"heap\"}", "jvm_gc_collection_seconds");

            rpc.call("torrent-remove", Map.of("ids", List.of(1)));
            TestData.await(Duration.ofSeconds(10), "the torrent gone", () -> {
                try {
                    return rpc.call("torrent-get", Map.of("fields", List.of("id"))).get("arguments").get("torrents").isEmpty();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            String after = rpc.raw("/metrics", "GET", null, false).body();
            assertThat(value(after, "jtorrent_downloaded_bytes_total")).as("the counter keeps what the removed torrent moved")
                    .isGreaterThanOrEqualTo(value(body, "jtorrent_downloaded_bytes_total"));
            assertThat(after).contains("jtorrent_torrents{state=\"seeding\"} 0.0");
        }
    }
}
