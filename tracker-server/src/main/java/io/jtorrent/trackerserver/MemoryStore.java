package io.jtorrent.trackerserver;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Swarms in memory: one map of swarms, each a small map of peers guarded by the swarm itself.
 * Peers that stop announcing are dropped after {@code expiryNanos} (twice the announce interval),
 * lazily when their swarm is touched and by {@link #expire()}, which the server runs periodically.
 */
public final class MemoryStore implements SwarmStore {
    private final Map<ByteBuffer, Swarm> swarms = new ConcurrentHashMap<>();
    private final long expiryNanos;
    private final LongSupplier clock;

    private static final class Swarm {
        final Map<ByteBuffer, Entry> peers = new java.util.HashMap<>();
        int seeders;
        int downloaded;
    }

    private record Entry(Peer peer, long lastSeen) {}

    public MemoryStore(long expiryNanos, LongSupplier nanoClock) {
        this.expiryNanos = expiryNanos;
        this.clock = nanoClock;
    }

    @Override
    public Answer announce(Announce a) {
        ByteBuffer key = ByteBuffer.wrap(a.infoHash().clone());
        long now = clock.getAsLong();
        if (a.event() == Event.STOPPED) {
            Swarm s = swarms.get(key);
            if (s == null) {
                return new Answer(0, 0, 0, List.of());
            }
            synchronized (s) {
                Entry removed = s.peers.remove(ByteBuffer.wrap(a.peer().peerId()));
                if (removed != null && removed.peer().seeder()) {
                    s.seeders--;
                }
                return new Answer(s.seeders, s.peers.size() - s.seeders, s.downloaded, List.of());
            }
        }
        Swarm s = swarms.computeIfAbsent(key, k -> new Swarm());
        synchronized (s) {
            expire(s, now);
            Entry old = s.peers.put(ByteBuffer.wrap(a.peer().peerId().clone()), new Entry(a.peer(), now));
            if (old != null && old.peer().seeder()) {
                s.seeders--;
            }
            if (a.peer().seeder()) {
                s.seeders++;
            }
            if (a.event() == Event.COMPLETED) {
                s.downloaded++;
            }
            return new Answer(s.seeders, s.peers.size() - s.seeders, s.downloaded, sample(s, a));
        }
    }

    /** Up to numWant random other peers (no seeders for a seeder). */
    private static List<Peer> sample(Swarm s, Announce a) {
        int want = Math.min(a.numWant(), s.peers.size() - 1);
        List<Peer> out = new ArrayList<>(Math.max(0, want));
        if (want <= 0) {
            return out;
        }
        List<Entry> all = new ArrayList<>(s.peers.values());
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < all.size() && out.size() < want; i++) {
            int j = i + r.nextInt(all.size() - i); // a partial Fisher-Yates shuffle
            Entry e = all.get(j);
            all.set(j, all.get(i));
            if (java.util.Arrays.equals(e.peer().peerId(), a.peer().peerId())
                    || (a.peer().seeder() && e.peer().seeder())) {
                continue;
            }
            out.add(e.peer());
        }
        return out;
    }

    private void expire(Swarm s, long now) {
        for (Iterator<Entry> it = s.peers.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (now - e.lastSeen() > expiryNanos) {
                if (e.peer().seeder()) {
                    s.seeders--;
                }
                it.remove();
            }
        }
    }

    /** Drops expired peers and empty swarms everywhere. */
    public void expire() {
        long now = clock.getAsLong();
        swarms.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                expire(e.getValue(), now);
                return e.getValue().peers.isEmpty();
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
