package io.jtorrent.engine.discovery;

import io.jtorrent.engine.time.Loop;
import io.jtorrent.metainfo.InfoHash;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The DHT as a torrent's source of peers (BEP 5): a lookup, which also announces us, once the
 * node is ready (its bootstrap nodes answered); peers dialled as the answers bring them; then
 * again when the last one says. A lookup that finds nobody is tried again
 * soon, backing off (5, 10, 20, 40 s, then every minute); one that finds peers, every minute while
 * downloading and every 15 minutes seeding. Owned by the torrent's loop.
 */
public final class DhtAnnouncer {
    private static final long SECOND = 1_000_000_000L;

    /** What the announcer asks of its torrent. */
    public interface Host {
        Loop owner();

        /** Transferring or fetching metadata. */
        boolean active();

        boolean seeding();

        int listenPort();

        void addCandidates(List<InetSocketAddress> addresses, boolean manual);
    }

    private final Host torrent;
    private final Dht dht;
    private final InfoHash infoHash;
    /** When the next lookup runs (owner nanos); none while one is under way or before the first. */
    private long nextLookup = Long.MAX_VALUE;
    /** Lookups in a row that found no peer. */
    private int emptyLookups;

    public DhtAnnouncer(Host torrent, Dht dht, InfoHash infoHash) {
        this.torrent = torrent;
        this.dht = dht;
        this.infoHash = infoHash;
    }

    /** The first lookup, once {@code ready} completes: started before the routing table has anyone, it would find nothing. */
    public void startWhen(CompletableFuture<?> ready) {
        ready.whenComplete((v, e) -> torrent.owner().execute(this::lookup));
    }

    /** Once a second. */
    public void tick(long now) {
        if (now >= nextLookup) {
            lookup();
        }
    }

    /** Looks up now (a user's reannounce, or when due). */
    public void lookup() {
        assert torrent.owner().inLoop();
        if (!torrent.active()) {
            return;
        }
        nextLookup = Long.MAX_VALUE;
        // peers are dialled as answers bring them, not when the lookup ends (its slowest nodes may take seconds)
        java.util.function.Consumer<List<InetSocketAddress>> early =
                peers -> torrent.owner().execute(() -> torrent.addCandidates(peers, false));
        dht.announce(infoHash, torrent.listenPort(), early).whenComplete((peers, e) -> torrent.owner().execute(() -> {
            boolean found = peers != null && !peers.isEmpty();
            if (found) {
                torrent.addCandidates(peers, false); // known already, unless the DHT gave none early
            }
            emptyLookups = found ? 0 : emptyLookups + 1;
            long delay = found ? (torrent.seeding() ? 900 : 60) : Math.min(60, 5L << Math.min(4, emptyLookups - 1));
            nextLookup = torrent.owner().nanoTime() + delay * SECOND;
        }));
    }
}
