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
                Metainfo m;
                try {
                    m = Metainfo.read(f);
                } catch (Exception e) {
                    LOG.warn("watch dir: {} is not a valid torrent: {}", f, e.getMessage());
                    Files.move(f, f.resolveSibling(f.getFileName() + ".invalid"));
                    continue;
                }
                Files.move(f, f.resolveSibling(f.getFileName() + ".added"));
                daemon.onDaemonThread(() -> daemon.add(new Daemon.AddRequest(m, null, null, null, null, null, null, null, null)))
                        .whenComplete((a, e) -> {
                            if (e != null) {
                                LOG.warn("watch dir: adding {}: {}", f, e.getMessage());
                            }
                        });
            }
        } catch (IOException e) {
            LOG.warn("watch dir {}: {}", dir, e.getMessage());
        }
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
