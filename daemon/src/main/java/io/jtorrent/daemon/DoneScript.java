package io.jtorrent.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transmission's {@code script-torrent-done}: a program run when a torrent completes, with
 * Transmission's {@code TR_*} environment. The RPC may name only an executable file inside the
 * {@code --script-dir} directory given when the daemon started (links resolved), so whoever holds
 * the RPC cannot make the daemon run anything else; without that option it can name none. Each
 * run is bounded: at most {@link #MAX_RUNNING} at once, {@link #TIMEOUT_MINUTES} minutes each (then
 * it is killed by its PID), its output discarded.
 */
final class DoneScript {
    static final int MAX_RUNNING = 4;
    static final long TIMEOUT_MINUTES = 10;
    private static final Logger LOG = LoggerFactory.getLogger(DoneScript.class);
    private static final AtomicInteger RUNNING = new AtomicInteger();

    private DoneScript() {}

    /** The script's real path if it is an executable file inside the script directory; else an error naming the argument. */
    static Path confine(Daemon d, String requested) {
        Path dir = d.options.security().scriptDir();
        if (dir == null) {
            throw new RpcException("script-torrent-done-filename: this daemon runs no scripts (start it with --script-dir DIR)");
        }
        try {
            Path real = Path.of(requested).toRealPath();
            Path root = dir.toRealPath();
            if (!real.startsWith(root) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) || !Files.isExecutable(real)) {
                throw new RpcException("script-torrent-done-filename: must be an executable file inside " + root);
            }
            return real;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new RpcException("script-torrent-done-filename: no such file inside the script directory");
        }
    }

    /** Runs the done script for {@code t}, if one is set and still allowed; never waits for it. */
    static void run(Daemon d, ManagedTorrent t) {
        DaemonState s = d.state;
        if (!s.scriptTorrentDoneEnabled || s.scriptTorrentDoneFilename == null) {
            return;
        }
        Path script;
        try {
            script = confine(d, s.scriptTorrentDoneFilename); // again: the file may have changed since
        } catch (RpcException e) {
            LOG.warn("{}: done script not run: {}", t.hash(), e.getMessage());
            return;
        }
        if (RUNNING.incrementAndGet() > MAX_RUNNING) {
            RUNNING.decrementAndGet();
            LOG.warn("{}: done script not run: {} already running", t.hash(), MAX_RUNNING);
            return;
        }
        TorrentRecord r = t.record;
        ProcessBuilder pb = new ProcessBuilder(script.toString()).directory(script.getParent().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("TR_APP_VERSION", "4.0.0");
        env.put("TR_TIME_LOCALTIME", java.time.ZonedDateTime.now().format(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME));
        env.put("TR_TORRENT_DIR", r.dataDir());
        env.put("TR_TORRENT_HASH", r.infoHash);
        env.put("TR_TORRENT_ID", Integer.toString(r.id));
        env.put("TR_TORRENT_NAME", t.last != null ? t.last.name() : t.handle.metainfo() != null ? t.handle.metainfo().info().name() : r.infoHash);
        env.put("TR_TORRENT_LABELS", String.join(",", r.labels));
        env.put("TR_TORRENT_BYTES_DOWNLOADED", Long.toString(t.last == null ? 0 : t.last.downloaded()));
        env.put("TR_TORRENT_TRACKERS", String.join(",", TrackerLists.current(r, t.handle.metainfo()).stream()
                .flatMap(java.util.List::stream).toList()));
        try {
            Process p = pb.start();
            LOG.info("{}: done script {} started (pid {}) at {}", t.hash(), script, p.pid(), Instant.now());
            p.onExit().orTimeout(TIMEOUT_MINUTES, TimeUnit.MINUTES).whenComplete((x, e) -> {
                if (e != null) {
                    p.destroyForcibly();
                    LOG.warn("{}: done script killed after {} minutes", t.hash(), TIMEOUT_MINUTES);
                }
                RUNNING.decrementAndGet();
            });
        } catch (IOException e) {
            RUNNING.decrementAndGet();
            LOG.warn("{}: done script {} could not start: {}", t.hash(), script, e.getMessage());
        }
    }
}
