package io.jtorrent.bench;

import io.jtorrent.trackerserver.MemoryStore;
import io.jtorrent.trackerserver.SwarmStore;
import java.util.Locale;
import java.util.Random;

/**
 * Announces per second into the tracker's memory store alone, no network: SWARMS swarms of PEERS
 * peers each (random IPv4 addresses and ports, half seeders), then rounds of 500,000 re-announces
 * of random peers asking for 50 others. Prints each round; the last rounds are the JIT-warm figure.
 *
 * <pre>TrackerStoreSpeed [SWARMS=1000] [PEERS=900] [ROUNDS=6]</pre>
 */
public final class TrackerStoreSpeed {
    private TrackerStoreSpeed() {}

    public static void main(String[] args) {
        int swarms = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int per = args.length > 1 ? Integer.parseInt(args[1]) : 900;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        Random r = new Random(1);
        byte[][] hashes = new byte[swarms][20];
        for (byte[] h : hashes) {
            r.nextBytes(h);
        }
        MemoryStore store = new MemoryStore(Long.MAX_VALUE / 4, System::nanoTime);
        int peers = swarms * per;
        byte[][] ips = new byte[peers][];
        int[] ports = new int[peers];
        for (int i = 0; i < peers; i++) {
            ips[i] = new byte[] {10, (byte) r.nextInt(256), (byte) r.nextInt(256), (byte) r.nextInt(256)};
            ports[i] = 1024 + r.nextInt(60000);
            announce(store, hashes[i % swarms], ips[i], ports[i], r.nextBoolean(), 0);
        }
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            long handedOut = 0;
            int n = 500_000;
            for (int k = 0; k < n; k++) {
                int i = r.nextInt(peers);
                handedOut += announce(store, hashes[i % swarms], ips[i], ports[i], r.nextBoolean(), 50).peers4().length / 6;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "round %d: %.0f announces/s, %.1f peers per answer%n", round, n / seconds,
                    handedOut / (double) n);
        }
    }

    private static SwarmStore.Answer announce(MemoryStore store, byte[] hash, byte[] ip, int port, boolean seeder, int numWant) {
        return store.announce(new SwarmStore.Announce(hash, new SwarmStore.Peer(new byte[20], ip, port, seeder),
                SwarmStore.Event.NONE, numWant));
    }
}
