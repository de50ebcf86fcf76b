package io.jtorrent.engine;

import io.jtorrent.engine.ext.MetadataExtension;
import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BencodeEncoder;
import io.jtorrent.metainfo.MagnetUri;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.wire.MetadataMessage;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that lie about metadata: each costs only its own connection, and the magnet download
 * completes from an honest seed afterwards.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MetadataBadInputTest {
    /** The id our peers send ut_metadata under (what we say in our extended handshake). */
    private static final int OUR_UT_METADATA = MetadataExtension.ID;
    /** The id the scripted peer asks to receive ut_metadata under. */
    private static final int ITS_UT_METADATA = 3;

    @TempDir
    Path tmp;
    Path seedDir;
    Metainfo metainfo;
    final List<SessionEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void makeData() throws Exception {
        seedDir = tmp.resolve("seed");
        int[] sizes = new int[30];
        Arrays.fill(sizes, 40_000);
        metainfo = Swarm.makeData(seedDir, "bad", 5, 16384, sizes);
    }

    private static byte[] handshake(long metadataSize) {
        return BencodeEncoder.encode(BDictionary.builder()
                .put("m", BDictionary.builder().put("ut_metadata", ITS_UT_METADATA).build())
                .put("metadata_size", metadataSize).build());
    }

    /** Runs {@code misbehave} against a magnet download, then gives it an honest seed and expects it to finish. */
    private void downloadDespite(Misbehaviour misbehave) throws Exception {
        Path leechDir = tmp.resolve("leech");
        try (Session seeder = Session.start(Swarm.loopback().build());
             Session leecher = Session.start(Swarm.loopback().build())) {
            leecher.subscribe(events::add);
            seeder.add(AddTorrentParams.builder(metainfo, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(AddTorrentParams.builder(MagnetUri.parse("magnet:?xt=urn:btih:"
                    + metainfo.infoHash().hex()), leechDir).build()).get(30, TimeUnit.SECONDS);
            assertThat(Swarm.status(h).state()).isEqualTo(TorrentState.FETCHING_METADATA);
            try (ScriptedPeer bad = new ScriptedPeer(leecher.listenPort(), metainfo.infoHash())) {
                misbehave.run(bad);
            }
            assertThat(Swarm.status(h).state()).isEqualTo(TorrentState.FETCHING_METADATA);
            h.addPeer(new InetSocketAddress("127.0.0.1", seeder.listenPort())).get(5, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(60), "the download from the honest seed", () -> Swarm.status(h).isFinished());
        }
        Swarm.assertSameTree(seedDir.resolve("bad"), leechDir.resolve("bad"));
    }

    interface Misbehaviour {
        void run(ScriptedPeer peer) throws Exception;
    }

    @Test
    void anOversizedMetadataSizeCostsThePeerItsConnection() throws Exception {
        downloadDespite(bad -> {
            bad.sendExtended(0, handshake(MetadataMessage.MAX_METADATA_SIZE + 1L));
            assertThat(bad.closedWithin(Duration.ofSeconds(10))).as("connection closed").isTrue();
        });
    }

    @Test
    void wrongMetadataGetsThePeerBanned() throws Exception {
        int size = metainfo.infoBytes().length;
        downloadDespite(bad -> {
            bad.sendExtended(0, handshake(size));
            // answer every request with bytes of the right length but the wrong content
            for (int answered = 0; ; answered++) {
                ScriptedPeer.Message m = bad.readExtended(ITS_UT_METADATA);
                if (m == null) {
                    break; // banned and closed
                }
                MetadataMessage req = MetadataMessage.decode(Arrays.copyOfRange(m.payload(), 1, m.payload().length));
                int length = Math.min(MetadataMessage.PIECE_SIZE, size - req.piece() * MetadataMessage.PIECE_SIZE);
                byte[] junk = new byte[length];
                Arrays.fill(junk, (byte) 'x');
                bad.sendExtended(OUR_UT_METADATA, MetadataMessage.data(req.piece(), size, junk).encode());
                assertThat(answered).as("requests before the ban").isLessThan(100);
            }
            Swarm.await(Duration.ofSeconds(5), "the failure event", () -> events.stream()
                    .anyMatch(e -> e instanceof SessionEvent.MetadataFailed));
            // events reach subscribers asynchronously: the ban comes just after the failure
            Swarm.await(Duration.ofSeconds(5), "the ban event", () -> events.stream()
                    .anyMatch(e -> e instanceof SessionEvent.PeerBanned b && b.reason().contains("metadata")));
        });
    }

    @Test
    void metadataPiecesOutOfRangeOrOfTheWrongSizeAreIgnored() throws Exception {
        int size = metainfo.infoBytes().length;
        downloadDespite(bad -> {
            bad.sendExtended(0, handshake(size));
            assertThat(bad.readExtended(ITS_UT_METADATA)).as("a request").isNotNull();
            // a piece beyond the metadata, one claiming another total size, one too long for its slot, unknown msg data
            bad.sendExtended(OUR_UT_METADATA, MetadataMessage.data(1000, size, new byte[16384]).encode());
            bad.sendExtended(OUR_UT_METADATA, MetadataMessage.data(0, size + 1, new byte[16384]).encode());
            int lastPiece = (size - 1) / MetadataMessage.PIECE_SIZE;
            bad.sendExtended(OUR_UT_METADATA, MetadataMessage.data(lastPiece, size, new byte[16384]).encode());
            // it asks us for metadata we do not have yet: a reject
            bad.sendExtended(OUR_UT_METADATA, MetadataMessage.request(0).encode());
            ScriptedPeer.Message reply = bad.readExtended(ITS_UT_METADATA);
            while (reply != null && MetadataMessage.decode(Arrays.copyOfRange(reply.payload(), 1, reply.payload().length)).type()
                    != MetadataMessage.REJECT) {
                reply = bad.readExtended(ITS_UT_METADATA);
            }
            assertThat(reply).as("a reject").isNotNull();
            // a message that does not decode: this peer's connection only
            bad.sendExtended(OUR_UT_METADATA, "d8:msg_typei9ee".getBytes());
            assertThat(bad.closedWithin(Duration.ofSeconds(10))).isTrue();
        });
        assertThat(events).noneMatch(e -> e instanceof SessionEvent.MetadataFailed);
    }
}
