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

    /** {@code ../shared} beside the checkout: the team's shared test data. */
    public static Path shared() {
        return root().resolveSibling("shared");
    }

    /** libtorrent's parser test corpus. */
    public static Path torrentCorpus() {
        return shared().resolve("testdata").resolve("torrents");
    }
}
