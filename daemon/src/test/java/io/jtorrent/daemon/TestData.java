package io.jtorrent.daemon;


import io.jtorrent.metainfo.TorrentBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.function.BooleanSupplier;

/** Random files, their torrents, bounded waits and tree comparison for the daemon's tests. */
final class TestData {
    private TestData() {}

    /** {@code dir/name/} with files of the given sizes; returns the .torrent's bytes. */
    static byte[] torrent(Path dir, String name, long seed, int pieceLength, int... sizes) throws Exception {
        Path root = io.jtorrent.testkit.Trees.randomFiles(dir.resolve(name), "part", seed, sizes);
        return TorrentBuilder.from(root).pieceLength(pieceLength).creationDate(null).build().bytes();
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        io.jtorrent.testkit.Await.until(timeout, what, condition::getAsBoolean);
    }

    static void assertSameTree(Path expected, Path actual) throws IOException {
        io.jtorrent.testkit.Trees.assertSame(expected, actual);
    }
}
