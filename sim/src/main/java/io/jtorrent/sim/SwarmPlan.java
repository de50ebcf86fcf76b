package io.jtorrent.sim;

import io.jtorrent.metainfo.Metainfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * One run of a {@link Simulation}: the hosts its scenario calls for, their arrivals and
 * departures put on the scheduler, the run itself, and what it found.
 */
final class SwarmPlan {
    private static final long SECOND = 1_000_000_000L;

    private final Simulation.World world;
    private final Simulation.Config config;
    private final Random random;
    private final List<SimPeer> hosts = new ArrayList<>();
    private SimPeer seed;

    SwarmPlan(Simulation.World world) {
        this.world = world;
        this.config = world.config;
        this.random = new Random(world.random.nextLong());
    }

    Simulation.Result run(Simulation.Listener listener) throws Exception {
        Metainfo metainfo = Simulation.metainfo(world.data, config.pieceLength());
        Map<String, Long> rates = new java.util.LinkedHashMap<>();
        config.peerRates().forEach(c -> rates.put(c.label(), c.rate()));
        seed = new SimPeer(world, 0, "seed", SimPeer.Role.SEED, Behaviour.HONEST, "seed", config.seedRate(), 0);
        hosts.add(seed);
        at(0, () -> seed.join(metainfo));

        int n = config.peers();
        double bound = config.boundSeconds();
        List<String> classes = Simulation.classOrder(config, random);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, random);
        java.util.Set<Integer> freeRiders = new java.util.HashSet<>(order.subList(0, config.freeRiderCount()));
        Function<Integer, SimPeer> leecher = i -> {
            String label = classes.get(i % classes.size());
            Behaviour b = freeRiders.contains(i) ? Behaviour.FREE_RIDER : Behaviour.HONEST;
            SimPeer p = new SimPeer(world, hosts.size(), "leecher" + (i + 1), SimPeer.Role.LEECHER, b, label, rates.get(label),
                    config.peerDownRate());
            hosts.add(p);
            return p;
        };
        for (int i = 0; i < n; i++) {
            SimPeer p = leecher.apply(i);
            p.expected = true;
            double arrive = config.scenario() == Simulation.Scenario.FLASH_CROWD
                    ? random.nextDouble() * Simulation.FLASH_CROWD_SECONDS : 0;
            at(arrive, () -> p.join(metainfo));
        }
        if (config.scenario() == Simulation.Scenario.CHURN) {
            // a fifth of the leechers leave at random times, as many new ones join at random times
            int churn = Math.max(1, n / 5);
            for (int k = 0; k < churn; k++) {
                SimPeer leaver = hosts.get(1 + order.get(order.size() - 1 - k));
                leaver.expected = false;
                at(random.nextDouble() * bound * 0.8, leaver::leave);
            }
            for (int k = 0; k < churn; k++) {
                SimPeer joiner = leecher.apply(n + k);
                joiner.expected = true;
                at(random.nextDouble() * bound * 0.8, () -> joiner.join(metainfo));
            }
        }
        if (config.scenario() == Simulation.Scenario.CORRUPT_PEER) {
            SimPeer corrupt = new SimPeer(world, hosts.size(), "corrupt", SimPeer.Role.SEED, Behaviour.CORRUPT, "corrupt",
                    config.peerRates().get(0).rate(), 0);
            hosts.add(corrupt);
            at(0, () -> corrupt.join(metainfo));
        }
        if (config.scenario() == Simulation.Scenario.SEED_LEAVES) {
            world.onAggregate = () -> world.clock.execute(seed::leave);
        }
        for (SimPeer p : hosts) {
            if (p.expected) {
                world.remaining++;
            }
        }
        double interval = progressInterval(bound);
        world.clock.scheduleEvery(() -> {
            for (SimPeer p : hosts) {
                if (p.online() && p.role == SimPeer.Role.LEECHER) {
                    p.noteEndGame();
                }
            }
        }, SECOND);
        world.clock.scheduleEvery(() -> listener.progress(progress()), (long) (interval * SECOND));
        long limit = (long) ((bound * 20 + 600) * SECOND);
        world.clock.runUntil(() -> world.remaining <= 0, limit);

        double end = 0;
        int completed = 0;
        int expected = 0;
        boolean verified = true;
        for (SimPeer p : hosts) {
            if (!p.expected) {
                continue;
            }
            expected++;
            if (p.done()) {
                completed++;
                end = Math.max(end, p.doneAt);
                verified &= p.dataMatches();
            }
        }
        if (completed < expected) {
            end = world.clock.now() / 1e9;
        }
        return new Simulation.Result(config, end, world.aggregateAt, completed, expected, verified, List.copyOf(hosts),
                world.clock.executed(), world.seedRepeatBytes, world.network.handshakes, world.network.refused);
    }

    /** Progress lines: about twenty over the bound's time, at round numbers of seconds. */
    static double progressInterval(double bound) {
        double raw = Math.max(1, bound / 20);
        double[] steps = {1, 2, 5, 10, 20, 30, 60, 120, 300, 600};
        for (double s : steps) {
            if (raw <= s) {
                return s;
            }
        }
        return 600;
    }

    private Simulation.Progress progress() {
        double sum = 0;
        int done = 0;
        int counted = 0;
        int online = 0;
        int pieces = world.data.pieceCount();
        for (SimPeer p : hosts) {
            if (p.role != SimPeer.Role.LEECHER) {
                continue;
            }
            if (p.online()) {
                online++;
            }
            if (p.expected) {
                counted++;
                sum += (double) p.pieces / pieces;
                if (p.done()) {
                    done++;
                }
            }
        }
        return new Simulation.Progress(world.clock.now() / 1e9, counted == 0 ? 0 : sum / counted, done, counted, online);
    }

    private void at(double seconds, Runnable task) {
        world.clock.at((long) (seconds * SECOND), task);
    }
}
