package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.testkit.ReferencePeer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with the clients people use, both directions, on 127.0.0.1 with DHT, LSD, UPnP and
 * NAT-PMP off everywhere: libtorrent (python3-libtorrent), Transmission (transmission-daemon) and
 * aria2. Data is compared byte for byte. Every process is stopped by its PID; every wait is bounded.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class InteropTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;
    Path seedDir;
    Path torrentFile;
    Metainfo metainfo;

    @BeforeEach
    void makeData() throws Exception {
        seedDir = tmp.resolve("seed");
        metainfo = Swarm.makeData(seedDir, "interop", 7, 65536, 1_500_000, 3_000_001, 17, 2_000_000);
        torrentFile = Swarm.torrentFile(metainfo, tmp.resolve("interop.torrent"));
        assertThat(Metainfo.read(torrentFile).infoHash()).isEqualTo(metainfo.infoHash());
    }

    private TorrentHandle seed(Session s) throws Exception {
        return s.add(AddTorrentParams.builder(metainfo, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
    }

    private void awaitComplete(Path saveDir, ReferencePeer peer) throws Exception {
        Swarm.awaitVerified(metainfo, seedDir, saveDir, peer, WAIT);
    }

    private void jtorrentDownloadsFrom(ReferencePeer peer) throws Exception {
        Swarm.downloadFrom(Swarm.loopback().build(), metainfo, seedDir, tmp.resolve("jtorrent-leech"), peer, WAIT);
    }

    @Test
    void jtorrentDownloadsFromLibtorrent() throws Exception {
        try (ReferencePeer lt = ReferencePeer.libtorrent(true, torrentFile, seedDir, tmp.resolve("lt"), Duration.ofMinutes(3))) {
            jtorrentDownloadsFrom(lt);
        }
    }

    @Test
    void libtorrentDownloadsFromJtorrent() throws Exception {
        Path leechDir = tmp.resolve("lt-leech");
        try (Session s = Session.start(Swarm.loopback().build())) {
            seed(s);
            try (ReferencePeer lt = ReferencePeer.libtorrent(false, torrentFile, leechDir, tmp.resolve("lt"),
                    Duration.ofMinutes(3), "127.0.0.1:" + s.listenPort())) {
                awaitComplete(leechDir, lt);
            }
        }
    }

    @Test
    void jtorrentDownloadsFromTransmission() throws Exception {
        try (ReferencePeer tr = ReferencePeer.transmission(torrentFile, seedDir, tmp.resolve("tr"))) {
            // Transmission 3.00 answers requests in batches every half second and unchokes on its
            // 10-s round; the request queue grows to cover the wait between batches (Requests)
            Swarm.downloadFrom(Swarm.loopback().build(), metainfo, seedDir, tmp.resolve("jtorrent-leech"), tr,
                    Duration.ofSeconds(120));
        }
    }

    @Test
    void transmissionDownloadsFromJtorrent() throws Exception {
        Path leechDir = Files.createDirectories(tmp.resolve("tr-leech"));
        try (Session s = Session.start(Swarm.loopback().build())) {
            TorrentHandle h = seed(s);
            try (ReferencePeer tr = ReferencePeer.transmission(torrentFile, leechDir, tmp.resolve("tr"))) {
                // Transmission ignores loopback peers it is told of; it takes our connection
                h.addPeer(new InetSocketAddress("127.0.0.1", tr.peerPort())).get(5, TimeUnit.SECONDS);
                awaitComplete(leechDir, tr);
            }
        }
    }

    @Test
    void jtorrentDownloadsFromAria2() throws Exception {
        try (ReferencePeer aria = ReferencePeer.aria2(true, torrentFile, seedDir, tmp.resolve("aria"))) {
            jtorrentDownloadsFrom(aria);
        }
    }

    @Test
    void aria2DownloadsFromJtorrent() throws Exception {
        Path leechDir = Files.createDirectories(tmp.resolve("aria-leech"));
        try (Session s = Session.start(Swarm.loopback().build())) {
            TorrentHandle h = seed(s);
            try (ReferencePeer aria = ReferencePeer.aria2(false, torrentFile, leechDir, tmp.resolve("aria"))) {
                // aria2 finds peers only through trackers: we dial it
                Swarm.await(Duration.ofSeconds(20), "aria2 to listen", () -> aria.log().contains("Listening")
                        || aria.log().contains("listening") || aria.log().contains("CN:"));
                h.addPeer(new InetSocketAddress("127.0.0.1", aria.peerPort())).get(5, TimeUnit.SECONDS);
                awaitComplete(leechDir, aria);
                assertThat(aria.waitFor(Duration.ofSeconds(30))).as("aria2 exits once done").isTrue();
            }
        }
    }

    @Test
    void mixedSwarmOneJtorrentSeedThreeClientsLeeching() throws Exception {
        Path jtDir = tmp.resolve("mixed-jtorrent");
        Path ltDir = tmp.resolve("mixed-libtorrent");
        Path ariaDir = Files.createDirectories(tmp.resolve("mixed-aria"));
        try (Session seeder = Session.start(Swarm.loopback().build());
             Session leecher = Session.start(Swarm.loopback().build())) {
            TorrentHandle seed = seed(seeder);
            try (ReferencePeer aria = ReferencePeer.aria2(false, torrentFile, ariaDir, tmp.resolve("aria"));
                 ReferencePeer lt = ReferencePeer.libtorrent(false, torrentFile, ltDir, tmp.resolve("lt"), Duration.ofMinutes(3),
                         "127.0.0.1:" + seeder.listenPort(), "127.0.0.1:" + leecher.listenPort())) {
                TorrentHandle jt = leecher.add(AddTorrentParams.builder(metainfo, jtDir)
                        .peer(new InetSocketAddress("127.0.0.1", seeder.listenPort()))
                        .peer(new InetSocketAddress("127.0.0.1", aria.peerPort()))
                        .peer(new InetSocketAddress("127.0.0.1", lt.peerPort())).build()).get(30, TimeUnit.SECONDS);
                seed.addPeer(new InetSocketAddress("127.0.0.1", aria.peerPort())).get(5, TimeUnit.SECONDS);
                Swarm.await(WAIT, "the jtorrent leecher", () -> Swarm.status(jt).isFinished());
                awaitComplete(ltDir, lt);
                awaitComplete(ariaDir, aria);
            }
        }
        Swarm.assertSameTree(seedDir.resolve("interop"), jtDir.resolve("interop"));
    }
}
