package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtorrent.metainfo.TorrentBuilder;
import io.jtorrent.testkit.ExternalProgram;
import io.jtorrent.testkit.RpcClient;
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
 * Editing a torrent's trackers over the RPC as Transmission users do: the stock
 * transmission-remote adds ({@code -td}) and removes ({@code -tr}) one, {@code trackerList} sets
 * them all; the engine announces to the new list at once, bad URLs are refused with nothing
 * changed, and the list survives a restart.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DaemonTrackerEditTest {
    @TempDir
    Path tmp;

    private static List<String> urls(RpcClient rpc, String field) throws Exception {
        JsonNode t = rpc.call("torrent-get", Map.of("ids", List.of(1), "fields", List.of(field)))
                .get("arguments").get("torrents").get(0).get(field);
        List<String> out = new ArrayList<>();
        t.forEach(x -> out.add(x.get("announce").asText() + "@" + x.get("tier").asInt()));
        return out;
    }

    @Test
    void trackersAreAddedRemovedAndListedAsTransmissionDoes() throws Exception {
        Path remote = ExternalProgram.require("transmission-remote", "transmission-cli");
        Path root = io.jtorrent.testkit.Trees.randomFiles(tmp.resolve("seed").resolve("t"), "f", 4, 50_000);
        byte[] torrent = TorrentBuilder.from(root).tracker("http://127.0.0.1:1/announce").build().bytes();
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(torrent)));
            String at = "127.0.0.1:" + d.rpcPort();
            ExternalProgram.run(Duration.ofSeconds(30), tmp, remote.toString(), at, "-t", "1", "-td",
                    "udp://127.0.0.1:2/announce").assertSuccess();
            assertThat(urls(rpc, "trackers")).containsExactly("http://127.0.0.1:1/announce@0", "udp://127.0.0.1:2/announce@1");
            TestData.await(Duration.ofSeconds(20), "the engine announcing to the added tracker", () -> {
                try {
                    return urls(rpc, "trackerStats").contains("udp://127.0.0.1:2/announce@1");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            ExternalProgram.run(Duration.ofSeconds(30), tmp, remote.toString(), at, "-t", "1", "-tr", "0").assertSuccess();
            assertThat(urls(rpc, "trackers")).containsExactly("udp://127.0.0.1:2/announce@0");

            String list = "http://a.invalid/announce\nhttp://b.invalid/announce\n\nudp://c.invalid:80/announce\n";
            assertThat(rpc.call("torrent-set", Map.of("ids", List.of(1), "trackerList", list)).get("result").asText())
                    .isEqualTo("success");
            assertThat(urls(rpc, "trackers")).containsExactly("http://a.invalid/announce@0", "http://b.invalid/announce@0",
                    "udp://c.invalid:80/announce@1");
            JsonNode bad = rpc.call("torrent-set", Map.of("ids", List.of(1), "trackerAdd", List.of("ftp://x.invalid/")));
            assertThat(bad.get("result").asText()).contains("trackerAdd").contains("not an http, https or udp");
            assertThat(rpc.call("torrent-get", Map.of("ids", List.of(1), "fields", List.of("trackerList")))
                    .get("arguments").get("torrents").get(0).get("trackerList").asText()).isEqualTo(list);
        }
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            assertThat(urls(new RpcClient(d.rpcPort(), null), "trackers")).as("kept across a restart")
                    .containsExactly("http://a.invalid/announce@0", "http://b.invalid/announce@0", "udp://c.invalid:80/announce@1");
        }
    }
}
