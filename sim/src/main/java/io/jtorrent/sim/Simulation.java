package io.jtorrent.sim;

import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BencodeEncoder;
import io.jtorrent.engine.Settings;
import io.jtorrent.metainfo.Metainfo;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A whole swarm run by the real engine on a simulated network in virtual time: one seed, N
 * leechers (and, by scenario, free riders, a corrupt peer, leavers and late joiners), the
 * tracker, links with upload capacities and latency. Single-threaded and deterministic: the same
 * {@link Config} gives the same run, event for event, on any machine.
 *
 * <pre>{@code
 * Simulation.Result r = Simulation.run(Simulation.Config.basic(100, 32 << 20, 1), p -> { });
 * System.out.println(new SimReport(r).lastLine());
 * }</pre>
 */
public final class Simulation {
    /** What else happens besides downloading. */
    public enum Scenario {
        /** The seed and N leechers, all from the start to the end. */
        BASIC,
        /** All N leechers arrive within the first few seconds against one seed. */
        FLASH_CROWD,
        /** A fraction of the leechers upload nothing. */
        FREE_RIDERS,
        /** The seed leaves once the leechers together hold every piece; they finish among themselves. */
        SEED_LEAVES,
        /** A fifth of the leechers leave at random times and as many new ones join. */
        CHURN,
        /** One more peer claims every piece and sends every block corrupted. */
        CORRUPT_PEER,
        /**
         * The disks are short of buffer memory: one in {@value SimDisk#SHORT_ONE_IN} piece buffers,
         * checks and reads finds none (as when a JVM's direct memory is used up). Nobody's fault:
         * every leecher still completes, no torrent stops, no peer is blamed.
         */
        SHORT_OF_MEMORY
    }

    /** Leechers with this upload capacity, a fraction of all; {@code label} names the class in reports. */
    public record RateClass(String label, long rate, double fraction) {}

    /** Seconds over which a flash crowd arrives. */
    static final double FLASH_CROWD_SECONDS = 5;

