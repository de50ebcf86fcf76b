package io.jtorrent.trackerserver;

import java.util.List;

/**
 * Where a tracker keeps its swarms. The memory store is the default; others (Redis) let several
 * tracker processes share the swarms. Implementations are thread-safe.
 */
public interface SwarmStore extends AutoCloseable {

    /** A peer as the store keeps it: address bytes (4 or 16), port, whether it is a seeder. */
    record Peer(byte[] peerId, byte[] address, int port, boolean seeder) {}

    /** A store's limit was reached; the message is the failure reason to answer with. */
    final class Full extends RuntimeException {
        public Full(String message) {
            super(message, null, false, false);
        }
    }

    /** One announce to record. */
    record Announce(byte[] infoHash, Peer peer, Event event, int numWant) {}

    enum Event { NONE, STARTED, COMPLETED, STOPPED }

    /** What a swarm looks like after an announce, and the peers to give back. */
    record Answer(int complete, int incomplete, int downloaded, List<Peer> peers) {}

    /** Counts of one swarm, for scrape. */
    record Counts(int complete, int incomplete, int downloaded) {}

    /**
     * Records the announce (a stopped peer is removed at once) and returns up to {@code numWant}
     * other peers, chosen at random; a seeder is given no seeders.
     */
    Answer announce(Announce a);

    Counts scrape(byte[] infoHash);

    /** Swarms, peers and seeders now held, for the stats page. */
    long[] totals();

    @Override
    default void close() {}

    /** Whether calls may wait on I/O (a network store): then the server calls it off its event loops. */
    default boolean blocking() {
        return false;
    }
}
