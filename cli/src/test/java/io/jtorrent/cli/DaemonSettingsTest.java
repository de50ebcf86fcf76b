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
 * {@code jtorrent daemon} in its own JVM, configured by a settings.json as transmission-daemon
 * writes it (its salted password included), flags winning over the file, and stopped by SIGTERM
 * while downloading: out within 3 s, status 0 or 143, its state saved.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DaemonSettingsTest {
    /** What transmission-daemon 3.00 wrote into its settings.json for the password "secret". */
    private static final String TRANSMISSION_HASH_OF_SECRET = "{6b9234a9bc15472deee3c7f47f5cc3a916523de4ihBiaF49";

    @TempDir
    Path tmp;
    /** The last started daemon's terminal output (its stdout and stderr). */
    private Path lastLog;

    private Process start(int rpcPort, String auth, String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "daemon",
                "--config-dir", tmp.resolve("config").toString(), "--bind", "127.0.0.1"));
        cmd.addAll(List.of(flags));
        Path log = tmp.resolve("daemon-" + System.nanoTime() + ".log");
        lastLog = log;
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RpcClient rpc = new RpcClient(rpcPort, auth);
        io.jtorrent.testkit.Await.until(Duration.ofSeconds(30), "the daemon answering", () -> {
            assertThat(p.isAlive()).as("the daemon runs; it said: %s", Files.readString(log)).isTrue();
            try {
                return rpc.raw("/transmission/rpc", "POST", "{}", false).statusCode() > 0;
            } catch (java.io.IOException notYet) {
                return false;
            }
        });
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    private static JsonNode session(RpcClient rpc) throws Exception {
        JsonNode a = rpc.call("session-get", Map.of());
        assertThat(a.get("result").asText()).isEqualTo("success");
        return a.get("arguments");
    }

    @Test
    void aTransmissionSettingsFileConfiguresTheDaemonAndFlagsWin() throws Exception {
        int rpcPort = ReferencePeer.freePort();
        int peerPort = ReferencePeer.freePort();
        Path config = Files.createDirectories(tmp.resolve("config"));
        Path downloads = tmp.resolve("dl");
        Files.writeString(config.resolve("settings.json"), "{\n"
                + "    \"dht-enabled\": false,\n"
                + "    \"download-dir\": \"" + downloads + "\",\n"
                + "    \"encryption\": 2,\n"
                + "    \"lpd-enabled\": false,\n"
                + "    \"peer-port\": " + peerPort + ",\n"
                + "    \"peer-socket-tos\": \"default\",\n"
                + "    \"rpc-authentication-required\": true,\n"
                + "    \"rpc-bind-address\": \"127.0.0.1\",\n"
                + "    \"rpc-password\": \"" + TRANSMISSION_HASH_OF_SECRET + "\",\n"
                + "    \"rpc-port\": " + rpcPort + ",\n"
                + "    \"rpc-username\": \"u\",\n"
                + "    \"rpc-whitelist\": \"127.0.0.1,::1\",\n"
                + "    \"rpc-whitelist-enabled\": true,\n"
                + "    \"speed-limit-up\": 123,\n"
                + "    \"speed-limit-up-enabled\": true,\n"
                + "    \"umask\": 18\n"
                + "}\n");
        Process p = start(rpcPort, "u:secret");
        try {
            assertThat(new RpcClient(rpcPort, null).raw("/transmission/rpc", "POST", "{}", false).statusCode())
                    .as("no credentials").isEqualTo(401);
            assertThat(new RpcClient(rpcPort, "u:wrong").raw("/transmission/rpc", "POST", "{}", false).statusCode())
                    .as("a wrong password").isEqualTo(401);
            RpcClient rpc = new RpcClient(rpcPort, "u:secret");
            JsonNode s = session(rpc);
            assertThat(s.get("peer-port").asInt()).isEqualTo(peerPort);
            assertThat(s.get("dht-enabled").asBoolean()).isFalse();
            assertThat(s.get("encryption").asText()).isEqualTo("required");
            assertThat(s.get("download-dir").asText()).isEqualTo(downloads.toString());
            assertThat(s.get("speed-limit-up").asInt()).isEqualTo(123);
            assertThat(rpc.call("session-set", Map.of("alt-speed-up", 9)).get("result").asText()).isEqualTo("success");
        } finally {
            stop(p);
        }
        JsonNode file = RpcClient.JSON.readTree(config.resolve("settings.json").toFile());
        assertThat(file.get("alt-speed-up").asInt()).isEqualTo(9);
        assertThat(file.get("rpc-password").asText()).as("kept as Transmission stored it").isEqualTo(TRANSMISSION_HASH_OF_SECRET);
        assertThat(file.get("peer-socket-tos").asText()).isEqualTo("default");

        // flags win (another encryption, another RPC port); the file's credentials still stand
        int otherRpc = ReferencePeer.freePort();
        Process q = start(otherRpc, "u:secret", "--rpc-port", Integer.toString(otherRpc), "--encryption", "tolerated");
        try {
            JsonNode s = session(new RpcClient(otherRpc, "u:secret"));
            assertThat(s.get("encryption").asText()).isEqualTo("tolerated");
            assertThat(s.get("alt-speed-up").asInt()).as("the file's other settings stand").isEqualTo(9);
        } finally {
            stop(q);
        }
        file = RpcClient.JSON.readTree(config.resolve("settings.json").toFile());
        assertThat(file.get("encryption").asInt()).as("a flag for a setting the RPC changes is written, as Transmission does").isZero();
        assertThat(file.get("rpc-port").asInt()).as("a start-only flag is not").isEqualTo(rpcPort);
    }

    @Test
    void sigtermWhileDownloadingStopsWithinThreeSecondsWithTheStateSaved() throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        Path f = seedDir.resolve("big.bin");
        byte[] data = new byte[4 << 20];
        new Random(7).nextBytes(data);
        Files.write(f, data);
        Metainfo m = TorrentBuilder.from(f).pieceLength(32768).build().metainfo();
        int rpcPort = ReferencePeer.freePort();
        int peerPort = ReferencePeer.freePort();
        try (Session seed = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress())
                .uploadLimit(200_000).build())) {
            TorrentHandle h = seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            Path logFile = tmp.resolve("logs/daemon.log");
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "an earlier run's line\n");
            Process p = start(rpcPort, null, "--rpc-port", Integer.toString(rpcPort), "--port", Integer.toString(peerPort),
                    "--no-dht", "-d", tmp.resolve("downloads").toString(), "--log-level", "debug", "--log-file", logFile.toString());
            try {
                RpcClient rpc = new RpcClient(rpcPort, null);
                rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(m.toTorrentFile())));
                h.addPeer(new InetSocketAddress("127.0.0.1", peerPort)).get(5, TimeUnit.SECONDS);
                io.jtorrent.testkit.Await.until(Duration.ofSeconds(60), "the download under way", () -> {
                    double done = rpc.call("torrent-get", Map.of("fields", List.of("percentDone")))
                            .get("arguments").get("torrents").get(0).get("percentDone").asDouble();
                    return done > 0.05 && done < 0.9;
                });
                long t0 = System.nanoTime();
                p.destroy(); // SIGTERM
                boolean exited = p.waitFor(3, TimeUnit.SECONDS);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertThat(exited).as("out within 3 s of SIGTERM").isTrue();
                assertThat(p.exitValue()).as("exit status (%d ms)", ms).isIn(0, 143);
                String log = Files.readString(logFile);
                assertThat(log).as("appended, not replaced").startsWith("an earlier run's line");
                assertThat(log).as("--log-level debug, dated lines").containsPattern("(?m)^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} .*DEBUG");
                String terminal = Files.readString(lastLog);
                assertThat(terminal).as("the command's own line stays on the terminal").contains("RPC and web UI on");
                assertThat(terminal).as("the log went to the file").doesNotContain("DEBUG");
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            }
        }
        JsonNode state = RpcClient.JSON.readTree(tmp.resolve("config/state.json").toFile());
        assertThat(state.get("torrents")).hasSize(1);
        assertThat(state.get("torrents").get(0).get("infoHash").asText()).isEqualTo(m.infoHash().hex());
        assertThat(state.get("cumulativeDownloaded").asLong()).as("this run's bytes counted at the stop").isPositive();
    }
}
