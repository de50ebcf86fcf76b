package io.jtorrent.swarm;

import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.TorrentHandle;
import io.jtorrent.engine.TorrentStatus;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.TorrentBuilder;
import io.jtorrent.trackerserver.TrackerServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Runs a whole swarm in one process, every peer a real {@link Session} on 127.0.0.1 with its own
 * port and upload limit: a tracker, one seed, N leechers of a generated file. Measures the time
 * until every leecher has the file and compares it with the lower bound
 * T* = max(F/u_s, N·F/(u_s + N·u)) (downloads unconstrained) and with client-server, N·F/u_s.
 *
 * <pre>{@code
 * SwarmRunner.Result r = SwarmRunner.run(new SwarmRunner.Config(8, 32 << 20, 4 << 20, 4 << 20,
 *         SwarmRunner.Scenario.BASIC, Path.of("/tmp/swarm"), 1), snapshot -> {});
 * System.out.println(r.summaryLine());
 * }</pre>
 */
public final class SwarmRunner {
    private static final long SNAPSHOT_MILLIS = 250;

    /** What else happens in the swarm besides downloading. */
    public enum Scenario {
        /** The seed and N leechers, all from the start to the end. */
        BASIC,
        /** The seed leaves once the leechers together hold every piece; they finish among themselves. */
        SEED_LEAVES,
        /** A fifth of the leechers leave at random times and as many new ones join. */
        CHURN,
        /** One more peer claims every piece and sends every block corrupted. */
        CORRUPT_PEER
    }

    /**
     * @param leechers N
     * @param size file size F in bytes
     * @param seedRate the seed's upload limit u_s, bytes/s
     * @param peerRate each leecher's upload limit u, bytes/s
     * @param pieceLength piece size (a power of two, at least 16 KiB)
     * @param scenario what else happens
     * @param workDir where the data goes (a folder per peer)
     * @param randomSeed makes the file, churn times and so on reproducible
     */
    public record Config(int leechers, long size, long seedRate, long peerRate, int pieceLength, Scenario scenario,
                         Path workDir, long randomSeed) {
        public Config {
            if (leechers < 1 || size < 1 || seedRate < 1 || peerRate < 1) {
                throw new IllegalArgumentException("peers, size and rates must be positive");
            }
        }

        public Config(int leechers, long size, long seedRate, long peerRate, Scenario scenario, Path workDir, long randomSeed) {
            this(leechers, size, seedRate, peerRate, 64 * 1024, scenario, workDir, randomSeed);
        }

        /** T*, the lower bound of the time until the last leecher is done, in seconds. */
        public double boundSeconds() {
            double f = size;
            return Math.max(f / seedRate, leechers * f / (seedRate + (double) leechers * peerRate));
        }

        /** N·F/u_s: a server alone sending every leecher a copy at the seed's rate. */
        public double clientServerSeconds() {
            return leechers * (double) size / seedRate;
        }
    }

    /** One leecher's state in a snapshot. */
    public record PeerState(String name, double progress, long downloadRate, long uploadRate, boolean done, boolean gone) {}

    /** The swarm every quarter of a second, for progress displays. */
    public record Snapshot(double seconds, PeerState seed, List<PeerState> leechers) {}

    @FunctionalInterface
    public interface Listener {
        void snapshot(Snapshot s);
    }

    /**
     * @param seconds until the last leecher completed
     * @param seedCopies bytes the seed uploaded, in copies of the file
     * @param aggregateCopySeconds when the leechers together first held every piece (-1 if never)
     * @param completed leechers that completed (of those that stayed to the end)
     * @param expected leechers that should have completed
     * @param wastedBytes bytes received and thrown away, all leechers together
     * @param hashFailures pieces that failed their check, all leechers together
     * @param dataVerified whether every completed leecher's file is byte-identical to the seed's
     */
    public record Result(Config config, double seconds, double seedCopies, double aggregateCopySeconds, int completed,
                         int expected, long wastedBytes, int hashFailures, boolean dataVerified) {
        public double ratio() {
            return seconds / config.boundSeconds();
        }

        public boolean allComplete() {
            return completed == expected && dataVerified;
        }

        /** The last line of the demo, for scripts. */
        public String summaryLine() {
            return String.format(java.util.Locale.ROOT, "swarm complete: peers=%d seconds=%.1f bound=%.1f ratio=%.2f client_server=%.1f",
                    config.leechers(), seconds, config.boundSeconds(), ratio(), config.clientServerSeconds());
        }
    }

