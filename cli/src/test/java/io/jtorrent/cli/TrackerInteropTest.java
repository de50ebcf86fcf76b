package io.jtorrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.PieceHasher;
import io.jtorrent.metainfo.TorrentBuilder;
import io.jtorrent.metainfo.TorrentVerifier;
import io.jtorrent.testkit.ReferencePeer;
import io.jtorrent.trackerserver.MemoryStore;
import io.jtorrent.trackerserver.TrackerServer;
import io.jtorrent.trackerserver.UdpTrackerServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients find each other only through jtorrent's tracker: a Transmission seeder and an
 * aria2 leecher over HTTP; libtorrent (leeching from a jtorrent seed) over UDP. No peer is given to
 * anyone directly; DHT, LSD, PEX and UPnP are off everywhere.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TrackerInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;
    private TrackerServer http;
    private UdpTrackerServer udp;
    private Path seedDir;

    @BeforeEach
    void startTracker() throws Exception {
        MemoryStore store = new MemoryStore(TimeUnit.MINUTES.toNanos(10), System::nanoTime);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        http = new TrackerServer(any, store, 60, null, 1);
        udp = new UdpTrackerServer(any, store, 60, null);
        seedDir = Files.createDirectories(tmp.resolve("seed/album"));
        Random r = new Random(3);
        for (String name : new String[] {"one.bin", "two.bin"}) {
            byte[] b = new byte[2_500_000];
            r.nextBytes(b);
            Files.write(seedDir.resolve(name), b);
        }
    }

    @AfterEach
    void stopTracker() {
        udp.close();
        http.close();
    }

    private Path torrent(String announce) throws Exception {
        return Files.write(tmp.resolve("album.torrent"), TorrentBuilder.from(seedDir).pieceLength(65536)
                .tracker(announce).creationDate(null).build().bytes());
    }

    private static void awaitComplete(Metainfo m, Path saveDir, ReferencePeer peer, Path expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!TorrentVerifier.verify(m, saveDir, 2, PieceHasher.Progress.NONE).complete()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no complete download in " + saveDir + " within " + WAIT + "\n" + peer.logTail());
            }
            Thread.sleep(300);
        }
        for (String name : new String[] {"one.bin", "two.bin"}) {
            assertThat(Files.mismatch(expected.resolve(name), saveDir.resolve("album").resolve(name))).isEqualTo(-1L);
        }
    }

    @Test
    void transmissionSeedsToAria2ThroughOurHttpTracker() throws Exception {
        Path t = torrent(http.announceUrl());
        Metainfo m = Metainfo.read(t);
        Path ariaDir = Files.createDirectories(tmp.resolve("aria"));
        try (ReferencePeer tr = ReferencePeer.transmission(t, tmp.resolve("seed"), tmp.resolve("tr"))) {
            // the seeder announces first; then the leecher learns of it from the tracker alone
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (http.store().scrape(m.infoHash().truncated20()).complete() < 1) {
                assertThat(System.nanoTime()).as("Transmission announced as a seeder\n" + tr.logTail() + tr.transmissionInfo())
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
            try (ReferencePeer aria = ReferencePeer.aria2(false, t, ariaDir, tmp.resolve("aria-work"))) {
                awaitComplete(m, ariaDir, aria, seedDir);
            }
        }
        assertThat(http.announceCount()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void libtorrentFindsAJtorrentSeedThroughOurUdpTracker() throws Exception {
        Path t = torrent("udp://127.0.0.1:" + udp.address().getPort() + "/announce");
        Metainfo m = Metainfo.read(t);
        try (Session seed = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build())) {
            seed.add(AddTorrentParams.builder(m, tmp.resolve("seed")).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            Path ltDir = tmp.resolve("lt");
            try (ReferencePeer lt = ReferencePeer.libtorrent(false, t, ltDir, tmp.resolve("lt-work"), Duration.ofMinutes(3))) {
                awaitComplete(m, ltDir, lt, seedDir);
            }
        }
        assertThat(udp.announceCount()).isGreaterThanOrEqualTo(2);
    }
}
