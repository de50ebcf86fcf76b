package io.jtorrent.trackerserver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
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

    /**
     * What a swarm looks like after an announce, and the peers to give back in their compact forms
     * (BEP 23, BEP 7), as both protocols send them: {@code peers4} six bytes per IPv4 peer (address,
     * port big-endian), {@code peers6} eighteen per IPv6 peer.
     */
    record Answer(int complete, int incomplete, int downloaded, byte[] peers4, byte[] peers6) {
        static final byte[] NONE = new byte[0];

        /** Counts only, no peers. */
        Answer(int complete, int incomplete, int downloaded) {
            this(complete, incomplete, downloaded, NONE, NONE);
        }

        /** The peers as socket addresses, IPv4 ones first (non-compact answers). */
        public List<InetSocketAddress> addresses() {
            List<InetSocketAddress> out = new ArrayList<>(peers4.length / 6 + peers6.length / 18);
            addresses(peers4, 4, out);
            addresses(peers6, 16, out);
            return out;
        }

        private static void addresses(byte[] compact, int length, List<InetSocketAddress> out) {
            for (int at = 0; at + length + 2 <= compact.length; at += length + 2) {
                try {
                    InetAddress ip = InetAddress.getByAddress(java.util.Arrays.copyOfRange(compact, at, at + length));
                    out.add(new InetSocketAddress(ip, ((compact[at + length] & 0xff) << 8) | (compact[at + length + 1] & 0xff)));
                } catch (UnknownHostException e) {
                    throw new AssertionError(e); // four or sixteen bytes are always an address
                }
            }
        }
    }

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
