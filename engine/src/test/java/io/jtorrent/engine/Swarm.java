package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.TorrentBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
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
        Path root = Files.createDirectories(dir.resolve(name));
        Random r = new Random(seed);
        for (int i = 0; i < sizes.length; i++) {
            byte[] b = new byte[sizes[i]];
            r.nextBytes(b);
            Path f = root.resolve(i % 2 == 0 ? "file" + i + ".bin" : "sub/file" + i + ".bin");
            Files.createDirectories(f.getParent());
            Files.write(f, b);
        }
        return TorrentBuilder.from(root).pieceLength(pieceLength).build().metainfo();
    }

    /** Waits for a condition, polling; fails with {@code what} after {@code timeout}. */
    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static TorrentStatus status(TorrentHandle h) {
        try {
            return h.status().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
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
