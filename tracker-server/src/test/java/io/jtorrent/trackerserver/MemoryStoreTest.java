package io.jtorrent.trackerserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Peers handed out of a large swarm: distinct, never the asker, spread over the whole swarm, live. */
class MemoryStoreTest {
    private static final byte[] HASH = new byte[20];

    private static SwarmStore.Peer peer(int i) {
        byte[] id = ByteBuffer.allocate(20).putInt(i).array();
        return new SwarmStore.Peer(id, new byte[] {10, 0, (byte) (i >> 8), (byte) i}, 6881, false);
    }

    private static List<InetSocketAddress> announce(MemoryStore store, int i, int numWant) throws SwarmStore.Full {
        return store.announce(new SwarmStore.Announce(HASH, peer(i), SwarmStore.Event.NONE, numWant)).addresses();
    }

    private static int index(InetSocketAddress p) {
        byte[] a = p.getAddress().getAddress();
        return ((a[2] & 0xff) << 8) | (a[3] & 0xff);
    }

    @Test
    void aLargeSwarmGivesDistinctPeersFromAllOverItNeverTheAsker() throws Exception {
        MemoryStore store = new MemoryStore(Long.MAX_VALUE / 4, System::nanoTime);
        int size = 1000;
        for (int i = 0; i < size; i++) {
            announce(store, i, 0);
        }
        Set<Integer> everSeen = new HashSet<>();
        for (int round = 0; round < 200; round++) {
            int asker = round * 7 % size;
            List<InetSocketAddress> got = announce(store, asker, 50);
            assertThat(got).hasSize(50);
            Set<Integer> these = new HashSet<>();
            got.forEach(p -> these.add(index(p)));
            assertThat(these).as("distinct").hasSize(50).doesNotContain(asker);
            everSeen.addAll(these);
        }
        // 10,000 draws of a uniform sample reach nearly every peer (a sample stuck in one region would not)
        assertThat(everSeen.size()).isGreaterThan(990);
    }

    @Test
    void expiredPeersAreSkippedWhileLiveOnesRemain() throws Exception {
        AtomicLong now = new AtomicLong();
        MemoryStore store = new MemoryStore(1000, now::get);
        for (int i = 0; i < 500; i++) {
            announce(store, i, 0);
        }
        now.set(5000); // all of those expired, not yet swept
        for (int i = 500; i < 600; i++) {
            announce(store, i, 0);
        }
        // five in six expired and not yet swept: every answer still holds 50 of the live hundred
        // (with a budget of 150 records looked at, runs of 8 missed them all in 3% of answers)
        for (int round = 0; round < 200; round++) {
            List<InetSocketAddress> got = announce(store, 600, 50);
            assertThat(got).hasSize(50).allSatisfy(p -> assertThat(index(p)).isBetween(500, 599));
        }
    }

    /**
     * The packed table against a map, through 200,000 random starts, stops, completions and expiries
     * of IPv4 and IPv6 peers in a few swarms: the counts agree at every step, and every peer handed
     * out is a live one of the swarm, never the asker, never twice.
     */
    @Test
    void thePackedSwarmsAgreeWithAMapThroughRandomChurn() throws Exception {
        churn(40, 1_000, 200_000);
    }

    /** Swarms of up to 2,400 peers (ten chunks of records), grown, swept and trimmed again and again. */
    @Test
    void largeSwarmsSpanningChunksAgreeWithAMapThroughChurn() throws Exception {
        churn(400, 30_000, 40_000);
    }

    private static void churn(int addresses, long expiry, int steps) throws Exception {
        AtomicLong now = new AtomicLong();
        MemoryStore store = new MemoryStore(expiry, now::get);
        byte[][] hashes = {new byte[20], new byte[20], new byte[20]};
        hashes[1][0] = 1;
        hashes[2][0] = 2;
        // per swarm: peer (address, port) -> [seeder, last seen]
        List<Map<InetSocketAddress, long[]>> model = List.of(new HashMap<>(), new HashMap<>(), new HashMap<>());
        int[] downloaded = new int[3];
        Random r = new Random(7);
        for (int step = 0; step < steps; step++) {
            now.addAndGet(r.nextInt(3));
            if (r.nextInt(5_000) == 0) {
                store.expire();
                for (Map<InetSocketAddress, long[]> m : model) {
                    m.values().removeIf(v -> now.get() - v[1] > expiry);
                }
            }
            int swarm = r.nextInt(3);
            int a = r.nextInt(addresses);
            byte[] address = r.nextBoolean() ? new byte[] {10, 0, (byte) (a >> 8), (byte) a}
                    : new byte[] {0x20, 1, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) (a >> 8), (byte) a};
            int port = 6881 + r.nextInt(3);
            boolean seeder = r.nextInt(4) == 0;
            int e = r.nextInt(10);
            SwarmStore.Event event = e == 0 ? SwarmStore.Event.STOPPED : e == 1 ? SwarmStore.Event.COMPLETED : SwarmStore.Event.NONE;
            InetSocketAddress self = new InetSocketAddress(InetAddress.getByAddress(address), port);
            SwarmStore.Answer answer = store.announce(new SwarmStore.Announce(hashes[swarm],
                    new SwarmStore.Peer(new byte[20], address, port, seeder), event, 1 + r.nextInt(60)));
            Map<InetSocketAddress, long[]> m = model.get(swarm);
            if (event == SwarmStore.Event.STOPPED) {
                m.remove(self);
            } else {
                m.put(self, new long[] {seeder ? 1 : 0, now.get()});
                downloaded[swarm] += event == SwarmStore.Event.COMPLETED ? 1 : 0;
            }
            long seeders = m.values().stream().filter(v -> v[0] == 1).count();
            assertThat(answer.complete()).as("step %d", step).isEqualTo(seeders);
            assertThat(answer.incomplete()).as("step %d", step).isEqualTo(m.size() - seeders);
            if (!m.isEmpty()) {
                assertThat(answer.downloaded()).isEqualTo(downloaded[swarm]);
            }
            List<InetSocketAddress> got = answer.addresses();
            assertThat(new HashSet<>(got)).as("distinct").hasSize(got.size()).doesNotContain(self);
            for (InetSocketAddress p : got) {
                long[] v = m.get(p);
                assertThat(v).as("step %d: %s is in the swarm", step, p).isNotNull();
                assertThat(now.get() - v[1]).isLessThanOrEqualTo(expiry);
                assertThat(seeder && v[0] == 1).as("a seeder is given no seeders").isFalse();
            }
        }
    }
}
