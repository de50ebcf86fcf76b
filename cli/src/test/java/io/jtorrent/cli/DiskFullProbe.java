package io.jtorrent.cli;

import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.TorrentHandle;
import io.jtorrent.engine.TorrentState;
import io.jtorrent.engine.TorrentStatus;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.TorrentBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link DiskFullTest} inside a mount namespace where {@code args[1]} is a 10 MiB tmpfs:
 * downloads an 8 MiB torrent there while a 4 MiB file takes part of the space. The CLI must stop
 * with a clear error and a non-zero status, and a rerun once space is freed must finish; a session's
 * torrent stopped by the full disk must finish after {@code resume()}. Prints "disk-full ok".
 */
public final class DiskFullProbe {
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path small = Path.of(args[1]);
        Path seedDir = Files.createDirectories(work.resolve("seed"));
        byte[] data = new byte[8 << 20];
        new Random(9).nextBytes(data);
        Files.write(seedDir.resolve("big.bin"), data);
        Path torrentFile = work.resolve("big.torrent");
        Files.write(torrentFile, TorrentBuilder.from(seedDir.resolve("big.bin")).pieceLength(65536).build().bytes());
        Metainfo m = Metainfo.read(torrentFile);
        Path filler = small.resolve("filler");
        try (Session seed = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build())) {
            seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            String peer = "127.0.0.1:" + seed.listenPort();

            // the command line: a clear error and a non-zero status, then a rerun that resumes
            Files.write(filler, new byte[4 << 20]);
            String[] download = {"download", torrentFile.toString(), "-d", small.resolve("cli").toString(), "--port", "0",
                    "--no-dht", "--bind", "127.0.0.1", "--peer", peer};
            Cli full = Cli.run(download);
            check(full.status() != 0, "the CLI exited " + full.status() + " on a full disk: " + full.err());
            check(full.err().contains("No space left on device"), "no clear error: " + full.err());
            Files.delete(filler);
            Cli again = Cli.run(download);
            check(again.status() == 0, "the rerun failed: " + again.err());
            check(Files.mismatch(seedDir.resolve("big.bin"), small.resolve("cli/big.bin")) == -1, "the rerun's data differs");
            Files.delete(small.resolve("cli/big.bin"));

            // a session (what the daemon runs): the torrent stops with the error, resume() finishes it
            Files.write(filler, new byte[4 << 20]);
            try (Session leech = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build())) {
                TorrentHandle h = leech.add(AddTorrentParams.builder(m, small.resolve("session"))
                        .peer(new InetSocketAddress("127.0.0.1", seed.listenPort())).build()).get(30, TimeUnit.SECONDS);
                TorrentStatus s = await(h, TorrentState.ERROR);
                check(s.error().orElse("").contains("No space left on device"), "no clear error: " + s.error());
                check(s.piecesHave() < m.info().pieceCount(), "complete on a full disk?");
                System.out.println("stopped with: " + s.error().orElse("") + " at " + s.piecesHave() + " pieces");
                Files.delete(filler);
                h.resume().get(10, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!(s = h.status().get(10, TimeUnit.SECONDS)).isFinished()) {
                    check(System.nanoTime() < deadline, "not finished after resume: " + s);
                    Thread.sleep(100);
                }
                check(Files.mismatch(seedDir.resolve("big.bin"), small.resolve("session/big.bin")) == -1, "the data differs");
            }
        }
        System.out.println("disk-full ok");
        System.exit(0);
    }

    private static TorrentStatus await(TorrentHandle h, TorrentState state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            TorrentStatus s = h.status().get(10, TimeUnit.SECONDS);
            if (s.state() == state) {
                return s;
            }
            check(System.nanoTime() < deadline, "no " + state + " within 60 s: " + s);
            Thread.sleep(50);
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            System.out.println("FAILED: " + message);
            System.exit(1);
        }
    }
}
