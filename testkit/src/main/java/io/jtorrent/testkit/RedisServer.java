package io.jtorrent.testkit;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** redis-server (Debian's package) for a test: 127.0.0.1, a free port, no persistence, stopped by PID. */
public final class RedisServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RedisServer start(Path dir) throws IOException, InterruptedException {
        Path binary = ExternalProgram.require("redis-server", "redis-server");
        Files.createDirectories(dir);
        int port = ReferencePeer.freePort();
        Process p = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        RedisServer r = new RedisServer(p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return r;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    r.close();
                    throw new IOException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        ExternalProgram.kill(process);
    }
}