    private final Config config;
    private final Random random;
    private final List<Session> sessions = new ArrayList<>();
    private final List<Leecher> leechers = new ArrayList<>();

    private static final class Leecher {
        final String name;
        final Path dir;
        Session session;
        TorrentHandle handle;
        TorrentStatus last;
        boolean gone;
        double doneAt = -1;

        Leecher(String name, Path dir) {
            this.name = name;
            this.dir = dir;
        }
    }

    private SwarmRunner(Config config) {
        this.config = config;
        this.random = new Random(config.randomSeed());
    }

    /** Runs the swarm to the end (every remaining leecher complete) or fails after a generous timeout. */
    public static Result run(Config config, Listener listener) throws Exception {
        return new SwarmRunner(config).run(listener);
    }

    private Result run(Listener listener) throws Exception {
        Path seedDir = Files.createDirectories(config.workDir().resolve("seed"));
        Path file = seedDir.resolve("swarm.bin");
        writeRandomFile(file, config.size(), random.nextLong());
        long timeoutNanos = TimeUnit.SECONDS.toNanos((long) (config.boundSeconds() * 6 + 60));
        try (TrackerServer tracker = TrackerServer.inMemory(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 5)) {
            byte[] torrentBytes = TorrentBuilder.from(file).pieceLength(config.pieceLength()).tracker(tracker.announceUrl())
                    .creationDate(null).build().bytes();
            Metainfo m = Metainfo.parse(torrentBytes);
            Session seedSession = newSession(config.seedRate());
            TorrentHandle seed = seedSession.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(60, TimeUnit.SECONDS);
            CorruptingPeer corrupt = config.scenario() == Scenario.CORRUPT_PEER ? new CorruptingPeer(m, seedDir) : null;
            try {
                return transfer(m, seed, corrupt, listener, timeoutNanos);
            } finally {
                if (corrupt != null) {
                    corrupt.close();
                }
                sessions.parallelStream().forEach(Session::close);
            }
        }
    }

