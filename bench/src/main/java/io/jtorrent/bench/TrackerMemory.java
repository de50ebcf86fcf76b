package io.jtorrent.bench;

import io.jtorrent.trackerserver.MemoryStore;
import io.jtorrent.trackerserver.SwarmStore;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Random;

/**
 * Bytes of heap per stored peer in the tracker's memory store: fills it with PEERS peers in
 * SWARMS swarms (random ids and IPv4 addresses), then compares the heap after a full GC with the
 * empty store's.
 *
 * <pre>TrackerMemory [PEERS=1000000] [SWARMS=10000]</pre>
 */
public final class TrackerMemory {
    private TrackerMemory() {}

    public static void main(String[] args) {
        int peers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int swarms = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Random r = new Random(1);
        byte[][] hashes = new byte[swarms][20];
        for (byte[] h : hashes) {
            r.nextBytes(h);
        }
        MemoryStore store = new MemoryStore(Long.MAX_VALUE / 2, System::nanoTime);
        long before = usedAfterGc();
        for (int i = 0; i < peers; i++) {
            byte[] id = new byte[20];
            r.nextBytes(id);
            byte[] ip = new byte[4];
            r.nextBytes(ip);
            store.announce(new SwarmStore.Announce(hashes[i % swarms], new SwarmStore.Peer(id, ip, 1 + r.nextInt(65535),
                    r.nextInt(4) == 0), SwarmStore.Event.STARTED, 0));
        }
        long after = usedAfterGc();
        long[] totals = store.totals();
        System.out.printf(Locale.ROOT, "peers %d in %d swarms: %.0f bytes per peer (heap %d MiB)%n", totals[1], totals[0],
                (after - before) / (double) totals[1], (after - before) >> 20);
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
