package io.jtorrent.trackerserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
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

    private static List<SwarmStore.Peer> announce(MemoryStore store, int i, int numWant) throws SwarmStore.Full {
        return store.announce(new SwarmStore.Announce(HASH, peer(i), SwarmStore.Event.NONE, numWant)).peers();
    }

    private static int index(SwarmStore.Peer p) {
        return ((p.address()[2] & 0xff) << 8) | (p.address()[3] & 0xff);
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
            List<SwarmStore.Peer> got = announce(store, asker, 50);
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
        List<SwarmStore.Peer> got = announce(store, 600, 50);
        assertThat(got).isNotEmpty().allSatisfy(p -> assertThat(index(p)).isBetween(500, 599));
    }
}
