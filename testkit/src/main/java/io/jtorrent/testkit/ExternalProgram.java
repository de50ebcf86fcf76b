package io.jtorrent.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the reference programs interop tests compare against (mktorrent, libtorrent's Python
 * bindings, Transmission, aria2, ...): every run has a timeout, and a program that outlives it is
 * killed by its PID, with its children.
 *
 * <p>A missing program fails the test under CI (where {@code .ci/run} must have installed it) and
 * skips it elsewhere, with a message naming the Debian package.
 */
public final class ExternalProgram {
    /** Debian's Python, which has the {@code libtorrent} module from {@code python3-libtorrent}. */
    public static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    private ExternalProgram() {}

    /** What a finished program printed and returned. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** This result, after asserting the program exited 0. */
        public Result assertSuccess() {
            Assertions.assertEquals(0, exitCode, () -> "exit code " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
            return this;
        }
    }

    /** The program on PATH, or the test is failed (CI) or skipped (elsewhere). */
    public static Path require(String program, String debianPackage) {
        Optional<Path> found = find(program);
        if (found.isEmpty()) {
            missing(program + " (Debian package " + debianPackage + ")");
        }
        return found.get();
    }

    /** A file a Debian package installs (not a program: data, say), or the test is failed (CI) or skipped. */
    public static Path requireFile(Path file, String debianPackage) {
        if (!Files.exists(file)) {
            missing(file + " (Debian package " + debianPackage + ")");
        }
        return file;
    }

    /** Debian's python3 with the libtorrent module, or the test is failed (CI) or skipped. */
    public static Path requireLibtorrentPython() {
        if (Files.isExecutable(DEBIAN_PYTHON)) {
            try {
                if (run(Duration.ofSeconds(30), null, DEBIAN_PYTHON.toString(), "-c", "import libtorrent").exitCode() == 0) {
                    return DEBIAN_PYTHON;
                }
            } catch (IOException e) {
                // reported as missing below
            }
        }
        missing("libtorrent's Python bindings for " + DEBIAN_PYTHON + " (Debian package python3-libtorrent)");
        return DEBIAN_PYTHON;
    }

    /**
     * Makes a torrent of {@code data} with libtorrent's own {@code create_torrent} into {@code out}:
     * {@code kind} "v2" or "hybrid"; returns its v1 and v2 info-hashes in hex ("-" for none).
     */
    public static String[] libtorrentCreate(Path data, String kind, long pieceLength, Path out) throws IOException {
        Path python = requireLibtorrentPython();
        Path script = Files.createTempFile("libtorrent_create", ".py");
        try (var in = ExternalProgram.class.getResourceAsStream("libtorrent_create.py")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            return run(Duration.ofSeconds(120), null, python.toString(), script.toString(), data.toString(), kind,
                    Long.toString(pieceLength), out.toString()).assertSuccess().stdout().trim().split(" ");
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static void missing(String what) {
        String message = what + " is not installed";
        if (System.getenv("CI") != null) {
            Assertions.fail(message + ": .ci/run must install it");
        }
        Assumptions.abort(message + "; skipping (run .ci/run, or apt-get install it, to include this test)");
    }

    public static Optional<Path> find(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs a command to completion within {@code timeout}; past it, the process and its
     * descendants are killed by PID and an {@link AssertionError} is thrown.
     */
    public static Result run(Duration timeout, Path workingDirectory, String... command) throws IOException {
        return run(timeout, workingDirectory, List.of(command));
    }

    public static Result run(Duration timeout, Path workingDirectory, List<String> command) throws IOException {
        Path out = Files.createTempFile("jtorrent-ext", ".out");
        Path err = Files.createTempFile("jtorrent-ext", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (workingDirectory != null) {
                pb.directory(workingDirectory.toFile());
            }
            Process p = pb.start();
            boolean finished;
            try {
                finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = false;
            }
            if (!finished) {
                kill(p);
                throw new AssertionError(command.get(0) + " (pid " + p.pid() + ") did not finish within " + timeout
                        + "; killed. stderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Waits (bounded) until {@code process} accepts TCP connections on 127.0.0.1:{@code port}; if it
     * dies or the time runs out, kills it and throws with its log.
     */
    public static void awaitListening(Process process, int port, Duration timeout, Path log) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    kill(process);
                    throw new IOException(process.info().command().orElse("process") + " did not listen on port " + port
                            + " within " + timeout + ": " + Files.readString(log, StandardCharsets.UTF_8));
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
    }

    /** Kills a process and its descendants by PID, waiting a bounded time for them to go. */
    public static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
