package io.jtorrent.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * opentracker (Debian's build) on 127.0.0.1 for a test: HTTP and UDP on one free port, a
 * whitelist of the info-hashes the test uses (Debian's build refuses all others), stopped by PID.
 */
public final class Opentracker implements AutoCloseable {
    private final Process process;
    private final int port;

    private Opentracker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts it in {@code dir} (its chroot), allowing the given hex info-hashes. */
    public static Opentracker start(Path dir, List<String> hexInfoHashes) throws IOException {
        Path binary = ExternalProgram.require("opentracker", "opentracker");
        Files.createDirectories(dir);
        Files.write(dir.resolve("whitelist.txt"), hexInfoHashes);
        int port = ReferencePeer.freePort();
        // paths inside the config are relative to tracker.rootdir, where it chroots
        Files.writeString(dir.resolve("opentracker.conf"), String.join("\n",
                "listen.tcp 127.0.0.1:" + port, "listen.udp 127.0.0.1:" + port,
                "access.whitelist whitelist.txt", "tracker.rootdir " + dir.toAbsolutePath(), ""));
        Process p = new ProcessBuilder(binary.toString(), "-f", dir.resolve("opentracker.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("opentracker.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        ExternalProgram.awaitListening(p, port, java.time.Duration.ofSeconds(10), dir.resolve("opentracker.log"));
        return new Opentracker(p, port);
    }

    public String announceUrl() {
        return "http://127.0.0.1:" + port + "/announce";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        ExternalProgram.kill(process);
    }
}
