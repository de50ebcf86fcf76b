package io.jtorrent.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project and its shared test material are, from any module's tests. */
public final class ProjectPaths {
    private ProjectPaths() {}

    /** The repository root (set by the parent POM's Surefire configuration). */
    public static Path root() {
        String configured = System.getProperty("jtorrent.root");
        Path p = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("jtorrent"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the project root (no ./jtorrent launcher above "
                    + Path.of("").toAbsolutePath() + ")");
        }
        return p.toAbsolutePath();
    }

    /**
     * {@code ../shared} beside the checkout: the team's shared test data (the system property
     * {@code jtorrent.shared} names another place).
     */
    public static Path shared() {
        String configured = System.getProperty("jtorrent.shared");
        return configured != null ? Path.of(configured) : root().resolveSibling("shared");
    }

    /**
     * libtorrent's parser test corpus. A clone without {@code ../shared} (a user's) has none: the
     * tests that need it are skipped with a message saying so, instead of failing.
     */
    public static Path torrentCorpus() {
        Path corpus = shared().resolve("testdata").resolve("torrents");
        if (!Files.isRegularFile(corpus.resolve("EXPECTATIONS.tsv"))) {
            org.junit.jupiter.api.Assumptions.abort("libtorrent's torrent corpus is not at " + corpus
                    + " (it lives in the team's ../shared, beside the checkout); skipping the corpus tests");
        }
        return corpus;
    }
}
