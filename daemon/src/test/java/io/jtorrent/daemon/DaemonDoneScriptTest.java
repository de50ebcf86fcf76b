package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.TorrentHandle;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.testkit.ExternalProgram;
import io.jtorrent.testkit.RpcClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transmission's script-torrent-done: set by the stock transmission-remote
 * ({@code --torrent-done-script}), run when a torrent completes with the TR_* environment — but
 * only a program inside the daemon's --script-dir: a daemon started without one runs nothing, and
 * a path outside it (or a link leading out) is refused, so the RPC cannot make it run anything else.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DaemonDoneScriptTest {
    @TempDir
    Path tmp;

    private Daemon.Options options(Path scriptDir) {
        return new Daemon.Options(tmp.resolve("config"), tmp.resolve("downloads"), null, "127.0.0.1", 0, null,
                Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()),
                new Daemon.Security(List.of(), null, List.of(), Duration.ofSeconds(30), scriptDir));
    }

    @Test
    void theDoneScriptRunsWithTransmissionsEnvironmentAndOnlyFromTheScriptDir() throws Exception {
        Path remote = ExternalProgram.require("transmission-remote", "transmission-cli");
        Path scripts = Files.createDirectories(tmp.resolve("scripts"));
        Path done = scripts.resolve("done.sh");
        Files.writeString(done, "#!/bin/sh\nprintf '%s\\n%s\\n%s\\n%s\\n' \"$TR_TORRENT_NAME\" \"$TR_TORRENT_HASH\" "
                + "\"$TR_TORRENT_DIR\" \"$TR_TORRENT_ID\" > \"" + tmp.resolve("ran.txt") + ".tmp\" && mv \""
                + tmp.resolve("ran.txt") + ".tmp\" \"" + tmp.resolve("ran.txt") + "\"\n");
        Files.setPosixFilePermissions(done, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(scripts.resolve("escape.sh"), Path.of("/bin/sh"));

        try (Daemon d = Daemon.start(options(null))) {
            JsonNode r = new RpcClient(d.rpcPort(), null).call("session-set", Map.of("script-torrent-done-filename", done.toString()));
            assertThat(r.get("result").asText()).as("no --script-dir: nothing may run").contains("--script-dir");
        }

        Path seedDir = tmp.resolve("seed");
        Metainfo m = Metainfo.parse(TestData.torrent(seedDir, "album", 6, 16384, 200_000));
        try (Session seeder = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build());
             Daemon d = Daemon.start(options(scripts))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            for (String outside : List.of("/bin/sh", scripts.resolve("escape.sh").toString(), scripts.resolve("../x").toString())) {
                assertThat(rpc.call("session-set", Map.of("script-torrent-done-filename", outside)).get("result").asText())
                        .as(outside).contains("script-torrent-done-filename");
            }
            ExternalProgram.run(Duration.ofSeconds(30), tmp, remote.toString(), "127.0.0.1:" + d.rpcPort(),
                    "--torrent-done-script", done.toString()).assertSuccess();
            JsonNode s = rpc.call("session-get", Map.of()).get("arguments");
            assertThat(s.get("script-torrent-done-enabled").asBoolean()).isTrue();
            assertThat(s.get("script-torrent-done-filename").asText()).isEqualTo(done.toRealPath().toString());

            TorrentHandle seed = seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(m.toTorrentFile())));
            seed.addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);
            TestData.await(Duration.ofSeconds(60), "the done script's run", () -> Files.exists(tmp.resolve("ran.txt")));
        }
        assertThat(Files.readAllLines(tmp.resolve("ran.txt")))
                .containsExactly("album", m.infoHash().hex(), tmp.resolve("downloads").toString(), "1");
    }
}