    /**
     * @param peers N, the leechers at the start
     * @param size the file's size F in bytes
     * @param pieceLength a power of two, at least 16 KiB
     * @param seedRate the seed's upload capacity u_s, bytes/s
     * @param peerRates the leechers' upload capacities by class (fractions summing to 1)
     * @param peerDownRate each leecher's download capacity, bytes/s; 0 for unconstrained
     * @param latencyNanos one-way latency between any two hosts (and half the tracker's round trip)
     * @param randomSeed every random choice of the run, the engine's included, comes from it
     * @param freeRiders the fraction of leechers that upload nothing
     * @param sequential every leecher picks pieces in order (as streaming does) instead of rarest first
     * @param superSeed the seed super-seeds (BEP 16)
     */
    public record Config(int peers, long size, int pieceLength, long seedRate, List<RateClass> peerRates, long peerDownRate,
                         long latencyNanos, long randomSeed, Scenario scenario, double freeRiders, boolean sequential,
                         boolean superSeed) {
        public Config {
            if (peers < 1 || size < 1 || seedRate < 1 || peerRates.isEmpty()) {
                throw new IllegalArgumentException("peers, size, the seed's rate and the peers' rates must be given and positive");
            }
            if (pieceLength < 16384 || Integer.bitCount(pieceLength) != 1) {
                throw new IllegalArgumentException("the piece size must be a power of two, at least 16 KiB");
            }
            if (freeRiders < 0 || freeRiders >= 1) {
                throw new IllegalArgumentException("the free-rider fraction must be at least 0 and below 1");
            }
            double sum = 0;
            for (RateClass c : peerRates) {
                if (c.rate() < 1 || c.fraction() <= 0) {
                    throw new IllegalArgumentException("each rate class needs a positive rate and share");
                }
                sum += c.fraction();
            }
            if (Math.abs(sum - 1) > 1e-6) {
                throw new IllegalArgumentException("the rate classes' shares add up to " + sum + ", not 100%");
            }
            peerRates = List.copyOf(peerRates);
        }

        /** N leechers and a seed, all uploading 4 MiB/s, 20 ms apart; pieces as {@link #defaultPieceLength} sizes them. */
        public static Config basic(int peers, long size, long randomSeed) {
            return new Config(peers, size, defaultPieceLength(size), 4L << 20, List.of(new RateClass("4M", 4L << 20, 1)), 0,
                    20_000_000L, randomSeed, Scenario.BASIC, 0, false, false);
        }

        public Config withScenario(Scenario s, double freeRiderFraction) {
            return new Config(peers, size, pieceLength, seedRate, peerRates, peerDownRate, latencyNanos, randomSeed, s,
                    freeRiderFraction, sequential, superSeed);
        }

        public Config withSeed(long seed) {
            return new Config(peers, size, pieceLength, seedRate, peerRates, peerDownRate, latencyNanos, seed, scenario,
                    freeRiders, sequential, superSeed);
        }

        public Config withSequential(boolean on) {
            return new Config(peers, size, pieceLength, seedRate, peerRates, peerDownRate, latencyNanos, randomSeed, scenario,
                    freeRiders, on, superSeed);
        }

        public Config withSuperSeed(boolean on) {
            return new Config(peers, size, pieceLength, seedRate, peerRates, peerDownRate, latencyNanos, randomSeed, scenario,
                    freeRiders, sequential, on);
        }

        public Config withRates(long seedRate, List<RateClass> peerRates) {
            return new Config(peers, size, pieceLength, seedRate, peerRates, peerDownRate, latencyNanos, randomSeed, scenario,
                    freeRiders, sequential, superSeed);
        }

        /**
         * About 512 pieces, 16 KiB to 4 MiB: 64 KiB for 32 MiB. (The demo cuts about a thousand;
         * with a thousand peers each piece is a have message to every neighbour, so half as many
         * pieces is half the run. 256 KiB pieces, mktorrent's default, finish later: a piece is
         * passed on only once it is whole — N = 1,000: ratio 2.01 against 1.46.)
         */
        public static int defaultPieceLength(long size) {
            return (int) Math.max(16384, Math.min(4 << 20, Long.highestOneBit(Math.max(1, size / 512))));
        }

        /** The mean upload capacity of a leecher that uploads. */
        public double meanPeerRate() {
            double r = 0;
            for (RateClass c : peerRates) {
                r += c.rate() * c.fraction();
            }
            return r;
        }

        /** Leechers that upload (all but the free riders). */
        public int contributors() {
            return peers - freeRiderCount();
        }

        public int freeRiderCount() {
            return scenario == Scenario.FREE_RIDERS ? Math.max(freeRiders > 0 ? 1 : 0, (int) Math.round(peers * freeRiders)) : 0;
        }

        /** T* = max(F/u_s, N·F/(u_s + Σu)), and F/d when downloads are capped: no schedule finishes sooner. */
        public double boundSeconds() {
            double f = size;
            double t = Math.max(f / seedRate, peers * f / (seedRate + contributors() * meanPeerRate()));
            return peerDownRate > 0 ? Math.max(t, f / peerDownRate) : t;
        }

        /** N·F/u_s: a server alone sending every leecher a copy. */
        public double clientServerSeconds() {
            return peers * (double) size / seedRate;
        }
    }

    /** The swarm's state, reported every {@code interval} simulated seconds. */
    public record Progress(double seconds, double fraction, int done, int expected, int online) {}

    @FunctionalInterface
    public interface Listener {
        void progress(Progress p);
    }

    /**
     * @param seconds until the last leecher that stayed completed (or the time limit)
     * @param aggregateSeconds when the leechers together first held every piece (-1 if never)
     * @param peers every host, the seed first
     * @param verified whether every leecher that completed holds the file block for block
     * @param events events the scheduler ran
     * @param handshakes handshakes that reached a torrent; {@code refused} of them it turned away
     */
    public record Result(Config config, double seconds, double aggregateSeconds, int completed, int expected, boolean verified,
                         List<SimPeer> peers, long events, long seedRepeatBytes, long handshakes, long refused) {
        public boolean allComplete() {
            return completed == expected && verified;
        }

        public double ratio() {
            return seconds / config.boundSeconds();
        }

        public double seedCopies() {
            return (double) peers.get(0).uploaded / config.size();
        }

        /** The share of the seed's upload that repeated blocks it had already sent. */
        public double seedRepeated() {
            long up = peers.get(0).uploaded;
            return up == 0 ? 0 : (double) seedRepeatBytes / up;
        }
    }

