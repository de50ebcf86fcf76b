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
