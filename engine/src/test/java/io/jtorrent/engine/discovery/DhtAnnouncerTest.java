package io.jtorrent.engine.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.engine.time.Loop;
import io.jtorrent.engine.time.ManualLoop;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.metainfo.Metainfo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The DHT as a peer source on virtual time: the first lookup waits for the node to be ready;
 * empty lookups back off 5, 10, 20, 40 s then every minute; a lookup that finds peers hands them
 * over and runs again in a minute (15 minutes seeding); nothing while the torrent is inactive.
 */
class DhtAnnouncerTest {
    private static final long SECOND = 1_000_000_000L;
    private static final InfoHash HASH = InfoHash.v1(new byte[20]);

    private final ManualLoop loop = new ManualLoop();
    private final List<Long> lookups = new ArrayList<>();
    private final List<InetSocketAddress> candidates = new ArrayList<>();
    private List<InetSocketAddress> answer = List.of();
    private boolean active = true;
    private boolean seeding;
    /** Set: lookups do not end by themselves; the test gives answers early and ends them. */
    private CompletableFuture<List<InetSocketAddress>> unfinished;
    private java.util.function.Consumer<List<InetSocketAddress>> early;

    private final Dht dht = new Dht() {
        @Override
        public int port() {
            return 6881;
        }

        @Override
        public CompletableFuture<Void> ready(List<Metainfo.Node> torrentNodes) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<List<InetSocketAddress>> announce(InfoHash infoHash, int port,
                                                                  java.util.function.Consumer<List<InetSocketAddress>> early) {
            lookups.add(loop.nanoTime() / SECOND);
            if (unfinished != null) {
                DhtAnnouncerTest.this.early = early;
                return unfinished;
            }
            return CompletableFuture.completedFuture(answer);
        }

        @Override
        public void addNode(InetSocketAddress node) {
        }
    };

    private final DhtAnnouncer announcer = new DhtAnnouncer(new DhtAnnouncer.Host() {
        @Override
        public Loop owner() {
            return loop;
        }

        @Override
        public boolean active() {
            return active;
        }

        @Override
        public boolean seeding() {
            return seeding;
        }

        @Override
        public int listenPort() {
            return 6881;
        }

        @Override
        public void addCandidates(List<InetSocketAddress> addresses, boolean manual) {
            candidates.addAll(addresses);
        }
    }, dht, HASH);

    /** A second of the torrent's life: the tick that asks the announcer whether a lookup is due. */
    private void seconds(int n) {
        for (int i = 0; i < n; i++) {
            loop.advance(SECOND);
            announcer.tick(loop.nanoTime());
        }
    }

    @Test
    void theFirstLookupWaitsForTheNodeAndEmptyLookupsBackOff() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        announcer.startWhen(ready);
        seconds(3);
        assertThat(lookups).as("not before the node is ready").isEmpty();
        ready.complete(null);
        seconds(200);
        // at 3 s, then 5, 10, 20, 40 s later, then every 60 s
        assertThat(lookups).startsWith(3L, 8L, 18L, 38L, 78L, 138L, 198L);
        assertThat(candidates).isEmpty();
    }

    @Test
    void aLookupThatFindsPeersHandsThemOverAndWaitsAMinuteOrAQuarterHourSeeding() {
        answer = List.of(new InetSocketAddress("127.0.0.1", 7000));
        announcer.startWhen(CompletableFuture.completedFuture(null));
        seconds(130);
        assertThat(lookups).containsExactly(0L, 60L, 120L);
        assertThat(candidates).hasSize(3);
        seeding = true;
        seconds(1000);
        assertThat(lookups).containsExactly(0L, 60L, 120L, 180L, 1080L);
    }

    @Test
    void peersAreHandedOverAsAnswersBringThemBeforeTheLookupEnds() {
        unfinished = new CompletableFuture<>();
        announcer.startWhen(CompletableFuture.completedFuture(null));
        loop.runReady();
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 7000);
        InetSocketAddress b = new InetSocketAddress("127.0.0.1", 7001);
        early.accept(List.of(a)); // the first node's answer, from the DHT's thread
        loop.runReady();
        assertThat(candidates).containsExactly(a);
        seconds(30); // the lookup still waits for slow nodes: no second one meanwhile
        assertThat(lookups).containsExactly(0L);
        early.accept(List.of(b));
        unfinished.complete(List.of(a, b));
        loop.runReady();
        assertThat(candidates).startsWith(a, b);
        unfinished = null;
        seconds(100);
        assertThat(lookups).as("a minute after the end of the one that found peers").startsWith(0L, 90L);
    }

    @Test
    void anInactiveTorrentDoesNotLookUp() {
        active = false;
        announcer.startWhen(CompletableFuture.completedFuture(null));
        seconds(100);
        assertThat(lookups).isEmpty();
        active = true;
        announcer.lookup(); // a user's reannounce
        assertThat(lookups).containsExactly(100L);
    }
}