    /** What every host of one run shares. */
    static final class World {
        final Config config;
        final Scheduler clock = new Scheduler();
        final Random random;
        final Settings settings;
        final Network network;
        final SimTracker tracker;
        final SimDisk disk;
        final GeneratedData data;
        private final int[] leecherCopies;
        private int piecesHeld;
        double aggregateAt = -1;
        int remaining;
        Runnable onAggregate = () -> { };

        World(Config config) {
            this.config = config;
            this.random = new Random(config.randomSeed());
            this.disk = new SimDisk(config.scenario() == Scenario.SHORT_OF_MEMORY);
            this.settings = Settings.builder().maxConnectionsPerTorrent(80).lsd(false).utp(false)
                    .randomSeed(config.randomSeed()).build();
            this.network = new Network(clock, config.latencyNanos(), settings.writeHighWater);
            this.tracker = new SimTracker(clock, 2 * config.latencyNanos(), 1800, new Random(random.nextLong()));
            this.data = new GeneratedData(config.size(), config.pieceLength(), random.nextLong());
            this.leecherCopies = new int[data.pieceCount()];
        }

        void pieceFinished(SimPeer p, int piece) {
            if (p.role == SimPeer.Role.LEECHER && leecherCopies[piece]++ == 0 && ++piecesHeld == leecherCopies.length) {
                aggregateAt = clock.now() / 1e9;
                onAggregate.run();
            }
        }

        /** Blocks the seed has sent, and the bytes it sent again (a block it had sent before). */
        private final java.util.BitSet seedBlocks = new java.util.BitSet();
        long seedRepeatBytes;

        void seedSent(int piece, int begin, int bytes) {
            int block = (int) (((long) piece * config.pieceLength() + begin) / GeneratedData.BLOCK);
            if (seedBlocks.get(block)) {
                seedRepeatBytes += bytes;
            } else {
                seedBlocks.set(block);
            }
        }

        void finished(SimPeer p) {
            if (p.expected) {
                remaining--;
            }
        }
    }

    private Simulation() {
    }

    /** The torrent of the generated file: one file, the simulated tracker. */
    static Metainfo metainfo(GeneratedData data, int pieceLength) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] hashes = new byte[20 * data.pieceCount()];
        for (int i = 0; i < data.pieceCount(); i++) {
            System.arraycopy(sha1.digest(data.piece(i)), 0, hashes, 20 * i, 20);
        }
        BDictionary info = BDictionary.builder().put("length", data.length()).put("name", "simulated.bin")
                .put("piece length", pieceLength).put("pieces", hashes).build();
        BDictionary torrent = BDictionary.builder().put("announce", SimTracker.URL).put("info", info).build();
        return Metainfo.parse(BencodeEncoder.encode(torrent));
    }

    /** Runs the swarm until every leecher that stays has the file, or 20·T* + 600 simulated seconds pass. */
    public static Result run(Config config, Listener listener) throws Exception {
        return new SwarmPlan(new World(config)).run(listener);
    }

    /** Who is in the swarm, with what capacity and behaviour, and when each arrives and leaves. */
    static List<String> classOrder(Config config, Random random) {
        List<String> labels = new ArrayList<>();
        int given = 0;
        for (int c = 0; c < config.peerRates().size(); c++) {
            RateClass rc = config.peerRates().get(c);
            int n = c == config.peerRates().size() - 1 ? config.peers() - given : (int) Math.round(config.peers() * rc.fraction());
            n = Math.max(0, Math.min(n, config.peers() - given));
            for (int i = 0; i < n; i++) {
                labels.add(rc.label());
            }
            given += n;
        }
        Collections.shuffle(labels, random);
        return labels;
    }
}
