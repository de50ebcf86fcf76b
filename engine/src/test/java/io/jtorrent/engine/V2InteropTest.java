package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.MagnetUri;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.testkit.ExternalProgram;
import io.jtorrent.testkit.ReferencePeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * BitTorrent v2 (BEP 52) with libtorrent 2.0, both directions, on 127.0.0.1: multi-file v2-only
 * and hybrid torrents made by libtorrent's own {@code create_torrent}, checked piece by piece
 * against their Merkle trees, and compared byte for byte.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class V2InteropTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long PIECE = 64 << 10;

    @TempDir
    Path tmp;
    Path seedDir;

    @BeforeEach
    void makeData() throws Exception {
        seedDir = tmp.resolve("seed");
        Random random = new Random(52);
        // sizes that leave padded tails, a file of one piece, one shorter than a block, an empty one
        int[] sizes = {1_500_000, 17, 700_001, 65_536, 0, 200_000};
        String[] names = {"big.bin", "tiny", "sub/middle", "sub/exact", "sub/empty", "z/last"};
        for (int i = 0; i < sizes.length; i++) {
            Path f = seedDir.resolve("v2data").resolve(names[i]);
            Files.createDirectories(f.getParent());
            byte[] b = new byte[sizes[i]];
            random.nextBytes(b);
            Files.write(f, b);
        }
    }

    private Metainfo libtorrentTorrent(String kind) throws Exception {
        Path file = tmp.resolve(kind + ".torrent");
        ExternalProgram.libtorrentCreate(seedDir.resolve("v2data"), kind, PIECE, file);
        Metainfo m = Metainfo.read(file);
        assertThat(m.info().hasV2()).isTrue();
        assertThat(m.info().hasV1()).isEqualTo(kind.equals("hybrid"));
        return m;
    }

    @Test
    void jtorrentDownloadsAV2TorrentFromLibtorrent() throws Exception {
        jtorrentDownloadsFromLibtorrent("v2");
    }

    @Test
    void libtorrentDownloadsAV2TorrentFromJtorrent() throws Exception {
        Metainfo m = libtorrentTorrent("v2");
        libtorrentDownloadsFromJtorrent(m, tmp.resolve("v2.torrent"));
    }

    @Test
    void jtorrentDownloadsAHybridTorrentFromLibtorrent() throws Exception {
        jtorrentDownloadsFromLibtorrent("hybrid");
    }

    @Test
    void libtorrentDownloadsAHybridTorrentFromJtorrent() throws Exception {
        Metainfo m = libtorrentTorrent("hybrid");
        libtorrentDownloadsFromJtorrent(m, tmp.resolve("hybrid.torrent"));
    }

    @Test
    void jtorrentFetchesAV2MagnetFromLibtorrentPieceLayersIncluded() throws Exception {
        Metainfo m = libtorrentTorrent("v2");
        String magnet = "magnet:?xt=urn:btmh:1220" + m.infoHash().hex() + "&dn=v2data";
        Path leechDir = tmp.resolve("leech");
        try (ReferencePeer lt = ReferencePeer.libtorrent(true, tmp.resolve("v2.torrent"), seedDir, tmp.resolve("lt"),
                Duration.ofMinutes(3));
             Session s = Session.start(Swarm.loopback().build())) {
            TorrentHandle h = s.add(AddTorrentParams.builder(MagnetUri.parse(magnet), leechDir)
                    .peer(new java.net.InetSocketAddress("127.0.0.1", lt.peerPort())).build()).get(30, TimeUnit.SECONDS);
            Metainfo fetched = h.metadata().get(60, TimeUnit.SECONDS);
            assertThat(fetched.infoHash()).isEqualTo(m.infoHash());
            assertThat(fetched.hasAllPieceLayers()).as("piece layers asked of libtorrent and proved").isTrue();
            try {
                Swarm.await(WAIT, "the v2 magnet download", () -> Swarm.status(h).isFinished());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " " + Swarm.status(h) + "\n" + lt.logTail(), e);
            }
        }
        Swarm.assertSameTree(seedDir.resolve("v2data"), leechDir.resolve("v2data"));
    }

    @Test
    void libtorrentFetchesAV2MagnetFromJtorrent() throws Exception {
        Metainfo m = libtorrentTorrent("v2");
        String magnet = "magnet:?xt=urn:btmh:1220" + m.infoHash().hex() + "&dn=v2data";
        Path leechDir = tmp.resolve("lt-leech");
        try (Session s = Session.start(Swarm.loopback().build())) {
            s.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            try (ReferencePeer lt = ReferencePeer.libtorrentMagnet(magnet, leechDir, tmp.resolve("lt"), Duration.ofMinutes(3),
                    "127.0.0.1:" + s.listenPort())) {
                Swarm.awaitVerified(m, seedDir, leechDir, lt, WAIT);
            }
        }
    }

    @Test
    void aHybridsV2SwarmWorksBothWaysFromItsBtmhLinkAlone() throws Exception {
        Metainfo m = libtorrentTorrent("hybrid");
        String v2Only = "magnet:?xt=urn:btmh:1220" + m.infoHashV2().orElseThrow().hex() + "&dn=v2data";
        // libtorrent joins by the v2 hash: jtorrent answers the truncated v2 hash of its hybrid
        Path ltLeech = tmp.resolve("lt-leech");
        try (Session s = Session.start(Swarm.loopback().build())) {
            s.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            try (ReferencePeer lt = ReferencePeer.libtorrentMagnet(v2Only, ltLeech, tmp.resolve("lt1"), Duration.ofMinutes(3),
                    "127.0.0.1:" + s.listenPort())) {
                Swarm.awaitVerified(m, seedDir, ltLeech, lt, WAIT);
            }
        }
        // and jtorrent fetches the hybrid's info dictionary checked by its SHA-256, from libtorrent
        Path leechDir = tmp.resolve("leech");
        try (ReferencePeer lt = ReferencePeer.libtorrent(true, tmp.resolve("hybrid.torrent"), seedDir, tmp.resolve("lt2"),
                Duration.ofMinutes(3));
             Session s = Session.start(Swarm.loopback().build())) {
            TorrentHandle h = s.add(AddTorrentParams.builder(MagnetUri.parse(v2Only), leechDir)
                    .peer(new java.net.InetSocketAddress("127.0.0.1", lt.peerPort())).build()).get(30, TimeUnit.SECONDS);
            assertThat(h.metadata().get(60, TimeUnit.SECONDS).infoHashV1()).contains(m.infoHash());
            Swarm.await(WAIT, "the hybrid download by its v2 link", () -> Swarm.status(h).isFinished());
        }
        Swarm.assertSameTree(seedDir.resolve("v2data"), leechDir.resolve("v2data"));
    }

    /** A libtorrent seed of libtorrent's {@code kind} torrent; jtorrent downloads it by the .torrent. */
    private void jtorrentDownloadsFromLibtorrent(String kind) throws Exception {
        Metainfo m = libtorrentTorrent(kind);
        try (ReferencePeer lt = ReferencePeer.libtorrent(true, tmp.resolve(kind + ".torrent"), seedDir, tmp.resolve("lt"),
                Duration.ofMinutes(3))) {
            Swarm.downloadFrom(Swarm.loopback().build(), m, seedDir, tmp.resolve("leech"), lt, WAIT);
        }
    }

    private void libtorrentDownloadsFromJtorrent(Metainfo m, Path torrentFile) throws Exception {
        Path leechDir = tmp.resolve("lt-leech");
        try (Session s = Session.start(Swarm.loopback().build())) {
            TorrentHandle h = s.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            assertThat(Swarm.status(h).isFinished()).as("the seed's data checks out against the Merkle roots").isTrue();
            try (ReferencePeer lt = ReferencePeer.libtorrent(false, torrentFile, leechDir, tmp.resolve("lt"),
                    Duration.ofMinutes(3), "127.0.0.1:" + s.listenPort())) {
                Swarm.awaitVerified(m, seedDir, leechDir, lt, WAIT);
            }
        }
    }
}
