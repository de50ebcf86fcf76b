package io.jtorrent.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * nginx (Debian's package) serving a directory on 127.0.0.1 for a test, as a web seed would:
 * range requests, keep-alive, no logs outside {@code workDir}; one process, stopped by PID.
 */
public final class Nginx implements AutoCloseable {
    private final Process process;
    private final int port;

    private Nginx(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Serves {@code root} on a free port of 127.0.0.1. */
    public static Nginx serve(Path root, Path workDir) throws IOException {
        Path sbin = Path.of("/usr/sbin/nginx");
        Path binary = Files.isExecutable(sbin) ? sbin : ExternalProgram.require("nginx", "nginx-light");
        Files.createDirectories(workDir);
        int port = ReferencePeer.freePort();
        String w = workDir.toAbsolutePath().toString();
        Files.writeString(workDir.resolve("nginx.conf"), String.join("\n",
                "daemon off;", "master_process off;", "worker_processes 1;", "pid " + w + "/nginx.pid;",
                "error_log " + w + "/error.log warn;",
                "events { worker_connections 256; }",
                "http {",
                "  access_log " + w + "/access.log;",
                "  client_body_temp_path " + w + "/body; proxy_temp_path " + w + "/proxy;",
                "  fastcgi_temp_path " + w + "/fastcgi; uwsgi_temp_path " + w + "/uwsgi; scgi_temp_path " + w + "/scgi;",
                "  types { application/octet-stream bin; }",
                "  server { listen 127.0.0.1:" + port + "; root " + root.toAbsolutePath() + "; }",
                "}", ""));
        Process p = new ProcessBuilder(binary.toString(), "-e", w + "/error.log", "-p", w, "-c", w + "/nginx.conf")
                .redirectErrorStream(true).redirectOutput(workDir.resolve("nginx.out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        ExternalProgram.awaitListening(p, port, java.time.Duration.ofSeconds(10), workDir.resolve("error.log"));
        return new Nginx(p, port);
    }

    /** The server's base URL, ending with a slash. */
    public String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        ExternalProgram.kill(process);
    }
}
