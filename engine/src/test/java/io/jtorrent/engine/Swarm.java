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

    static void assertSameTree(Path expected, Path actual) throws IOException {
        io.jtorrent.testkit.Trees.assertSame(expected, actual);
    }
}