    private Result transfer(Metainfo m, TorrentHandle seed, CorruptingPeer corrupt, Listener listener,
                            long timeoutNanos) throws Exception {
        int n = config.leechers();
        double t = config.boundSeconds();
        // churn: a fifth of the leechers leave at random times, as many join at random times
        List<Double> leaveAt = new ArrayList<>();
        List<Double> joinAt = new ArrayList<>();
        if (config.scenario() == Scenario.CHURN) {
            int churn = Math.max(1, n / 5);
            for (int i = 0; i < churn; i++) {
                leaveAt.add(random.nextDouble() * t * 0.8);
                joinAt.add(random.nextDouble() * t * 0.8);
            }
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            startLeecher(m, "leecher" + (i + 1), corrupt);
        }
        int joined = 0;
        boolean seedPresent = true;
        double aggregateAt = -1;
        while (true) {
            double now = (System.nanoTime() - start) / 1e9;
            // scripted events
            for (int i = 0; i < leaveAt.size(); i++) {
                if (leaveAt.get(i) >= 0 && now >= leaveAt.get(i)) {
                    leaveAt.set(i, -1.0);
                    Leecher victim = leechers.get(random.nextInt(n));
                    if (!victim.gone) {
                        victim.gone = true;
                        victim.session.close();
                    }
                }
            }
            for (int i = 0; i < joinAt.size(); i++) {
                if (joinAt.get(i) >= 0 && now >= joinAt.get(i)) {
                    joinAt.set(i, -1.0);
                    startLeecher(m, "joiner" + (++joined), corrupt);
                }
            }
            // observe every peer at once (asking one after another would make the times stale)
            List<Leecher> present = leechers.stream().filter(l -> !l.gone).toList();
            List<java.util.concurrent.CompletableFuture<TorrentStatus>> statuses = new ArrayList<>();
            List<java.util.concurrent.CompletableFuture<BitSet>> pieces = new ArrayList<>();
            for (Leecher l : present) {
                statuses.add(l.handle.status());
                pieces.add(l.handle.pieces());
            }
            BitSet union = new BitSet();
            for (int i = 0; i < present.size(); i++) {
                Leecher l = present.get(i);
                l.last = statuses.get(i).get(10, TimeUnit.SECONDS);
                if (l.last.isFinished() && l.doneAt < 0) {
                    l.doneAt = now;
                }
                union.or(pieces.get(i).get(10, TimeUnit.SECONDS));
            }
            if (aggregateAt < 0 && union.cardinality() == m.info().pieceCount()) {
                aggregateAt = now;
                if (config.scenario() == Scenario.SEED_LEAVES && seedPresent) {
                    seed.remove().get(30, TimeUnit.SECONDS);
                    seedPresent = false;
                }
            }
            TorrentStatus seedStatus = seedPresent ? seed.status().get(10, TimeUnit.SECONDS) : null;
            listener.snapshot(snapshot(now, seedStatus));
            boolean pendingJoins = joinAt.stream().anyMatch(x -> x >= 0);
            if (!pendingJoins && leechers.stream().allMatch(l -> l.gone || l.doneAt >= 0)) {
                break;
            }
            if (System.nanoTime() - start > timeoutNanos) {
                break;
            }
            Thread.sleep(SNAPSHOT_MILLIS);
        }
        double seconds = leechers.stream().filter(l -> !l.gone).mapToDouble(l -> l.doneAt).max().orElse(-1);
        long seedUploaded = seedPresent ? seed.status().get(10, TimeUnit.SECONDS).uploaded() : lastSeedUploaded;
        int expected = (int) leechers.stream().filter(l -> !l.gone).count();
        int completed = (int) leechers.stream().filter(l -> !l.gone && l.doneAt >= 0).count();
        long wasted = 0;
        int failures = 0;
        for (Leecher l : leechers) {
            if (l.last != null) {
                wasted += l.last.wasted();
                failures += l.last.hashFailures();
            }
        }
        boolean verified = true;
        Path original = config.workDir().resolve("seed").resolve("swarm.bin");
        for (Leecher l : leechers) {
            if (!l.gone && l.doneAt >= 0) {
                verified &= Files.mismatch(original, l.dir.resolve("swarm.bin")) == -1L;
            }
        }
        return new Result(config, seconds, (double) seedUploaded / config.size(), aggregateAt, completed, expected,
                wasted, failures, verified);
    }

    /** The seed's upload total at the last snapshot it was there for. */
    private long lastSeedUploaded;

    private Snapshot snapshot(double now, TorrentStatus seed) {
        if (seed != null) {
            lastSeedUploaded = seed.uploaded();
        }
        PeerState s = seed == null ? new PeerState("seed", 1, 0, 0, true, true)
                : new PeerState("seed", 1, 0, seed.uploadRate(), true, false);
        List<PeerState> ls = new ArrayList<>();
        for (Leecher l : leechers) {
            TorrentStatus st = l.last;
            ls.add(st == null ? new PeerState(l.name, 0, 0, 0, false, l.gone)
                    : new PeerState(l.name, st.progress(), st.downloadRate(), st.uploadRate(), l.doneAt >= 0, l.gone));
        }
        return new Snapshot(now, s, ls);
    }

    private void startLeecher(Metainfo m, String name, CorruptingPeer corrupt) throws Exception {
        Leecher l = new Leecher(name, Files.createDirectories(config.workDir().resolve(name)));
        l.session = newSession(config.peerRate());
        AddTorrentParams.Builder p = AddTorrentParams.builder(m, l.dir);
        if (corrupt != null) {
            p.peer(corrupt.address());
        }
        l.handle = l.session.add(p.build()).get(60, TimeUnit.SECONDS);
        leechers.add(l);
    }

    private Session newSession(long uploadLimit) throws IOException {
        Session s = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress())
                .uploadLimit(uploadLimit).hashThreads(1).diskThreads(1).maxConnectionsPerTorrent(80)
                // plaintext TCP, pinned: the swarm figures measure distribution, comparable across versions
                .encryption(Settings.Encryption.TOLERATED).utp(false).build());
        sessions.add(s);
        return s;
    }

    private static void writeRandomFile(Path file, long size, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= chunk.length) {
                r.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }
}
