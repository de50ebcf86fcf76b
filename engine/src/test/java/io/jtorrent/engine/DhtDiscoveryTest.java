package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.dht.DhtServer;
import io.jtorrent.dht.NodeId;
import io.jtorrent.metainfo.Metainfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trackerless: a torrent with no trackers and no peers given; the seed and the leecher find each
 * other through the DHT alone, bootstrapped from one node on 127.0.0.1.
 */
class DhtDiscoveryTest {
    @TempDir
    Path tmp;

    @Test
    void leecherFindsTheSeedThroughTheDht() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "trackerless", 4, 32768, 700_000, 300_000);
        assertThat(m.trackers()).isEmpty();
        try (DhtServer bootstrap = new DhtServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                NodeId.random(new java.util.Random(1)))) {
            int bootPort = bootstrap.address().getPort();
            try (Session seed = Session.start(Swarm.loopback().dhtPort(0).dhtBootstrap("127.0.0.1", bootPort).build());
                 Session leech = Session.start(Swarm.loopback().dhtPort(0).dhtBootstrap("127.0.0.1", bootPort).build())) {
                seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
                Swarm.await(Duration.ofSeconds(20), "the seed's announce to be stored",
                        () -> bootstrap.status().join().storedPeers() > 0);
                TorrentHandle h = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech")).build()).get(30, TimeUnit.SECONDS);
                Swarm.await(Duration.ofSeconds(60), "the trackerless download", () -> Swarm.status(h).isFinished());
                assertThat(bootstrap.status().join().nodes()).isGreaterThanOrEqualTo(2);
            }
        }
        Swarm.assertSameTree(seedDir.resolve("trackerless"), tmp.resolve("leech/trackerless"));
    }

    @Test
    void aHybridTorrentIsAnnouncedInBothItsSwarms() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path root = io.jtorrent.testkit.Trees.randomFiles(seedDir.resolve("hybrid"), "file", 6, 100_000, 50_000);
        Metainfo m = io.jtorrent.metainfo.TorrentBuilder.from(root).version(io.jtorrent.metainfo.TorrentBuilder.Version.HYBRID)
                .pieceLength(32768).build().metainfo();
        try (DhtServer bootstrap = new DhtServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                NodeId.random(new java.util.Random(3)))) {
            int bootPort = bootstrap.address().getPort();
            try (Session seed = Session.start(Swarm.loopback().dhtPort(0).dhtBootstrap("127.0.0.1", bootPort).build())) {
                seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
                // the v1 swarm and the v2 one (its hash truncated to 20 bytes, BEP 52): one peer stored under each
                Swarm.await(Duration.ofSeconds(20), "the seed's announces in both swarms",
                        () -> bootstrap.status().join().storedPeers() >= 2);
            }
        }
    }

    @Test
    void aTorrentAddedAsItsSessionStartsFindsTheSeedWithoutWaitingAMinute() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "quick", 5, 32768, 300_000);
        try (DhtServer bootstrap = new DhtServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                NodeId.random(new java.util.Random(2)))) {
            int bootPort = bootstrap.address().getPort();
            try (Session seed = Session.start(Swarm.loopback().dhtPort(0).dhtBootstrap("127.0.0.1", bootPort).build())) {
                seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
                Swarm.await(Duration.ofSeconds(20), "the seed's announce to be stored",
                        () -> bootstrap.status().join().storedPeers() > 0);
                // as `jtorrent download` does: the session starts and the torrent is added at once,
                // before the session's bootstrap has filled its routing table
                long t0 = System.nanoTime();
                try (Session leech = Session.start(Swarm.loopback().dhtPort(0).dhtBootstrap("127.0.0.1", bootPort).build())) {
                    TorrentHandle h = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech")).build()).get(30, TimeUnit.SECONDS);
                    // generous: the old behaviour (a lookup racing the bootstrap, then one a minute) took 60 s
                    Swarm.await(Duration.ofSeconds(20), "a peer found through the DHT",
                            () -> Swarm.status(h).peers() > 0 || Swarm.status(h).isFinished());
                    System.out.printf("first peer through the DHT after %.2f s%n", (System.nanoTime() - t0) / 1e9);
                    Swarm.await(Duration.ofSeconds(30), "the download", () -> Swarm.status(h).isFinished());
                }
            }
        }
    }

    @Test
    void aLookupThatFoundNobodyIsRetriedSoon() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "later", 6, 32768, 300_000);
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (DhtServer bootstrap = new DhtServer(loopback, NodeId.random(new java.util.Random(3)));
             DhtServer announcer = new DhtServer(loopback, NodeId.random(new java.util.Random(4)))) {
            int bootPort = bootstrap.address().getPort();
            // the seed has no DHT of its own (it cannot dial the leecher): another node announces it
            try (Session leech = Session.start(Swarm.loopback().dhtPort(0).dhtBootstrap("127.0.0.1", bootPort).build());
                 Session seed = Session.start(Swarm.loopback().build())) {
                seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
                TorrentHandle h = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech")).build()).get(30, TimeUnit.SECONDS);
                Swarm.await(Duration.ofSeconds(20), "the leecher's first lookup to store it at the bootstrap node",
                        () -> bootstrap.status().join().storedPeers() > 0);
                assertThat(Swarm.status(h).peers()).isZero();
                announcer.bootstrap(java.util.List.of(bootstrap.address())).get(20, TimeUnit.SECONDS);
                announcer.announce(NodeId.of(m.infoHash().truncated20()), seed.listenPort()).get(20, TimeUnit.SECONDS);
                long t0 = System.nanoTime();
                Swarm.await(Duration.ofSeconds(30), "the seed found by a later lookup (a minute with the old schedule)",
                        () -> Swarm.status(h).peers() > 0 || Swarm.status(h).isFinished());
                System.out.printf("seed found %.2f s after it was announced%n", (System.nanoTime() - t0) / 1e9);
                Swarm.await(Duration.ofSeconds(30), "the download", () -> Swarm.status(h).isFinished());
            }
        }
    }

    @Test
    void theNodeIdSurvivesARestart() throws Exception {
        Path state = tmp.resolve("state");
        io.jtorrent.dht.NodeId first;
        try (Session s = Session.start(Swarm.loopback().dhtPort(0).resumeDirectory(state).build())) {
            first = s.dhtNodeId();
        }
        try (Session s = Session.start(Swarm.loopback().dhtPort(0).resumeDirectory(state).build())) {
            assertThat(s.dhtNodeId()).isEqualTo(first);
        }
    }
}
