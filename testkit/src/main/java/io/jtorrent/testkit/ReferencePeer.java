package io.jtorrent.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A reference BitTorrent client (libtorrent, Transmission, aria2) run as a process for an interop
 * test, on 127.0.0.1 with DHT, LSD, UPnP and NAT-PMP off. Closing it kills it by PID (with its
 * children); its output is kept in a log file the test can show when it fails.
 */
public final class ReferencePeer implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final int peerPort;
    private final List<AutoCloseable> cleanups = new ArrayList<>();

    private ReferencePeer(String name, Process process, Path log, int peerPort) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.peerPort = peerPort;
    }

    /** The port it accepts peers on (127.0.0.1). */
    public int peerPort() {
        return peerPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything it printed so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The last lines it printed, for failure messages. */
    public String logTail() {
        List<String> lines = log().lines().toList();
        return name + " (pid " + process.pid() + ") said:\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** A TCP port that was free a moment ago on 127.0.0.1. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ReferencePeer launch(String name, List<String> command, Path workDir, int peerPort) throws IOException {
        return launch(name, command, workDir, peerPort, java.util.Map.of());
    }

    private static ReferencePeer launch(String name, List<String> command, Path workDir, int peerPort,
                                        java.util.Map<String, String> env) throws IOException {
        Files.createDirectories(workDir);
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Process p = pb.directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return new ReferencePeer(name, p, log, peerPort);
    }

    /**
     * libtorrent (python3-libtorrent) seeding or leeching {@code torrent} into {@code saveDir},
     * dialling {@code peers}; it prints "finished" when it has everything.
     */
    public static ReferencePeer libtorrent(boolean seed, Path torrent, Path saveDir, Path workDir, Duration lifetime,
                                           String... peers) throws IOException {
        return libtorrentWithDht(seed, torrent, saveDir, workDir, lifetime, null, peers);
    }

    /**
     * As {@link #libtorrent}, with its encryption policy: {@code "forced"} (only RC4-encrypted
     * connections, both ways) or {@code "disabled"} (only plaintext).
     */
    public static ReferencePeer libtorrentEncryption(String policy, boolean seed, Path torrent, Path saveDir, Path workDir,
                                                     Duration lifetime, String... peers) throws IOException {
        return launchLibtorrent(seed ? "seed" : "leech", torrent.toString(), saveDir, workDir, lifetime,
                java.util.Map.of("LT_ENCRYPTION", policy), peers);
    }

    /** As {@link #libtorrent}, speaking uTP only (TCP off both ways). */
    public static ReferencePeer libtorrentUtpOnly(boolean seed, Path torrent, Path saveDir, Path workDir, Duration lifetime,
                                                  String... peers) throws IOException {
        return launchLibtorrent(seed ? "seed" : "leech", torrent.toString(), saveDir, workDir, lifetime,
                java.util.Map.of("LT_UTP_ONLY", "1"), peers);
    }

    /** As above, with libtorrent's DHT on and joining only through {@code dhtBootstrap} (HOST:PORT), if not null. */
    public static ReferencePeer libtorrentWithDht(boolean seed, Path torrent, Path saveDir, Path workDir, Duration lifetime,
                                                  String dhtBootstrap, String... peers) throws IOException {
        return launchLibtorrent(seed ? "seed" : "leech", torrent.toString(), saveDir, workDir, lifetime,
                dhtBootstrap == null ? java.util.Map.of() : java.util.Map.of("LT_DHT_BOOTSTRAP", dhtBootstrap), peers);
    }

    /** Runs libtorrent_peer.py (written into {@code workDir}) in {@code mode} on {@code source}, a torrent file or magnet link. */
    private static ReferencePeer launchLibtorrent(String mode, String source, Path saveDir, Path workDir, Duration lifetime,
                                                  java.util.Map<String, String> env, String... peers) throws IOException {
        Path python = ExternalProgram.requireLibtorrentPython();
        Path script = workDir.resolve("libtorrent_peer.py");
        Files.createDirectories(workDir);
        try (InputStream in = ReferencePeer.class.getResourceAsStream("libtorrent_peer.py")) {
            Files.write(script, in.readAllBytes());
        }
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(python.toString(), "-u", script.toString(), mode, source,
                saveDir.toString(), Integer.toString(port), Long.toString(lifetime.toSeconds())));
        cmd.addAll(List.of(peers));
        return launch("libtorrent", cmd, workDir, port, env);
    }

    /**
     * libtorrent leeching from a magnet link (fetching the metadata from {@code peers}), on
     * 127.0.0.1 with the DHT off; it prints "finished" when it has everything.
     */
    public static ReferencePeer libtorrentMagnet(String magnet, Path saveDir, Path workDir, Duration lifetime,
                                                 String... peers) throws IOException {
        return launchLibtorrent("leech", magnet, saveDir, workDir, lifetime, java.util.Map.of(), peers);
    }

    /**
     * aria2c seeding (checking the data first) or leeching; as a leecher it exits once done.
     * It finds peers only through trackers, so tests dial it.
     */
    public static ReferencePeer aria2(boolean seed, Path torrent, Path saveDir, Path workDir) throws IOException {
        return aria2(seed, torrent, saveDir, workDir, false);
    }

    /** As above; with {@code requireCrypto}, only encrypted (ARC4) connections. */
    public static ReferencePeer aria2(boolean seed, Path torrent, Path saveDir, Path workDir, boolean requireCrypto)
            throws IOException {
        Path aria2 = ExternalProgram.require("aria2c", "aria2");
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(aria2.toString(), "--no-conf", "--enable-dht=false", "--enable-dht6=false",
                "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--listen-port=" + port,
                "--interface=127.0.0.1", "--disable-ipv6=true", "--console-log-level=notice", "--summary-interval=1",
                "--bt-stop-timeout=0", "--file-allocation=none", "-d", saveDir.toString()));
        if (seed) {
            cmd.addAll(List.of("--check-integrity=true", "--bt-hash-check-seed=true", "--seed-ratio=0.0"));
        } else {
            cmd.add("--seed-time=0");
        }
        if (requireCrypto) {
            cmd.addAll(List.of("--bt-require-crypto=true", "--bt-min-crypto-level=arc4"));
        }
        cmd.add(torrent.toString());
        return launch("aria2", cmd, workDir, port);
    }

    /**
     * transmission-daemon with its own config directory, RPC on a free port, driven with
     * transmission-remote; the torrent is added at once.
     */
    public static ReferencePeer transmission(Path torrent, Path saveDir, Path workDir) throws IOException {
        return transmission(torrent, saveDir, workDir, 0);
    }

    /** As above, with Transmission's {@code encryption} setting: 0 prefer plaintext, 1 prefer encrypted, 2 required. */
    public static ReferencePeer transmission(Path torrent, Path saveDir, Path workDir, int encryption) throws IOException {
        return transmission(torrent, saveDir, workDir, encryption, false);
    }

    /** As above; with {@code utp}, Transmission's {@code utp-enabled} on. */
    public static ReferencePeer transmission(Path torrent, Path saveDir, Path workDir, int encryption, boolean utp)
            throws IOException {
        Path daemon = ExternalProgram.require("transmission-daemon", "transmission-daemon");
        Path remote = ExternalProgram.require("transmission-remote", "transmission-cli");
        int port = freePort();
        int rpc = freePort();
        Path config = Files.createDirectories(workDir.resolve("transmission-config"));
        String settings = """
                {
                  "dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, "utp-enabled": %b,
                  "port-forwarding-enabled": false, "bind-address-ipv4": "127.0.0.1", "bind-address-ipv6": "::1",
                  "peer-port": %d, "peer-port-random-on-start": false,
                  "rpc-enabled": true, "rpc-bind-address": "127.0.0.1", "rpc-port": %d,
                  "rpc-whitelist-enabled": false, "rpc-authentication-required": false, "rpc-host-whitelist-enabled": false,
                  "encryption": %d, "download-dir": "%s", "incomplete-dir-enabled": false,
                  "ratio-limit-enabled": false, "idle-seeding-limit-enabled": false, "speed-limit-up-enabled": false,
                  "speed-limit-down-enabled": false, "message-level": 2, "start-added-torrents": true
                }
                """.formatted(utp, port, rpc, encryption, saveDir.toString().replace("\\", "\\\\").replace("\"", "\\\""));
        Files.writeString(config.resolve("settings.json"), settings);
        ReferencePeer peer = launch("transmission", List.of(daemon.toString(), "-f", "-g", config.toString()), workDir, port);
        // wait (bounded) for the RPC port, then add the torrent
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            ExternalProgram.Result r = ExternalProgram.run(Duration.ofSeconds(10), workDir, remote.toString(),
                    "127.0.0.1:" + rpc, "-a", torrent.toString(), "-w", saveDir.toString());
            if (r.exitCode() == 0 && r.stdout().contains("success")) {
                break;
            }
            if (System.nanoTime() > deadline || !peer.isAlive()) {
                peer.close();
                throw new IOException("transmission-daemon did not take the torrent: " + r.stdout() + r.stderr() + "\n" + peer.logTail());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        peer.rpcPort = rpc;
        peer.remote = remote;
        peer.workDir = workDir;
        return peer;
    }

    private int rpcPort;
    private Path remote;
    private Path workDir;

    /** For Transmission: transmission-remote's view of the torrent (-t 1 -i), for diagnostics. */
    public String transmissionInfo() throws IOException {
        if (remote == null) {
            return "";
        }
        return ExternalProgram.run(Duration.ofSeconds(10), workDir, remote.toString(), "127.0.0.1:" + rpcPort,
                "-t", "1", "-i").stdout();
    }

    /** Waits for the process to end by itself, bounded; true if it did. */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int exitCode() {
        return process.exitValue();
    }

    @Override
    public void close() {
        ExternalProgram.kill(process);
        for (AutoCloseable c : cleanups) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }
}
