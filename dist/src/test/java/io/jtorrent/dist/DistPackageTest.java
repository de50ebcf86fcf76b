package io.jtorrent.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtorrent.testkit.Await;
import io.jtorrent.testkit.ExternalProgram;
import io.jtorrent.testkit.ReferencePeer;
import io.jtorrent.testkit.RpcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packages as a user gets them, built by packaging/build-dist.sh from this build's jar: the
 * .deb unpacked into a throwaway root with {@code dpkg-deb -x} (its control data and files
 * checked, {@code jtorrent --version} run through /usr/bin's link, the daemon started from it
 * answering session-get and stopping on SIGTERM within 3 s), its systemd unit accepted by
 * {@code systemd-analyze verify}, and the archive unpacked elsewhere running with no JDK on the PATH
 * (create, info, and a tracker on Linux's native transports answering an announce).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DistPackageTest {
    private static final Path ROOT = Path.of(System.getProperty("jtorrent.root", "..")).toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("jtorrent.version", "0.1.0-SNAPSHOT");

    @TempDir
    static Path out;
    private static Path deb;
    private static Path archive;

    @BeforeAll
    static void build() throws Exception {
        ExternalProgram.require("dpkg-deb", "dpkg");
        Path jar = Path.of(System.getProperty("jtorrent.cliJar", ROOT.resolve("cli/target/jtorrent.jar").toString()));
        assertThat(jar).as("the CLI's jar, built before this module").exists();
        ExternalProgram.Result r = ExternalProgram.run(Duration.ofMinutes(4), ROOT,
                ROOT.resolve("packaging/build-dist.sh").toString(), jar.toString(), VERSION, out.resolve("dist").toString());
        assertThat(r.exitCode()).as("build-dist.sh: %s", r.stderr()).isZero();
        List<String> made = r.stdout().lines().toList();
        archive = Path.of(made.get(0));
        deb = Path.of(made.get(1));
        assertThat(archive).exists().hasFileName("jtorrent-" + VERSION + "-linux-x64.tar.gz");
        assertThat(deb).exists().hasFileName("jtorrent_" + VERSION.replace("-SNAPSHOT", "~snapshot") + "_amd64.deb");
    }

    /** Runs a command with no JDK on the PATH and no JAVA_HOME: the package's own runtime must do. */
    private static ExternalProgram.Result runWithoutJdk(Path dir, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("JTORRENT_JAVA_OPTS");
        Path stdout = Files.createTempFile(out, "out", ".txt");
        Path stderr = Files.createTempFile(out, "err", ".txt");
        Process p = pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
        }
        return new ExternalProgram.Result(p.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    @Test
    void theDebUnpackedRunsItsCommandAndItsDaemon() throws Exception {
        Path root = out.resolve("root");
        assertThat(ExternalProgram.run(Duration.ofMinutes(1), null, "dpkg-deb", "-x", deb.toString(), root.toString()).exitCode()).isZero();
        String control = ExternalProgram.run(Duration.ofMinutes(1), null, "dpkg-deb", "-f", deb.toString()).assertSuccess().stdout();
        assertThat(control).contains("Package: jtorrent", "Architecture: amd64", "Depends: libc6, zlib1g", "Section: net");
        assertThat(root.resolve("usr/bin/jtorrent")).isSymbolicLink();
        assertThat(root.resolve("usr/lib/jtorrent/runtime/bin/java")).isExecutable();
        assertThat(root.resolve("usr/lib/jtorrent/lib/jtorrent.jar")).exists();
        assertThat(root.resolve("usr/share/doc/jtorrent/copyright")).content().contains("License: Expat", "Permission is hereby granted");
        String unit = Files.readString(root.resolve("lib/systemd/system/jtorrent-daemon.service"));
        assertThat(unit).contains("User=jtorrent", "StateDirectory=jtorrent", "ProtectSystem=strict", "SuccessExitStatus=143",
                "ExecStart=/usr/bin/jtorrent daemon --config-dir /var/lib/jtorrent");
        String postinst = ExternalProgram.run(Duration.ofMinutes(1), null, "dpkg-deb", "-I", deb.toString(), "postinst")
                .assertSuccess().stdout();
        assertThat(postinst).contains("useradd --system", "/var/lib/jtorrent");

        ExternalProgram.Result version = runWithoutJdk(out, root.resolve("usr/bin/jtorrent").toString(), "--version");
        assertThat(version.exitCode()).as(version.stderr()).isZero();
        assertThat(version.stdout()).contains("jtorrent");

        // the daemon, from the unpacked package, on loopback
        int rpcPort = ReferencePeer.freePort();
        List<String> cmd = new ArrayList<>(List.of(root.resolve("usr/bin/jtorrent").toString(), "daemon",
                "--config-dir", out.resolve("state").toString(), "--download-dir", out.resolve("downloads").toString(),
                "--rpc-port", Integer.toString(rpcPort), "--port", "0", "--bind", "127.0.0.1", "--no-dht"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.resolve("daemon.log").toFile());
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().remove("JAVA_HOME");
        Process daemon = pb.start();
        try {
            RpcClient rpc = new RpcClient(rpcPort, null);
            Await.until(Duration.ofSeconds(60), "the packaged daemon answering", () -> {
                assertThat(daemon.isAlive()).as("the daemon runs: %s", Files.readString(out.resolve("daemon.log"))).isTrue();
                try {
                    JsonNode s = rpc.call("session-get", Map.of("fields", List.of("version", "rpc-version")));
                    return s.get("result").asText().equals("success") && s.get("arguments").get("rpc-version").asInt() == 18;
                } catch (java.io.IOException notYet) {
                    return false;
                }
            });
            daemon.destroy(); // SIGTERM
            assertThat(daemon.waitFor(3, TimeUnit.SECONDS)).as("out within 3 s of SIGTERM").isTrue();
            assertThat(daemon.exitValue()).isIn(0, 143);
            assertThat(out.resolve("state/state.json")).exists();
        } finally {
            if (daemon.isAlive()) {
                daemon.destroyForcibly();
            }
        }
    }

    @Test
    void systemdAcceptsTheUnit() throws Exception {
        Path root = out.resolve("unit-root");
        ExternalProgram.run(Duration.ofMinutes(1), null, "dpkg-deb", "-x", deb.toString(), root.toString()).assertSuccess();
        Path analyze = ExternalProgram.require("systemd-analyze", "systemd");
        // the host's targets, which the unit names (network-online, multi-user), into the throwaway root
        Path units = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        try (var targets = Files.newDirectoryStream(Path.of("/lib/systemd/system"), "*.target")) {
            for (Path t : targets) {
                Files.copy(t, units.resolve(t.getFileName()), java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        }
        ExternalProgram.Result r = ExternalProgram.run(Duration.ofMinutes(1), null, analyze.toString(), "verify",
                "--root=" + root, "/lib/systemd/system/jtorrent-daemon.service");
        assertThat(r.exitCode()).as("systemd-analyze verify: %s %s", r.stdout(), r.stderr()).isZero();
        assertThat(r.stdout() + r.stderr()).doesNotContain("Unknown key", "Failed to parse", "not executable");
    }

    @Test
    void theArchiveRunsFromWhereverItIsUnpacked() throws Exception {
        Path somewhere = Files.createDirectories(out.resolve("some where/else"));
        ExternalProgram.run(Duration.ofMinutes(1), null, "tar", "-xzf", archive.toString(), "-C", somewhere.toString()).assertSuccess();
        Path home = somewhere.resolve("jtorrent-" + VERSION);
        assertThat(home.resolve("LICENSE")).exists();
        assertThat(home.resolve("share/jtorrent-daemon.service")).exists();
        ExternalProgram.Result version = runWithoutJdk(out, home.resolve("bin/jtorrent").toString(), "--version");
        assertThat(version.exitCode()).as(version.stderr()).isZero();
        // a real command: make a torrent and read it back
        Files.write(out.resolve("data.bin"), new byte[100_000]);
        ExternalProgram.Result create = runWithoutJdk(out, home.resolve("bin/jtorrent").toString(), "create",
                out.resolve("data.bin").toString(), "-o", out.resolve("data.torrent").toString());
        assertThat(create.exitCode()).as(create.stderr()).isZero();
        ExternalProgram.Result info = runWithoutJdk(out, home.resolve("bin/jtorrent").toString(), "info", out.resolve("data.torrent").toString());
        assertThat(info.stdout()).contains("data.bin");

        // the tracker, on Linux's native transports (the runtime loads Netty's native libraries
        // without a warning), answering an announce; stopped by its PID
        Path log = out.resolve("tracker.log");
        Path err = out.resolve("tracker.err");
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/jtorrent").toString(), "tracker", "--http-port", "0",
                "--udp-port", "0", "--bind", "127.0.0.1").redirectOutput(log.toFile()).redirectError(err.toFile());
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("JTORRENT_TRANSPORT");
        Process tracker = pb.start();
        try {
            Await.until(Duration.ofSeconds(60), "the packaged tracker's first line", () -> {
                assertThat(tracker.isAlive()).as("the tracker runs: %s", Files.readString(err)).isTrue();
                return Files.readString(log).contains("\n");
            });
            String line = Files.readString(log).lines().findFirst().orElseThrow();
            assertThat(line).matches("tracker: http://127\\.0\\.0\\.1:\\d+/announce and udp://.*; HTTP on (io_uring|epoll), UDP on epoll\\)");
            java.util.regex.Matcher port = java.util.regex.Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(line);
            assertThat(port.find()).isTrue();
            var http = java.net.http.HttpClient.newHttpClient();
            var answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port.group(1)
                    + "/announce?info_hash=%01%02%03%04%05%06%07%08%09%10%11%12%13%14%15%16%17%18%19%20"
                    + "&peer_id=-AA0001-aaaaaaaaaaaa&port=1&left=0&compact=1")).timeout(Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.ISO_8859_1));
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).startsWith("d").contains("8:intervali");
            assertThat(Files.readString(err)).as("the tracker's stderr").doesNotContain("WARNING");
        } finally {
            tracker.destroy();
            if (!tracker.waitFor(10, TimeUnit.SECONDS)) {
                tracker.destroyForcibly();
            }
        }
    }
}
