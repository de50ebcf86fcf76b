package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.TorrentHandle;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.testkit.ExternalProgram;
import io.jtorrent.testkit.RpcClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
 * Transmission's blocklist: the list is fetched from blocklist-url over HTTP (a server on
 * 127.0.0.1) when the stock transmission-remote asks for --blocklist-update; while enabled, a
 * peer in it (a seed on 127.0.0.2) is closed and refused, others are not; off again, it is let in.
 * The list survives a restart.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DaemonBlocklistTest {
    @TempDir
    Path tmp;

    private static List<String> peerHosts(RpcClient rpc) {
        try {
            JsonNode peers = rpc.call("torrent-get", Map.of("ids", List.of(1), "fields", List.of("peers")))
                    .get("arguments").get("torrents").get(0).get("peers");
            List<String> out = new ArrayList<>();
            peers.forEach(p -> out.add(p.get("address").asText()));
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aBlocklistedPeerIsClosedAndRefused() throws Exception {
        Path remote = ExternalProgram.require("transmission-remote", "transmission-cli");
        InetAddress other = InetAddress.getByName("127.0.0.2");
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Metainfo.parse(TestData.torrent(seedDir, "big", 5, 16384, 3_000_000));
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] list = "# test list\nA blocked host:127.0.0.2-127.0.0.2\n".getBytes(StandardCharsets.UTF_8);
        http.createContext("/level1.txt", x -> {
            x.sendResponseHeaders(200, list.length);
            x.getResponseBody().write(list);
            x.close();
        });
        http.start();
        Settings.Builder slow = Settings.builder().listenPort(0).uploadLimit(20_000);
        try (Session blocked = Session.start(slow.bindAddress(other).build());
             Session allowed = Session.start(slow.bindAddress(InetAddress.getLoopbackAddress()).build());
             Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(m.toTorrentFile())));
            TorrentHandle a = blocked.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle b = allowed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            InetSocketAddress daemonPeer = new InetSocketAddress("127.0.0.1", d.peerPort());
            a.addPeer(daemonPeer).get(5, TimeUnit.SECONDS);
            b.addPeer(daemonPeer).get(5, TimeUnit.SECONDS);
            TestData.await(Duration.ofSeconds(20), "both seeds connected", () -> peerHosts(rpc).size() == 2);

            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/level1.txt";
            rpc.call("session-set", Map.of("blocklist-url", url, "blocklist-enabled", true));
            String out = ExternalProgram.run(Duration.ofSeconds(30), tmp, remote.toString(), "127.0.0.1:" + d.rpcPort(),
                    "--blocklist-update").assertSuccess().stdout();
            assertThat(out).contains("1");
            JsonNode s = rpc.call("session-get", Map.of()).get("arguments");
            assertThat(s.get("blocklist-size").asInt()).isEqualTo(1);
            TestData.await(Duration.ofSeconds(20), "the blocklisted seed closed, the other kept",
                    () -> peerHosts(rpc).equals(List.of("127.0.0.1")));
            a.addPeer(daemonPeer).get(5, TimeUnit.SECONDS); // and refused when it dials again
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                assertThat(peerHosts(rpc)).doesNotContain("127.0.0.2");
                Thread.sleep(100);
            }

            rpc.call("session-set", Map.of("blocklist-enabled", false));
            a.addPeer(daemonPeer).get(5, TimeUnit.SECONDS);
            TestData.await(Duration.ofSeconds(20), "let in with the list off", () -> peerHosts(rpc).contains("127.0.0.2"));
        } finally {
            http.stop(0);
        }
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            assertThat(new RpcClient(d.rpcPort(), null).call("session-get", Map.of()).get("arguments")
                    .get("blocklist-size").asInt()).as("kept across a restart").isEqualTo(1);
        }
    }
}
