package io.jtorrent.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** redis-server (Debian's package) for a test: 127.0.0.1, a free port, no persistence, stopped by PID. */
public final class RedisServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RedisServer start(Path dir) throws IOException {
        Path binary = ExternalProgram.require("redis-server", "redis-server");
        Files.createDirectories(dir);
        int port = ReferencePeer.freePort();
        Process p = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        ExternalProgram.awaitListening(p, port, java.time.Duration.ofSeconds(10), dir.resolve("redis.log"));
        return new RedisServer(p, port);
    }

    /** The server's process id (to pause it with SIGSTOP, say). */
    public long pid() {
        return process.pid();
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        ExternalProgram.kill(process);
    }
}
