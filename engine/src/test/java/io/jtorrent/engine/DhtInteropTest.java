package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.dht.DhtServer;
import io.jtorrent.dht.NodeId;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.PieceHasher;
import io.jtorrent.metainfo.TorrentBuilder;
import io.jtorrent.metainfo.TorrentVerifier;
import io.jtorrent.testkit.ReferencePeer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trackerless downloads between jtorrent and libtorrent, both ways: no tracker, no peer given;
 * every DHT node (ours and libtorrent's) joins only through one jtorrent DHT node on 127.0.0.1.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DhtInteropTest {
    @TempDir
    Path tmp;
    private DhtServer bootstrap;
    private Path seedDir;
    private Path torrent;
    private Metainfo metainfo;

    @BeforeEach
    void setUp() throws Exception {
        bootstrap = new DhtServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), NodeId.random(new java.util.Random(2)));
        seedDir = tmp.resolve("seed");
        metainfo = Swarm.makeData(seedDir, "dht-interop", 8, 65536, 1_200_000, 800_000);
        torrent = Files.write(tmp.resolve("dht.torrent"), TorrentBuilder.from(seedDir.resolve("dht-interop"))
                .pieceLength(65536).creationDate(null).build().bytes());
        assertThat(Metainfo.read(torrent).trackers()).isEmpty();
    }

    @AfterEach
    void tearDown() {
        bootstrap.close();
    }

    private String bootstrapNode() {
        return "127.0.0.1:" + bootstrap.address().getPort();
    }

    private Settings.Builder dhtSettings() {
        return Swarm.loopback().dhtPort(0).dhtBootstrap("127.0.0.1", bootstrap.address().getPort());
    }

    @Test
    void jtorrentFindsALibtorrentSeedThroughTheDht() throws Exception {
        try (ReferencePeer lt = ReferencePeer.libtorrentWithDht(true, torrent, seedDir, tmp.resolve("lt"), Duration.ofMinutes(3), bootstrapNode())) {
            Swarm.await(Duration.ofSeconds(60), "libtorrent's announce to reach the DHT\n" + lt.logTail(),
                    () -> bootstrap.status().join().storedPeers() > 0);
            try (Session s = Session.start(dhtSettings().build())) {
                TorrentHandle h = s.add(AddTorrentParams.builder(metainfo, tmp.resolve("jt")).build()).get(30, TimeUnit.SECONDS);
                try {
                    Swarm.await(Duration.ofSeconds(90), "the trackerless download from libtorrent", () -> Swarm.status(h).isFinished());
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n" + lt.logTail(), e);
                }
            }
        }
        Swarm.assertSameTree(seedDir.resolve("dht-interop"), tmp.resolve("jt/dht-interop"));
    }

    @Test
    void libtorrentFindsAJtorrentSeedThroughTheDht() throws Exception {
        try (Session s = Session.start(dhtSettings().build())) {
            s.add(AddTorrentParams.builder(metainfo, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(20), "our announce to reach the DHT", () -> bootstrap.status().join().storedPeers() > 0);
            Path ltDir = tmp.resolve("lt-leech");
            try (ReferencePeer lt = ReferencePeer.libtorrentWithDht(false, torrent, ltDir, tmp.resolve("lt"), Duration.ofMinutes(3), bootstrapNode())) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (!TorrentVerifier.verify(metainfo, ltDir, 2, PieceHasher.Progress.NONE).complete()) {
                    assertThat(System.nanoTime()).as("libtorrent completes through the DHT\n" + lt.logTail()).isLessThan(deadline);
                    Thread.sleep(300);
                }
            }
            Swarm.assertSameTree(seedDir.resolve("dht-interop"), tmp.resolve("lt-leech/dht-interop"));
        }
    }
}
