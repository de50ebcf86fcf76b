package io.jtorrent.engine;


import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.TorrentBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Helpers for tests that run real sessions on 127.0.0.1. */
final class Swarm {
    private Swarm() {}

    static Settings.Builder loopback() {
        return Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress());
    }

    /** A directory of random files and its torrent. */
    static Metainfo makeData(Path dir, String name, long seed, int pieceLength, int... sizes) throws Exception {
        Path root = io.jtorrent.testkit.Trees.randomFiles(dir.resolve(name), "file", seed, sizes);
        return TorrentBuilder.from(root).pieceLength(pieceLength).build().metainfo();
    }

    /** {@code m} as a .torrent file (its info dictionary's exact bytes) for the reference programs. */
    static Path torrentFile(Metainfo m, Path file) throws java.io.IOException {
        java.nio.file.Files.write(file, m.toTorrentFile());
        return file;
    }

    /** Waits for a condition, polling; fails with {@code what} after {@code timeout}. */
    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        io.jtorrent.testkit.Await.until(timeout, what, condition::getAsBoolean);
    }

    static TorrentStatus status(TorrentHandle h) {
        try {
            return h.status().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Waits, bounded, until the data of {@code m} under {@code saveDir} verifies by hashing (a
     * reference program downloading it), failing with {@code peer}'s log; then compares it with the
     * same torrent under {@code seedDir}.
     */
    static void awaitVerified(Metainfo m, Path seedDir, Path saveDir, io.jtorrent.testkit.ReferencePeer peer, Duration wait)
            throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!io.jtorrent.metainfo.TorrentVerifier.verify(m, saveDir, 2, io.jtorrent.metainfo.PieceHasher.Progress.NONE)
                .complete()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the download into " + saveDir + " did not complete within " + wait + "\n"
                        + peer.logTail());
            }
            Thread.sleep(300);
        }
        assertSameTree(seedDir.resolve(m.info().name()), saveDir.resolve(m.info().name()));
    }

    /**
     * A session with {@code settings} downloads {@code m} from {@code peer} into {@code leechDir}
     * within {@code wait} (a failure shows our status and the peer's log); then the data is
     * compared with the same torrent under {@code seedDir}.
     */
    static void downloadFrom(Settings settings, Metainfo m, Path seedDir, Path leechDir, io.jtorrent.testkit.ReferencePeer peer,
                             Duration wait) throws Exception {
        try (Session s = Session.start(settings)) {
            TorrentHandle h = s.add(AddTorrentParams.builder(m, leechDir)
                    .peer(new java.net.InetSocketAddress("127.0.0.1", peer.peerPort())).build()).get(30, TimeUnit.SECONDS);
            try {
                await(wait, "jtorrent to finish downloading", () -> status(h).isFinished());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " " + status(h) + "\n" + peer.logTail(), e);
            }
        }
        assertSameTree(seedDir.resolve(m.info().name()), leechDir.resolve(m.info().name()));
    }

    static void assertSameTree(Path expected, Path actual) throws IOException {
        io.jtorrent.testkit.Trees.assertSame(expected, actual);
    }
}
