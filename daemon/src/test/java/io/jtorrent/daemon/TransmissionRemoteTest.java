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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stock {@code transmission-remote} (Debian's transmission-cli) drives the daemon as a user
 * would: add a torrent file and a magnet link, list, stop, start, verify, remove with data,
 * session info and stats; the downloads complete from a seeder on 127.0.0.1.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TransmissionRemoteTest {
    @TempDir
    Path tmp;
    private Path remote;
    private int rpcPort;

    private String run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(remote.toString(), "127.0.0.1:" + rpcPort));
        cmd.addAll(List.of(args));
        ExternalProgram.Result r = ExternalProgram.run(Duration.ofSeconds(30), tmp, cmd.toArray(String[]::new));
        assertThat(r.exitCode()).as(String.join(" ", cmd) + "\n" + r.stdout() + r.stderr()).isZero();
        return r.stdout();
    }

    /** The -l line of the torrent named {@code name}. */
    private String line(String list, String name) {
        return list.lines().filter(l -> l.endsWith(" " + name)).findFirst().orElse("");
    }

    @Test
    void transmissionRemoteDrivesTheDaemon() throws Exception {
        remote = ExternalProgram.require("transmission-remote", "transmission-cli");
        Path seedDir = tmp.resolve("seed");
        Path albumTorrent = Files.write(tmp.resolve("album.torrent"), TestData.torrent(seedDir, "album", 1, 16384, 300_000, 5_000, 700_000));
        Metainfo album = Metainfo.read(albumTorrent);
        Metainfo video = Metainfo.parse(TestData.torrent(seedDir, "video", 2, 32768, 1_500_000));
        Path downloads = tmp.resolve("downloads");
        try (Session seeder = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build());
             Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            rpcPort = d.rpcPort();
            TorrentHandle seedAlbum = seeder.add(AddTorrentParams.builder(album, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            seeder.add(AddTorrentParams.builder(video, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);

            assertThat(run("-a", albumTorrent.toString())).contains("success");
            seedAlbum.addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);
            String magnet = "magnet:?xt=urn:btih:" + video.infoHash().hex() + "&dn=video&x.pe=127.0.0.1:" + seeder.listenPort();
            assertThat(run("-a", magnet)).contains("success");

            TestData.await(Duration.ofSeconds(60), "both downloads at 100% in -l", () -> {
                try {
                    String l = run("-l");
                    return line(l, "album").contains("100%") && line(l, "video").contains("100%");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            TestData.assertSameTree(seedDir.resolve("album"), downloads.resolve("album"));
            TestData.assertSameTree(seedDir.resolve("video"), downloads.resolve("video"));
            String list = run("-l");
            assertThat(list).contains("ID", "Done", "Name", "Sum:");
            assertThat(line(list, "album")).contains("1.00 MB").contains("Done");

            String info = run("-si");
            assertThat(info).contains("RPC version: 18", "Download directory: " + downloads.toAbsolutePath(), "Listenport: " + d.peerPort());
            String stats = run("-st");
            assertThat(stats).contains("CURRENT SESSION", "TOTAL", "Downloaded:");

            int albumId = 1;
            run("-t", Integer.toString(albumId), "-S");
            TestData.await(Duration.ofSeconds(10), "album stopped", () -> {
                try {
                    return line(run("-l"), "album").contains("Stopped");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            run("-t", Integer.toString(albumId), "-s");
            TestData.await(Duration.ofSeconds(10), "album started", () -> {
                try {
                    String l = line(run("-l"), "album");
                    return !l.contains("Stopped") && l.contains("100%");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            // verify: the data is checked again and still complete
            Files.write(downloads.resolve("album/part0.bin"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.WRITE);
            run("-t", Integer.toString(albumId), "-v");
            TestData.await(Duration.ofSeconds(30), "the damaged album found incomplete", () -> {
                try {
                    return !line(run("-l"), "album").contains("100%");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            TestData.await(Duration.ofSeconds(60), "the album repaired from the seeder", () -> {
                try {
                    return line(run("-l"), "album").contains("100%");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            TestData.assertSameTree(seedDir.resolve("album"), downloads.resolve("album"));

            // bandwidth priority and session limits, as transmission-remote sets them
            run("-t", "1", "-Bh", "-HL");
            JsonNode prio = new RpcClient(d.rpcPort(), null).call("torrent-get", Map.of("ids", List.of(1),
                    "fields", List.of("bandwidthPriority", "honorsSessionLimits"))).get("arguments").get("torrents").get(0);
            assertThat(prio.get("bandwidthPriority").asInt()).isEqualTo(1);
            assertThat(prio.get("honorsSessionLimits").asBoolean()).isFalse();
            run("-t", "1", "-Bn", "-hl");

            String details = run("-t", "2", "-i");
            assertThat(details).contains("Name: video", "Hash: " + video.infoHash().hex(), "Percent Done: 100%");
            assertThat(run("-t", "1", "-f")).contains("part0.bin", "sub/part1.bin");

            run("-t", "2", "--remove-and-delete");
            TestData.await(Duration.ofSeconds(10), "video gone with its data", () -> {
                try {
                    return line(run("-l"), "video").isEmpty() && !Files.exists(downloads.resolve("video/part0.bin"));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(line(run("-l"), "album")).contains("100%");
        }
    }
}
