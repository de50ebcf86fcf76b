package io.jtorrent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtorrent.metainfo.TorrentBuilder;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The daemon with many torrents against transmission-daemon with the same ones: both seed N
 * small generated torrents on 127.0.0.1; then {@code torrent-get} for all of them with the fields
 * {@code transmission-remote -l} asks for is timed R times (median, p90), and each daemon's RSS is
 * read from /proc. Ratios are jtorrent / Transmission.
 *
 * <pre>java io.jtorrent.bench.DaemonBenchmark JTORRENT_LAUNCHER [N=1000] [R=100]</pre>
 */
public final class DaemonBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LIST_FIELDS = List.of("error", "errorString", "eta", "id", "isFinished",
            "leftUntilDone", "name", "peersGettingFromUs", "peersSendingToUs", "rateDownload", "rateUpload",
            "sizeWhenDone", "status", "uploadRatio");

    private final HttpClient http = HttpClient.newHttpClient();
    private String sessionId = "";

    record Result(String name, int torrents, double medianMs, double p90Ms, long rssKiB, double addSeconds, long idleRssKiB) {}

    public static void main(String[] args) throws Exception {
        Path launcher = Path.of(args[0]).toAbsolutePath();
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path work = Files.createTempDirectory("jtorrent-daemon-bench");
        Path data = Files.createDirectories(work.resolve("data"));
        List<byte[]> torrents = new ArrayList<>();
        Random r = new Random(1);
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[16_384 + r.nextInt(48_000)];
            r.nextBytes(b);
            Path f = data.resolve(String.format(Locale.ROOT, "item-%04d.bin", i));
            Files.write(f, b);
            torrents.add(TorrentBuilder.from(f).pieceLength(16_384).build().bytes());
        }
        List<Result> results = new ArrayList<>();
        results.add(new DaemonBenchmark().run("jtorrent", work, data, torrents, requests, (rpc, peer, dir) -> List.of(
                launcher.toString(), "daemon", "--rpc-port", Integer.toString(rpc), "--port", Integer.toString(peer),
                "--no-dht", "--bind", "127.0.0.1", "--config-dir", dir.resolve("config").toString(), "-d", data.toString())));
        if (args.length > 3 && args[3].equals("jtorrent-only")) {
            return;
        }
        results.add(new DaemonBenchmark().run("transmission", work, data, torrents, requests, (rpc, peer, dir) -> {
            Path config = Files.createDirectories(dir.resolve("config"));
            Files.writeString(config.resolve("settings.json"), """
                    {"dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, "utp-enabled": false,
                     "port-forwarding-enabled": false, "bind-address-ipv4": "127.0.0.1", "peer-port": %d,
                     "rpc-bind-address": "127.0.0.1", "rpc-port": %d, "rpc-whitelist-enabled": false,
                     "rpc-authentication-required": false, "rpc-host-whitelist-enabled": false, "download-dir": "%s",
                     "download-queue-enabled": false, "seed-queue-enabled": false, "message-level": 1}
                    """.formatted(peer, rpc, data));
            return List.of("transmission-daemon", "-f", "-g", config.toString());
        }));
        System.out.println();
        System.out.printf(Locale.ROOT, "%-14s %9s %14s %12s %12s %14s %14s%n", "daemon", "torrents", "get median ms", "get p90 ms", "RSS MiB",
                "add+check s", "idle RSS MiB");
        for (Result x : results) {
            System.out.printf(Locale.ROOT, "%-14s %9d %14.1f %12.1f %12.1f %14.1f %14.1f%n", x.name(), x.torrents(), x.medianMs(), x.p90Ms(),
                    x.rssKiB() / 1024.0, x.addSeconds(), x.idleRssKiB() / 1024.0);
        }
        Result j = results.get(0);
        Result t = results.get(1);
        System.out.printf(Locale.ROOT, "ratios jtorrent/transmission: torrent-get median %.2f, RSS %.2f, idle RSS %.2f%n",
                j.medianMs() / t.medianMs(), (double) j.rssKiB() / t.rssKiB(), (double) j.idleRssKiB() / t.idleRssKiB());
    }

    interface Command {
        List<String> build(int rpcPort, int peerPort, Path dir) throws IOException;
    }

    private Result run(String name, Path work, Path data, List<byte[]> torrents, int requests, Command command) throws Exception {
        int rpcPort = freePort();
        Path dir = Files.createDirectories(work.resolve(name));
        Process p = new ProcessBuilder(command.build(rpcPort, freePort(), dir)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.log").toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            String url = "http://127.0.0.1:" + rpcPort + "/transmission/rpc";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    call(url, "session-get", Map.of());
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline || !p.isAlive()) {
                        throw new IOException(name + " did not start: see " + dir.resolve("daemon.log"));
                    }
                    Thread.sleep(200);
                }
            }
            // idle: started, asked once, left alone for 5 s
            call(url, "torrent-get", Map.of("fields", LIST_FIELDS));
            Thread.sleep(5000);
            long idleRss = rssKiB(p.pid());
            long t0 = System.nanoTime();
            for (byte[] t : torrents) {
                call(url, "torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(t), "download-dir", data.toString()));
            }
            // every torrent checked and seeding
            deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (true) {
                JsonNode list = call(url, "torrent-get", Map.of("fields", List.of("status"))).get("torrents");
                long seeding = 0;
                for (JsonNode x : list) {
                    if (x.get("status").asInt() == 6) {
                        seeding++;
                    }
                }
                if (seeding == torrents.size()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(name + ": only " + seeding + " of " + torrents.size() + " seeding after 10 minutes");
                }
                Thread.sleep(500);
            }
            double addSeconds = (System.nanoTime() - t0) / 1e9;
            for (int i = 0; i < 10; i++) {
                call(url, "torrent-get", Map.of("fields", LIST_FIELDS)); // warm-up
            }
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                long s = System.nanoTime();
                JsonNode got = call(url, "torrent-get", Map.of("fields", LIST_FIELDS));
                ms.add((System.nanoTime() - s) / 1e6);
                if (got.get("torrents").size() != torrents.size()) {
                    throw new IOException(name + ": torrent-get returned " + got.get("torrents").size() + " torrents");
                }
            }
            Collections.sort(ms);
            long rss = rssKiB(p.pid());
            String hold = System.getenv("DAEMON_BENCH_HOLD_SECONDS"); // time to look inside (jcmd) before it is stopped
            if (hold != null) {
                System.out.printf("%s: pid %d, held for %s s%n", name, p.pid(), hold);
                Thread.sleep(Long.parseLong(hold) * 1000);
            }
            System.out.printf(Locale.ROOT, "%s: idle RSS %d KiB; %d torrents seeding after %.1f s; torrent-get median %.1f ms, p90 %.1f ms; RSS %d KiB%n",
                    name, idleRss, torrents.size(), addSeconds, ms.get(ms.size() / 2), ms.get(ms.size() * 9 / 10), rss);
            return new Result(name, torrents.size(), ms.get(ms.size() / 2), ms.get(ms.size() * 9 / 10), rss, addSeconds, idleRss);
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    /** The RSS of a process and its children (the launcher runs java as a child). */
    private static long rssKiB(long pid) throws IOException {
        long total = 0;
        List<Long> pids = new ArrayList<>(List.of(pid));
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        for (long p : pids) {
            Path status = Path.of("/proc", Long.toString(p), "status");
            if (Files.exists(status)) {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        total += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            }
        }
        return total;
    }

    private JsonNode call(String url, String method, Object args) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("method", method, "arguments", args));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("X-Transmission-Session-Id", sessionId).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 409) {
                sessionId = r.headers().firstValue("X-Transmission-Session-Id").orElseThrow();
                continue;
            }
            JsonNode answer = JSON.readTree(r.body());
            if (!"success".equals(answer.get("result").asText())) {
                throw new IOException(method + ": " + answer.get("result").asText());
            }
            return answer.get("arguments");
        }
        throw new IOException("no session id");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
