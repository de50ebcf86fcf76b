package io.jtorrent.daemon;

import io.jtorrent.metainfo.Metainfo;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --watch-dir}: every few seconds, each {@code .torrent} file in the directory is added
 * (then renamed {@code .torrent.added}, as Transmission does, so it is added once); a file that is
 * not a valid torrent is renamed {@code .torrent.invalid} with the reason logged.
 */
final class WatchDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WatchDirectory.class);

    private final Daemon daemon;
    private final Path dir;
    private final java.util.concurrent.ScheduledFuture<?> task;

    WatchDirectory(Daemon daemon, Path dir) throws IOException {
        this.daemon = daemon;
        this.dir = Files.createDirectories(dir);
        this.task = daemon.executor.scheduleWithFixedDelay(() -> daemon.io.execute(this::scan), 1, 3, TimeUnit.SECONDS);
    }

    private void scan() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.torrent")) {
            for (Path f : files) {
                try {
                    take(f);
                } catch (IOException e) {
                    // this file only: the others are still taken, and it is tried again next scan
                    LOG.warn("watch dir: {}: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("watch dir {}: {}", dir, e.getMessage());
        }
    }

    private void take(Path f) throws IOException {
        if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return; // a directory or a link named *.torrent: not ours to read
        }
        Metainfo m;
        try {
            m = Metainfo.read(f);
        } catch (Exception e) {
            LOG.warn("watch dir: {} is not a valid torrent: {}", f, e.getMessage());
            moveAside(f, ".invalid");
            return;
        }
        moveAside(f, ".added");
        daemon.onDaemonThread(() -> daemon.add(new Daemon.AddRequest(m, null, null, null, null, null, null, null, null)))
                .whenComplete((a, e) -> {
                    if (e != null) {
                        LOG.warn("watch dir: adding {}: {}", f, e.getMessage());
                    }
                });
    }

    /** Renames {@code f} to {@code NAME.suffix}, or {@code NAME.N.suffix} when that is taken (a file added twice). */
    static Path moveAside(Path f, String suffix) throws IOException {
        String name = f.getFileName().toString();
        for (int i = 0; i < 1000; i++) {
            Path to = f.resolveSibling(i == 0 ? name + suffix : name + "." + i + suffix);
            try {
                return Files.move(f, to);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // the next number
            }
        }
        throw new IOException("no free name for " + name + suffix + " (1,000 taken)");
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
