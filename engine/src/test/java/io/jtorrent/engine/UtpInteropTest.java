package io.jtorrent.engine;

import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.PieceHasher;
import io.jtorrent.metainfo.TorrentVerifier;
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
 * uTP with libtorrent speaking nothing else (TCP off both ways), both directions, byte for byte,
 * on 127.0.0.1; the process stopped by its PID, every wait bounded.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class UtpInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;
    Path seedDir;
    Path torrentFile;
    Metainfo metainfo;

    @BeforeEach
    void makeData() throws Exception {
        seedDir = tmp.resolve("seed");
        metainfo = Swarm.makeData(seedDir, "utp", 13, 65536, 1_500_000, 300_001);
        torrentFile = Swarm.torrentFile(metainfo, tmp.resolve("utp.torrent"));
    }

    @Test
    void jtorrentDownloadsFromAUtpOnlyLibtorrent() throws Exception {
        try (ReferencePeer lt = ReferencePeer.libtorrentUtpOnly(true, torrentFile, seedDir, tmp.resolve("lt"), Duration.ofMinutes(3))) {
            Swarm.downloadFrom(Swarm.loopback().build(), metainfo, seedDir, tmp.resolve("jt"), lt, WAIT);
        }
    }

    @Test
    void aUtpOnlyLibtorrentDownloadsFromJtorrent() throws Exception {
        Path leechDir = tmp.resolve("lt-leech");
        try (Session s = Session.start(Swarm.loopback().build())) {
            s.add(AddTorrentParams.builder(metainfo, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            try (ReferencePeer lt = ReferencePeer.libtorrentUtpOnly(false, torrentFile, leechDir, tmp.resolve("lt"),
                    Duration.ofMinutes(3), "127.0.0.1:" + s.listenPort())) {
                Swarm.awaitVerified(metainfo, seedDir, leechDir, lt, WAIT);
            }
        }
    }

    @Test
    void jtorrentDownloadsFromTransmissionOverUtp() throws Exception {
        Path leechDir = tmp.resolve("jt-tr");
        try (ReferencePeer tr = ReferencePeer.transmission(torrentFile, seedDir, tmp.resolve("tr"), 0, true);
             Session s = Session.start(Swarm.loopback().build())) {
            TorrentHandle h = s.add(AddTorrentParams.builder(metainfo, leechDir)
                    .peer(new InetSocketAddress("127.0.0.1", tr.peerPort())).build()).get(30, TimeUnit.SECONDS);
            boolean[] sawUtp = {false};
            Swarm.await(WAIT, "jtorrent to finish from Transmission", () -> {
                try {
                    sawUtp[0] |= h.peers().get(5, TimeUnit.SECONDS).stream().anyMatch(PeerInfo::utp);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return Swarm.status(h).isFinished();
            });
            org.assertj.core.api.Assertions.assertThat(sawUtp[0]).as("the peer was reached over uTP").isTrue();
        }
        Swarm.assertSameTree(seedDir.resolve("utp"), leechDir.resolve("utp"));
    }

    @Test
    void transmissionDownloadsFromJtorrentOverUtp() throws Exception {
        Path leechDir = Files.createDirectories(tmp.resolve("tr-leech"));
        try (Session s = Session.start(Swarm.loopback().build())) {
            TorrentHandle h = s.add(AddTorrentParams.builder(metainfo, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            try (ReferencePeer tr = ReferencePeer.transmission(torrentFile, leechDir, tmp.resolve("tr"), 0, true)) {
                // Transmission ignores loopback peers it is told of: we dial it, over uTP first
                h.addPeer(new InetSocketAddress("127.0.0.1", tr.peerPort())).get(5, TimeUnit.SECONDS);
                boolean[] sawUtp = {false};
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!TorrentVerifier.verify(metainfo, leechDir, 2, PieceHasher.Progress.NONE).complete()) {
                    sawUtp[0] |= h.peers().get(5, TimeUnit.SECONDS).stream().anyMatch(PeerInfo::utp);
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("Transmission did not complete over uTP\n" + tr.logTail());
                    }
                    Thread.sleep(300);
                }
                org.assertj.core.api.Assertions.assertThat(sawUtp[0]).as("Transmission was reached over uTP").isTrue();
            }
        }
        Swarm.assertSameTree(seedDir.resolve("utp"), leechDir.resolve("utp"));
    }
}
