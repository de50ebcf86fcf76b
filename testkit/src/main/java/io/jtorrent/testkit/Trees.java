package io.jtorrent.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

/** Directory trees in tests: random files to share, and byte-for-byte comparison of what arrived. */
public final class Trees {
    private Trees() {
    }

    /** Fails unless every regular file under {@code expected} is under {@code actual} with the same bytes. */
    public static void assertSame(Path expected, Path actual) throws IOException {
        try (Stream<Path> files = Files.walk(expected)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path other = actual.resolve(expected.relativize(f).toString());
                if (!Files.exists(other)) {
                    throw new AssertionError(other + " is missing");
                }
                long mismatch = Files.mismatch(f, other);
                if (mismatch != -1) {
                    throw new AssertionError(other + " differs from " + f + " at byte " + mismatch);
                }
            }
        }
    }

    /**
     * Writes {@code dir} with files of the given sizes and seeded random bytes: {@code NAMEi.bin}, the
     * odd ones in a subdirectory {@code sub/} (so trees have depth). Returns {@code dir}.
     */
    public static Path randomFiles(Path dir, String name, long seed, int... sizes) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(seed);
        for (int i = 0; i < sizes.length; i++) {
            byte[] b = new byte[sizes[i]];
            r.nextBytes(b);
            Path f = dir.resolve(i % 2 == 0 ? name + i + ".bin" : "sub/" + name + i + ".bin");
            Files.createDirectories(f.getParent());
            Files.write(f, b);
        }
        return dir;
    }
}
