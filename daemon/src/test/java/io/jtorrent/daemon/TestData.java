package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.TorrentBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.function.BooleanSupplier;

/** Random files, their torrents, bounded waits and tree comparison for the daemon's tests. */
final class TestData {
    private TestData() {}

    /** {@code dir/name/} with files of the given sizes; returns the .torrent's bytes. */
    static byte[] torrent(Path dir, String name, long seed, int pieceLength, int... sizes) throws Exception {
        Path root = Files.createDirectories(dir.resolve(name));
        Random r = new Random(seed);
        for (int i = 0; i < sizes.length; i++) {
            byte[] b = new byte[sizes[i]];
            r.nextBytes(b);
            Path f = root.resolve(i % 2 == 0 ? "part" + i + ".bin" : "sub/part" + i + ".bin");
            Files.createDirectories(f.getParent());
            Files.write(f, b);
        }
        return TorrentBuilder.from(root).pieceLength(pieceLength).creationDate(null).build().bytes();
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    static void assertSameTree(Path expected, Path actual) throws IOException {
        try (var files = Files.walk(expected)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path other = actual.resolve(expected.relativize(f).toString());
                assertThat(other).exists();
                assertThat(Files.mismatch(f, other)).as("first difference in " + other).isEqualTo(-1L);
            }
        }
    }
}
