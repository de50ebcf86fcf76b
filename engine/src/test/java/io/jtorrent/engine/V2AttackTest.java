package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.MagnetUri;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.TorrentBuilder;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A v2 magnet's piece layers come from peers (BEP 52 hash requests): a peer that answers with
 * hashes that do not prove out against the file's root is closed, and costs nothing more; the
 * chunk it was asked for goes to an honest peer and the download completes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class V2AttackTest {
    @TempDir
    Path tmp;

    @Test
    void aPeerThatForgesPieceLayerHashesIsClosedAndTheDownloadCompletes() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path root = io.jtorrent.testkit.Trees.randomFiles(seedDir.resolve("v2"), "part", 9, 1_500_000, 700_000, 300_000);
        Metainfo m = TorrentBuilder.from(root).version(TorrentBuilder.Version.V2).pieceLength(16 << 10).build().metainfo();
        try (Session seeder = Session.start(Swarm.loopback().build());
             Session leecher = Session.start(Swarm.loopback().build())) {
            seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(AddTorrentParams.builder(MagnetUri.parse(MagnetUri.of(m).toString()),
                    tmp.resolve("leech")).build()).get(30, TimeUnit.SECONDS);
            try (ScriptedPeer liar = new ScriptedPeer(leecher.listenPort(), m.infoHash())) {
                h.addPeer(new InetSocketAddress("127.0.0.1", seeder.listenPort())).get(5, TimeUnit.SECONDS);
                // the leecher has the metadata from the seeder and asks every peer for a chunk of piece hashes
                ScriptedPeer.Message request;
                do {
                    request = liar.read();
                    assertThat(request).as("a hash request before the connection ends").isNotNull();
                } while (request.id() != 21);
                ByteBuffer r = ByteBuffer.wrap(request.payload());
                byte[] fields = new byte[48];
                r.get(fields);
                int count = ByteBuffer.wrap(fields).getInt(40); // root, base layer, index, count, proof layers
                int proof = ByteBuffer.wrap(fields).getInt(44);
                int uncles = Math.max(0, proof - Integer.numberOfTrailingZeros(count) + 1);
                byte[] forged = new byte[48 + (count + uncles) * 32];
                System.arraycopy(fields, 0, forged, 0, 48);
                java.util.Arrays.fill(forged, 48, forged.length, (byte) 7);
                liar.send(22, forged);
                assertThat(liar.closedWithin(Duration.ofSeconds(10))).as("the forger is closed").isTrue();
                Swarm.await(Duration.ofSeconds(60), "the download from the honest seeder", () -> Swarm.status(h).isFinished());
            }
            assertThat(h.metadata().get(1, TimeUnit.SECONDS).hasAllPieceLayers()).isTrue();
        }
        Swarm.assertSameTree(root, tmp.resolve("leech/v2"));
    }

    @Test
    void aHybridsV2SwarmWorksOverEncryptedConnectionsOnly() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path root = io.jtorrent.testkit.Trees.randomFiles(seedDir.resolve("hybrid"), "part", 13, 400_000, 90_000);
        Metainfo m = TorrentBuilder.from(root).version(TorrentBuilder.Version.HYBRID).pieceLength(32 << 10).build().metainfo();
        String v2Only = "magnet:?xt=urn:btmh:1220" + m.infoHashV2().orElseThrow().hex();
        // MSE names the torrent by HASH('req2', hash): the seed must know it for the v2 hash as well
        try (Session seeder = Session.start(Swarm.loopback().encryption(Settings.Encryption.REQUIRED).utp(false).build());
             Session leecher = Session.start(Swarm.loopback().encryption(Settings.Encryption.REQUIRED).utp(false).build())) {
            seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(AddTorrentParams.builder(MagnetUri.parse(v2Only), tmp.resolve("leech"))
                    .peer(new InetSocketAddress("127.0.0.1", seeder.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(60), "the encrypted download by the v2 link", () -> Swarm.status(h).isFinished());
            assertThat(h.peers().get(5, TimeUnit.SECONDS)).allMatch(PeerInfo::encrypted);
        }
        Swarm.assertSameTree(root, tmp.resolve("leech/hybrid"));
    }
}
