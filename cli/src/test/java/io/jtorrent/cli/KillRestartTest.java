package io.jtorrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.metainfo.Info;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.TorrentBuilder;
import io.jtorrent.storage.FileStorage;
import io.jtorrent.storage.ResumeData;
import io.jtorrent.testkit.ExternalProgram;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download killed with SIGKILL halfway, then restarted: the resume file never claims a piece
 * whose data is not on disk and correct, and the restarted download ends byte-identical.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KillRestartTest {
    @TempDir
    Path tmp;
    private Path lastErr;

    private Process startDownload(Path torrent, Path saveDir, int seedPort, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "download", torrent.toString(), "-d", saveDir.toString(), "--port", "0", "--no-dht", "--bind", "127.0.0.1",
                "--peer", "127.0.0.1:" + seedPort, "--json-progress"));
        cmd.addAll(List.of(extra));
        lastErr = tmp.resolve("download-" + System.nanoTime() + ".err");
        return new ProcessBuilder(cmd).redirectError(lastErr.toFile()).start();
    }

    @Test
    void sigkillHalfwayThenRestart() throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        byte[] data = new byte[12 << 20];
        new Random(5).nextBytes(data);
        Files.write(seedDir.resolve("movie.bin"), data);
        TorrentBuilder.Created t = TorrentBuilder.from(seedDir.resolve("movie.bin")).pieceLength(65536).build();
        Path torrent = Files.write(tmp.resolve("movie.torrent"), t.bytes());
        Metainfo m = t.metainfo();
        Path saveDir = tmp.resolve("download");
        Path resume = saveDir.resolve(".jtorrent").resolve(m.infoHash().hex() + ".resume");

        try (Session seed = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress())
                .uploadLimit(1 << 20).build())) {
            seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);

            // 1. download with frequent resume saves, and kill -9 it once it is past a third
            Process first = startDownload(torrent, saveDir, seed.listenPort(), "--resume-interval", "1");
            try (BufferedReader progress = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                String line;
                while ((line = progress.readLine()) != null) {
                    double p = Double.parseDouble(line.replaceAll(".*\"progress\":([0-9.E-]+).*", "$1"));
                    if (p > 0.35 && Files.exists(resume)) {
                        break;
                    }
                    assertThat(System.nanoTime()).as("progress past a third within 60 s").isLessThan(deadline);
                }
            } finally {
                first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
                first.waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(first.isAlive()).isFalse();

            // 2. every piece the resume file claims is on disk and correct
            ResumeData saved = ResumeData.read(resume, m.info().pieceCount());
            BitSet claimed = saved.verified();
            assertThat(claimed.cardinality()).as("pieces the resume file claims").isPositive()
                    .isLessThan(m.info().pieceCount());
            assertClaimedPiecesCorrect(m.info(), saveDir, claimed);

            // 3. an unverified piece damaged behind our back, mtime kept as recorded: must not be trusted
            int victim = claimed.nextClearBit(0);
            Path file = saveDir.resolve("movie.bin");
            var mtime = Files.getLastModifiedTime(file);
            try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), (long) victim * 65536);
            }
            Files.setLastModifiedTime(file, mtime);

            // 4. restart: it must finish, with the right bytes
            Process second = startDownload(torrent, saveDir, seed.listenPort());
            second.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            boolean done = second.waitFor(120, TimeUnit.SECONDS);
            if (!done) {
                ExternalProgram.kill(second);
            }
            assertThat(done).as("the restarted download finishes").isTrue();
            assertThat(second.exitValue()).as(Files.readString(lastErr)).isZero();
        }
        assertThat(Files.mismatch(seedDir.resolve("movie.bin"), saveDir.resolve("movie.bin"))).isEqualTo(-1L);
    }

    private static void assertClaimedPiecesCorrect(Info info, Path saveDir, BitSet claimed) throws Exception {
        try (FileStorage s = FileStorage.allWanted(info, saveDir)) {
            for (int p = claimed.nextSetBit(0); p >= 0; p = claimed.nextSetBit(p + 1)) {
                ByteBuffer b = ByteBuffer.allocate((int) info.pieceSize(p));
                s.read(p, 0, b);
                assertThat(info.pieceHashEquals(p, MessageDigest.getInstance("SHA-1").digest(b.array())))
                        .as("claimed piece %d is correct on disk", p).isTrue();
            }
        }
    }
}
