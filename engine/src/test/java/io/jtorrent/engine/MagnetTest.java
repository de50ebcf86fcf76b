package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.MagnetUri;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.PieceHasher;
import io.jtorrent.metainfo.TorrentVerifier;
import io.jtorrent.testkit.ReferencePeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Magnet links (BEP 9): the metadata comes from the peers — libtorrent, Transmission, jtorrent —
 * and libtorrent fetches ours. All on 127.0.0.1 with the DHT off; data compared byte for byte.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MagnetTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;
    Path seedDir;
    Path torrentFile;
    Metainfo metainfo;

    @BeforeEach
    void makeData() throws Exception {
        seedDir = tmp.resolve("seed");
        // an info dictionary of several 16 KiB metadata pieces: many small files
        int[] sizes = new int[1500];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = 1000 + (i * 37) % 3000;
        }
        metainfo = Swarm.makeData(seedDir, "magnet", 11, 16384, sizes);
        torrentFile = Swarm.torrentFile(metainfo, tmp.resolve("magnet.torrent"));
        assertThat(metainfo.infoBytes().length).as("metadata spans several pieces").isGreaterThan(3 * 16384);
    }

    private String magnet(int peerPort) {
        return "magnet:?xt=urn:btih:" + metainfo.infoHash().hex() + "&dn=magnet&x.pe=127.0.0.1:" + peerPort;
    }

    private void jtorrentDownloadsByMagnetFrom(int peerPort, String from) throws Exception {
        Path leechDir = tmp.resolve("leech");
        Path resume = Files.createDirectories(tmp.resolve("resume"));
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        try (Session s = Session.start(Swarm.loopback().resumeDirectory(resume).build())) {
            s.subscribe(events::add);
            TorrentHandle h = s.add(AddTorrentParams.builder(MagnetUri.parse(magnet(peerPort)), leechDir).build())
                    .get(30, TimeUnit.SECONDS);
            Metainfo fetched = h.metadata().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(fetched.infoHash()).isEqualTo(metainfo.infoHash());
            assertThat(fetched.info().files()).hasSameSizeAs(metainfo.info().files());
            try {
                Swarm.await(WAIT, "the magnet download from " + from, () -> Swarm.status(h).isFinished());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " " + Swarm.status(h), e);
            }
            assertThat(events).anyMatch(e -> e instanceof SessionEvent.MetadataReceived m && m.size() == metainfo.infoBytes().length);
            // the fetched metadata is kept with the resume data, as a torrent file with the same info-hash
            Path saved = resume.resolve(metainfo.infoHash().hex() + ".torrent");
            Swarm.await(Duration.ofSeconds(10), "the saved torrent file", () -> Files.exists(saved));
            assertThat(Metainfo.read(saved).infoHash()).isEqualTo(metainfo.infoHash());
        }
        Swarm.assertSameTree(seedDir.resolve("magnet"), leechDir.resolve("magnet"));
    }

    @Test
    void jtorrentFetchesTheMetadataFromJtorrent() throws Exception {
        try (Session seeder = Session.start(Swarm.loopback().build())) {
            seeder.add(AddTorrentParams.builder(metainfo, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            jtorrentDownloadsByMagnetFrom(seeder.listenPort(), "jtorrent");
        }
    }

    @Test
    void jtorrentFetchesTheMetadataFromLibtorrent() throws Exception {
        try (ReferencePeer lt = ReferencePeer.libtorrent(true, torrentFile, seedDir, tmp.resolve("lt"), Duration.ofMinutes(3))) {
            jtorrentDownloadsByMagnetFrom(lt.peerPort(), "libtorrent");
        }
    }

    @Test
    void jtorrentFetchesTheMetadataFromTransmission() throws Exception {
        try (ReferencePeer tr = ReferencePeer.transmission(torrentFile, seedDir, tmp.resolve("tr"))) {
            jtorrentDownloadsByMagnetFrom(tr.peerPort(), "Transmission");
        }
    }

    @Test
    void libtorrentFetchesTheMetadataFromJtorrent() throws Exception {
        Path leechDir = tmp.resolve("lt-leech");
        try (Session s = Session.start(Swarm.loopback().build())) {
            s.add(AddTorrentParams.builder(metainfo, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            String link = "magnet:?xt=urn:btih:" + metainfo.infoHash().hex() + "&dn=magnet";
            try (ReferencePeer lt = ReferencePeer.libtorrentMagnet(link, leechDir, tmp.resolve("lt"), Duration.ofMinutes(3),
                    "127.0.0.1:" + s.listenPort())) {
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!TorrentVerifier.verify(metainfo, leechDir, 2, PieceHasher.Progress.NONE).complete()) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("libtorrent did not complete the magnet download\n" + lt.logTail());
                    }
                    Thread.sleep(300);
                }
            }
        }
        Swarm.assertSameTree(seedDir.resolve("magnet"), leechDir.resolve("magnet"));
    }

    @Test
    void selectOnlyDownloadsTheNamedFiles() throws Exception {
        Path leechDir = tmp.resolve("so");
        try (Session seeder = Session.start(Swarm.loopback().build());
             Session leecher = Session.start(Swarm.loopback().build())) {
            seeder.add(AddTorrentParams.builder(metainfo, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(AddTorrentParams.builder(MagnetUri.parse(magnet(seeder.listenPort()) + "&so=0,2-3"),
                    leechDir).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(WAIT, "the selected files", () -> Swarm.status(h).isFinished());
            Metainfo m = h.metainfo();
            for (int i = 0; i < m.info().files().size(); i++) {
                Path f = m.info().files().get(i).resolveIn(leechDir);
                Path original = m.info().files().get(i).resolveIn(seedDir);
                if (i == 0 || i == 2 || i == 3) {
                    assertThat(Files.mismatch(original, f)).as("file %d", i).isEqualTo(-1L);
                }
            }
            assertThat(Swarm.status(h).wantedBytes()).isLessThan(m.info().totalLength() / 4);
        }
    }
}
