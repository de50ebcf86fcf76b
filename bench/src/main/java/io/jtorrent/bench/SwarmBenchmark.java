package io.jtorrent.bench;

import io.jtorrent.swarm.SwarmRunner;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The swarm benchmark: for N = 1, 2, 4 ... 64 leechers, the time until the last one has the file,
 * against the lower bound T* = max(F/u_s, N·F/(u_s + N·u)) and client-server N·F/u_s; then the
 * robustness scenarios. Writes {@code swarm.csv}, {@code scenarios.csv} and {@code swarm.svg}.
 *
 * <pre>
 * java ... io.jtorrent.bench.SwarmBenchmark --out bench/results [--size-mib 64] [--seed-rate-mib 4]
 *     [--peer-rate-mib 4] [--piece-kib 64] [--peers 1,2,4,8,16,32,64] [--scenario-peers 16] [--scenarios true] [--work DIR]
 * </pre>
 */
public final class SwarmBenchmark {
    private SwarmBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench/results");
        long size = 64L << 20;
        long seedRate = 4L << 20;
        long peerRate = 4L << 20;
        List<Integer> peers = List.of(1, 2, 4, 8, 16, 32, 64);
        int pieceLength = 64 * 1024;
        int scenarioPeers = 16;
        boolean scenarios = true;
        Path work = Files.createTempDirectory("jtorrent-swarm-bench");
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--out" -> out = Path.of(v);
                case "--size-mib" -> size = Long.parseLong(v) << 20;
                case "--seed-rate-mib" -> seedRate = Long.parseLong(v) << 20;
                case "--peer-rate-mib" -> peerRate = Long.parseLong(v) << 20;
                case "--piece-kib" -> pieceLength = Integer.parseInt(v) * 1024;
                case "--peers" -> peers = java.util.Arrays.stream(v.split(",")).map(Integer::parseInt).toList();
                case "--scenario-peers" -> scenarioPeers = Integer.parseInt(v);
                case "--scenarios" -> scenarios = Boolean.parseBoolean(v);
                case "--work" -> work = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(out);
        List<SwarmRunner.Result> results = new ArrayList<>();
        StringBuilder csv = new StringBuilder("peers,seconds,bound_seconds,client_server_seconds,ratio,seed_copies,aggregate_copy_seconds\n");
        for (int n : peers) {
            Path dir = work.resolve("n" + n);
            long cpuBefore = cpuNanos();
            SwarmRunner.Result r = SwarmRunner.run(new SwarmRunner.Config(n, size, seedRate, peerRate,
                    pieceLength, SwarmRunner.Scenario.BASIC, dir, n), s -> { });
            double cpu = (cpuNanos() - cpuBefore) / 1e9;
            deleteTree(dir);
            if (!r.allComplete()) {
                throw new IllegalStateException("N=" + n + ": not every leecher completed: " + r);
            }
            results.add(r);
            csv.append(String.format(Locale.ROOT, "%d,%.2f,%.2f,%.2f,%.3f,%.3f,%.2f%n", n, r.seconds(), r.config().boundSeconds(),
                    r.config().clientServerSeconds(), r.ratio(), r.seedCopies(), r.aggregateCopySeconds()));
            System.out.printf(Locale.ROOT, "N=%-3d %s  seed_copies=%.2f aggregate=%.1fs cpu=%.1fs%n", n, r.summaryLine(),
                    r.seedCopies(), r.aggregateCopySeconds(), cpu);
        }
        Files.writeString(out.resolve("swarm.csv"), csv);
        Files.writeString(out.resolve("swarm.svg"), Chart.svg(results, size, seedRate, peerRate));

        if (!scenarios) {
            return;
        }
        StringBuilder sc = new StringBuilder("scenario,peers,completed,expected,seconds,bound_seconds,ratio,wasted_bytes,hash_failures,data_verified\n");
        for (SwarmRunner.Scenario scenario : SwarmRunner.Scenario.values()) {
            Path dir = work.resolve(scenario.name().toLowerCase(Locale.ROOT));
            SwarmRunner.Result r = SwarmRunner.run(new SwarmRunner.Config(scenarioPeers, size, seedRate, peerRate, scenario, dir, 7), s -> { });
            deleteTree(dir);
            sc.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.2f,%.2f,%.3f,%d,%d,%s%n", scenario.name().toLowerCase(Locale.ROOT),
                    scenarioPeers, r.completed(), r.expected(), r.seconds(), r.config().boundSeconds(), r.ratio(), r.wastedBytes(),
                    r.hashFailures(), r.dataVerified()));
            System.out.printf(Locale.ROOT, "%-12s completed %d/%d in %.1fs (ratio %.2f), wasted %d bytes, %d hash failures%n",
                    scenario.name().toLowerCase(Locale.ROOT), r.completed(), r.expected(), r.seconds(), r.ratio(), r.wastedBytes(),
                    r.hashFailures());
        }
        Files.writeString(out.resolve("scenarios.csv"), sc);
        System.out.println("wrote " + out.resolve("swarm.csv") + ", " + out.resolve("scenarios.csv") + ", " + out.resolve("swarm.svg"));
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
