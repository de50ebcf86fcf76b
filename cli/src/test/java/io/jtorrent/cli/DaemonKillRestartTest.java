package io.jtorrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.TorrentHandle;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.TorrentBuilder;
import io.jtorrent.testkit.ReferencePeer;
import io.jtorrent.testkit.RpcClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jtorrent daemon} in its own JVM, downloading three torrents, killed with SIGKILL, then
 * started again on the same config directory: all three come back with their ids, names and
 * state (one stopped by the user stays stopped), and complete with correct data.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DaemonKillRestartTest {
    @TempDir
    Path tmp;
    private int rpcPort;

    private Process startDaemon(int peerPort) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "daemon",
                "--rpc-port", Integer.toString(rpcPort), "--port", Integer.toString(peerPort), "--bind", "127.0.0.1",
                "--no-dht", "--config-dir", tmp.resolve("config").toString(), "-d", tmp.resolve("downloads").toString()));
        Path log = tmp.resolve("daemon-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                call("session-get", Map.of());
                return p;
            } catch (java.io.IOException notYet) {
                if (!p.isAlive()) {
                    // say why: a port taken between picking it and the daemon binding it, say
                    assertThat(p.isAlive()).as("the daemon runs; it exited %d saying: %s", p.exitValue(),
                            Files.readString(log)).isTrue();
                }
                assertThat(System.nanoTime()).as("the daemon answers within 30 s").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    /** One client for the test (its connections are kept alive, as a real front-end's are). */
    private RpcClient rpc;

    private JsonNode call(String method, Object args) throws Exception {
        if (rpc == null) {
            rpc = new RpcClient(rpcPort, null);
        }
        JsonNode answer = rpc.call(method, args);
        assertThat(answer.get("result").asText()).as(method).isEqualTo("success");
        return answer.get("arguments");
    }

    private JsonNode torrents() throws Exception {
        return call("torrent-get", Map.of("fields", List.of("id", "name", "status", "percentDone", "hashString")))
                .get("torrents");
    }

    private static void await(Duration timeout, String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        io.jtorrent.testkit.Await.until(timeout, what, condition);
    }

    @Test
    void sigkillWhileDownloadingThreeTorrentsThenRestart() throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        List<Metainfo> ms = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path f = seedDir.resolve("file" + i + ".bin");
            byte[] data = new byte[3 << 20];
            new Random(i).nextBytes(data);
            Files.write(f, data);
            ms.add(TorrentBuilder.from(f).pieceLength(32768).build().metainfo());
        }
        rpcPort = ReferencePeer.freePort();
        int peerPort = ReferencePeer.freePort();
        try (Session seed = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress())
                .uploadLimit(300_000).build())) {
            List<TorrentHandle> seeds = new ArrayList<>();
            for (Metainfo m : ms) {
                seeds.add(seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS));
            }
            Process first = startDaemon(peerPort);
            try {
                for (Metainfo m : ms) {
                    call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(m.toTorrentFile())));
                }
                for (TorrentHandle h : seeds) {
                    h.addPeer(new InetSocketAddress("127.0.0.1", peerPort)).get(5, TimeUnit.SECONDS);
                }
                await(Duration.ofSeconds(60), "every download under way", () -> {
                    for (JsonNode t : torrents()) {
                        if (t.get("percentDone").asDouble() < 0.1) {
                            return false;
                        }
                    }
                    return true;
                });
                call("torrent-stop", Map.of("ids", List.of(3)));
                // the state file is saved within seconds of a change: wait for it to hold the stop
                await(Duration.ofSeconds(20), "the state saved", () -> {
                    if (!Files.exists(tmp.resolve("config/state.json"))) {
                        return false;
                    }
                    JsonNode state = RpcClient.JSON.readTree(tmp.resolve("config/state.json").toFile());
                    for (JsonNode t : state.get("torrents")) {
                        if (t.get("id").asInt() == 3) {
                            return t.get("paused").asBoolean();
                        }
                    }
                    return false;
                });
                assertThat(torrents()).allMatch(t -> t.get("percentDone").asDouble() < 1.0);
            } finally {
                first.destroyForcibly(); // SIGKILL
                first.waitFor(10, TimeUnit.SECONDS);
            }

            Process second = startDaemon(peerPort);
            try {
                JsonNode back = torrents();
                assertThat(back).hasSize(3);
                for (int i = 0; i < 3; i++) {
                    JsonNode t = back.get(i);
                    assertThat(t.get("id").asInt()).isEqualTo(i + 1);
                    assertThat(t.get("name").asText()).isEqualTo("file" + i + ".bin");
                    assertThat(t.get("hashString").asText()).isEqualTo(ms.get(i).infoHash().hex());
                }
                await(Duration.ofSeconds(30), "the stopped torrent still stopped after the data check", () ->
                        torrents().get(2).get("status").asInt() == 0);
                for (TorrentHandle h : seeds) {
                    h.addPeer(new InetSocketAddress("127.0.0.1", peerPort)).get(5, TimeUnit.SECONDS);
                }
                await(Duration.ofSeconds(90), "the two running torrents to complete", () ->
                        torrents().get(0).get("percentDone").asDouble() == 1.0 && torrents().get(1).get("percentDone").asDouble() == 1.0);
                assertThat(torrents().get(2).get("status").asInt()).isZero();
                call("torrent-start", Map.of("ids", List.of(3)));
                seeds.get(2).addPeer(new InetSocketAddress("127.0.0.1", peerPort)).get(5, TimeUnit.SECONDS);
                await(Duration.ofSeconds(90), "the third to complete", () -> torrents().get(2).get("percentDone").asDouble() == 1.0);
            } finally {
                second.destroy(); // SIGTERM: a clean stop
                second.waitFor(30, TimeUnit.SECONDS);
                if (second.isAlive()) {
                    second.destroyForcibly();
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            assertThat(Files.mismatch(seedDir.resolve("file" + i + ".bin"), tmp.resolve("downloads/file" + i + ".bin"))).isEqualTo(-1L);
        }
    }
}
