package io.jtorrent.trackerserver;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Swarms in memory: a map of swarms, each a list of peers with an index by address and port
 * (never by peer id alone: another host sending a victim's id must not move or remove it), guarded by
 * the swarm itself. An announce costs O(numwant), whatever the swarm's size: peers are sampled by
 * random index, never copied. Peers that stop announcing are dropped after {@code expiryNanos}
 * (twice the announce interval) by {@link #expire()}, which the server runs periodically; until
 * then sampling skips them.
 */
public final class MemoryStore implements SwarmStore {
    private final Map<ByteBuffer, Swarm> swarms = new ConcurrentHashMap<>();
    private final long expiryNanos;
    private final LongSupplier clock;

    /** One peer: about 150 bytes with its index entry. */
    private static final class Entry {
        final byte[] peerId;
        byte[] address;
        int port;
        boolean seeder;
        long lastSeen;

        Entry(byte[] peerId) {
            this.peerId = peerId;
        }

        Peer peer() {
            return new Peer(peerId, address, port, seeder);
        }
    }

    /** A peer's address and port as a map key. */
    private record Key(byte[] address, int port) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.port == port && Arrays.equals(k.address, address);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(address) * 31 + port;
        }
    }

    private static final class Swarm {
        final ArrayList<Entry> peers = new ArrayList<>();
        final HashMap<Key, Integer> index = new HashMap<>();
        int seeders;
        int downloaded;

        void remove(int i) {
            Entry gone = peers.get(i);
            Entry last = peers.remove(peers.size() - 1);
            if (last != gone) {
                peers.set(i, last);
                index.put(new Key(last.address, last.port), i);
            }
            index.remove(new Key(gone.address, gone.port));
            if (gone.seeder) {
                seeders--;
            }
        }
    }

    /** Swarms held at most; an announce for a new one beyond is refused. */
    public static final int DEFAULT_MAX_SWARMS = 1_000_000;
    /** Peers one swarm holds at most; a new peer beyond is refused. */
    public static final int DEFAULT_MAX_PEERS_PER_SWARM = 100_000;

    private final int maxSwarms;
    private final int maxPeersPerSwarm;

    public MemoryStore(long expiryNanos, LongSupplier nanoClock) {
        this(expiryNanos, nanoClock, DEFAULT_MAX_SWARMS, DEFAULT_MAX_PEERS_PER_SWARM);
    }

    public MemoryStore(long expiryNanos, LongSupplier nanoClock, int maxSwarms, int maxPeersPerSwarm) {
        this.expiryNanos = expiryNanos;
        this.clock = nanoClock;
        this.maxSwarms = maxSwarms;
        this.maxPeersPerSwarm = maxPeersPerSwarm;
    }

    @Override
    public Answer announce(Announce a) {
        ByteBuffer key = ByteBuffer.wrap(a.infoHash());
        long now = clock.getAsLong();
        Swarm s = swarms.get(key);
        if (s == null && a.event() != Event.STOPPED) {
            if (swarms.size() >= maxSwarms) {
                throw new Full("the tracker holds as many torrents as it may (" + maxSwarms + ")");
            }
            s = swarms.computeIfAbsent(ByteBuffer.wrap(a.infoHash().clone()), k -> new Swarm());
        }
        if (s == null) {
            return new Answer(0, 0, 0, List.of());
        }
        synchronized (s) {
            Key id = new Key(a.peer().address(), a.peer().port());
            Integer at = s.index.get(id);
            if (a.event() == Event.STOPPED) {
                if (at != null) {
                    s.remove(at);
                }
                return new Answer(s.seeders, s.peers.size() - s.seeders, s.downloaded, List.of());
            }
            Entry e;
            if (at == null) {
                if (s.peers.size() >= maxPeersPerSwarm) {
                    throw new Full("the torrent's swarm is full (" + maxPeersPerSwarm + " peers)");
                }
                e = new Entry(a.peer().peerId().clone());
                e.address = a.peer().address();
                e.port = a.peer().port();
                s.index.put(new Key(e.address, e.port), s.peers.size());
                s.peers.add(e);
            } else {
                e = s.peers.get(at);
                if (e.seeder) {
                    s.seeders--;
                }
            }
            e.address = a.peer().address();
            e.port = a.peer().port();
            e.seeder = a.peer().seeder();
            e.lastSeen = now;
            if (e.seeder) {
                s.seeders++;
            }
            if (a.event() == Event.COMPLETED) {
                s.downloaded++;
            }
            return new Answer(s.seeders, s.peers.size() - s.seeders, s.downloaded, sample(s, e, a.numWant(), now));
        }
    }

    /** Up to numWant random live peers other than {@code self} (no seeders for a seeder). */
    private List<Peer> sample(Swarm s, Entry self, int numWant, long now) {
        int size = s.peers.size();
        int want = Math.min(numWant, size - 1);
        List<Peer> out = new ArrayList<>(Math.max(0, want));
        if (want <= 0) {
            return out;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        if (size <= 2 * numWant) {
            // small swarm: walk it all from a random start
            int start = r.nextInt(size);
            for (int k = 0; k < size && out.size() < want; k++) {
                take(s.peers.get((start + k) % size), self, now, out);
            }
            return out;
        }
        // large swarm: a random start and a random stride prime to the size visit distinct
        // indices without a set of those seen (boxing them was a tenth of a UDP announce's CPU);
        // a bounded number of probes, as expired peers are skipped
        int start = r.nextInt(size);
        int stride = 1 + r.nextInt(size - 1);
        while (gcd(stride, size) != 1) {
            stride = stride % (size - 1) + 1;
        }
        for (int k = 0; k < 3 * numWant && k < size && out.size() < want; k++) {
            take(s.peers.get((int) ((start + (long) k * stride) % size)), self, now, out);
        }
        return out;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private void take(Entry e, Entry self, long now, List<Peer> out) {
        if (e != self && !(self.seeder && e.seeder) && now - e.lastSeen <= expiryNanos) {
            out.add(e.peer());
        }
    }

    /** Drops expired peers and empty swarms everywhere. */
    public void expire() {
        long now = clock.getAsLong();
        swarms.entrySet().removeIf(entry -> {
            Swarm s = entry.getValue();
            synchronized (s) {
                for (int i = s.peers.size() - 1; i >= 0; i--) {
                    if (now - s.peers.get(i).lastSeen > expiryNanos) {
                        s.remove(i);
                    }
                }
                return s.peers.isEmpty();
            }
        });
    }

    @Override
    public Counts scrape(byte[] infoHash) {
        Swarm s = swarms.get(ByteBuffer.wrap(infoHash));
        if (s == null) {
            return new Counts(0, 0, 0);
        }
        synchronized (s) {
            return new Counts(s.seeders, s.peers.size() - s.seeders, s.downloaded);
        }
    }

    @Override
    public long[] totals() {
        long peers = 0;
        long seeders = 0;
        for (Swarm s : swarms.values()) {
            synchronized (s) {
                peers += s.peers.size();
                seeders += s.seeders;
            }
        }
        return new long[] {swarms.size(), peers, seeders};
    }
}
