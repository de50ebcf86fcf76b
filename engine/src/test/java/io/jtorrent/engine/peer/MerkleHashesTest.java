package io.jtorrent.engine.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jtorrent.engine.pieces.BlockSource;
import io.jtorrent.metainfo.MerkleTree;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.TorrentBuilder;
import io.jtorrent.wire.PeerMessage;
import io.jtorrent.wire.PeerProtocolException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 52 hash messages without a socket: block hashes served from a piece's data with their
 * proof, and a failed v2 piece's bad block pinned on its sender alone, after the first failure.
 */
class MerkleHashesTest {
    private static final long PIECE = 64 << 10; // four blocks

    @TempDir
    Path dir;
    byte[] data;
    Metainfo m;

    @BeforeEach
    void torrent() throws Exception {
        data = new byte[200_000]; // four pieces, the last one short
        new Random(4).nextBytes(data);
        Files.write(dir.resolve("f"), data);
        m = TorrentBuilder.from(dir.resolve("f")).version(TorrentBuilder.Version.V2).pieceLength(PIECE).build().metainfo();
    }

    /** The hashes of the blocks of {@code piece}, from the data itself. */
    private byte[] leaves(int piece) {
        try {
            int from = (int) (piece * PIECE);
            int to = (int) Math.min(data.length, from + PIECE);
            byte[] out = new byte[(int) MerkleTree.blocks(to - from) * 32];
            for (int b = 0; b * 16384 < to - from; b++) {
                byte[] h = MessageDigest.getInstance("SHA-256").digest(
                        Arrays.copyOfRange(data, from + b * 16384, Math.min(to, from + (b + 1) * 16384)));
                System.arraycopy(h, 0, out, b * 32, 32);
            }
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private MerkleHashes exchange(Metainfo known) {
        return exchange(known, (piece, leaves) -> leaves.accept(leaves(piece)));
    }

    /** An exchange whose disk reads are {@code disk}'s: given a piece and where its leaves go. */
    private static MerkleHashes exchange(Metainfo known, java.util.function.BiConsumer<Integer, Consumer<byte[]>> disk) {
        return exchange(known, disk, complete -> { });
    }

    /** ... and {@code complete} hears the metadata once its piece layers are all in. */
    private static MerkleHashes exchange(Metainfo known, java.util.function.BiConsumer<Integer, Consumer<byte[]>> disk,
                                         Consumer<Metainfo> complete) {
        return new MerkleHashes(new MerkleHashes.Owner() {
            @Override
            public Metainfo metainfo() {
                return known;
            }

            @Override
            public long now() {
                return 0;
            }

            @Override
            public void layersComplete(Metainfo m) {
                complete.accept(m);
            }

            @Override
            public void readLeaves(int piece, Consumer<byte[]> leaves) {
                disk.accept(piece, leaves);
            }
        });
    }

    private static PeerConnection peer(PeerConnectionTest.Host host, PeerConnectionTest.Transport wire) {
        return new PeerConnection(host, wire, PeerConnectionTest.handshake(true), false, 0);
    }

    @Test
    void aBadBlockIsPinnedOnItsSenderAloneAndTheAnswerMustProveOut() throws Exception {
        PeerConnectionTest.Host honestHost = new PeerConnectionTest.Host("0000");
        PeerConnectionTest.Host liarHost = new PeerConnectionTest.Host("0000");
        PeerConnectionTest.Host askedHost = new PeerConnectionTest.Host("0000");
        PeerConnectionTest.Transport askedWire = new PeerConnectionTest.Transport();
        PeerConnection honest = peer(honestHost, new PeerConnectionTest.Transport());
        PeerConnection liar = peer(liarHost, new PeerConnectionTest.Transport());
        PeerConnection asked = peer(askedHost, askedWire);
        asked.has.set(1);

        // piece 1 came as blocks from honest, honest, liar, honest; the liar's block is bad
        byte[] received = leaves(1);
        received[2 * 32] ^= 1;
        List<BlockSource> senders = List.of(honest, honest, liar, honest);
        MerkleHashes leecher = exchange(m);
        leecher.pin(1, received, senders, List.of(asked));
        PeerMessage.HashRequest request = (PeerMessage.HashRequest) askedWire.sent.get(askedWire.sent.size() - 1);
        assertThat(request.baseLayer()).isZero();
        assertThat(request.index()).isEqualTo(4);
        assertThat(request.count()).isEqualTo(4);

        // a seeder answers from the piece's data
        PeerConnectionTest.Transport seederWire = new PeerConnectionTest.Transport();
        exchange(m).handle(peer(new PeerConnectionTest.Host("1111"), seederWire), request);
        PeerMessage.Hashes answer = (PeerMessage.Hashes) seederWire.sent.get(seederWire.sent.size() - 1);

        // a forged answer costs the one who sent it, and strikes nobody
        byte[] forged = answer.hashes();
        forged[0] ^= 1;
        assertThatThrownBy(() -> leecher.handle(asked, new PeerMessage.Hashes(answer.piecesRoot(), 0, 4, 4,
                answer.proofLayers(), forged))).isInstanceOf(PeerProtocolException.class);
        assertThat(liarHost.log).noneMatch(l -> l.startsWith("ban"));

        // the forger is not asked again; another peer that has the piece is
        PeerConnectionTest.Transport otherWire = new PeerConnectionTest.Transport();
        PeerConnection other = peer(new PeerConnectionTest.Host("0000"), otherWire);
        other.has.set(1);
        leecher.tick(List.of(asked, other));
        assertThat(otherWire.sent).contains(request);
        leecher.handle(other, answer);
        assertThat(liarHost.log).anyMatch(l -> l.contains("block 2 of piece 1") && l.contains("v2 hash"));
        assertThat(honestHost.log).noneMatch(l -> l.startsWith("ban"));
    }

    /** A v2 magnet's layers, one request per file: each answer brings the next request at once, no tick between. */
    @Test
    void aV2MagnetsPieceLayersComeChunkAfterChunkWithoutWaitingForTicks() throws Exception {
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree);
        for (int i = 0; i < 3; i++) {
            byte[] b = new byte[150_000 + i * 10_000]; // three pieces each: one piece layer per file
            new Random(10 + i).nextBytes(b);
            Files.write(tree.resolve("f" + i), b);
        }
        Metainfo full = TorrentBuilder.from(tree).version(TorrentBuilder.Version.V2).pieceLength(PIECE).build().metainfo();
        Metainfo magnet = Metainfo.ofInfo(full.infoBytes(), List.of(), List.of());
        assertThat(magnet.hasAllPieceLayers()).isFalse();
        Metainfo[] complete = {null};
        MerkleHashes leecher = exchange(magnet, (piece, leaves) -> {
            throw new AssertionError("a leecher without the data serves no block hashes");
        }, m -> complete[0] = m);
        PeerConnectionTest.Transport wire = new PeerConnectionTest.Transport();
        PeerConnection seed = peer(new PeerConnectionTest.Host("1111"), wire);
        MerkleHashes seeder = exchange(full);
        PeerConnectionTest.Transport seederWire = new PeerConnectionTest.Transport();
        PeerConnection leecherSeenBySeeder = peer(new PeerConnectionTest.Host("0000"), seederWire);

        leecher.fetch(magnet, List.of(seed));
        for (int answered = 0; complete[0] == null; answered++) {
            assertThat(answered).as("requests answered").isLessThan(3);
            PeerMessage.HashRequest request = (PeerMessage.HashRequest) wire.sent.get(wire.sent.size() - 1);
            assertThat(wire.sent).as("one request at a time").hasSize(answered + 1);
            seeder.handle(leecherSeenBySeeder, request);
            leecher.handle(seed, seederWire.sent.get(seederWire.sent.size() - 1));
        }
        assertThat(wire.sent).hasSize(3);
        assertThat(complete[0].hasAllPieceLayers()).isTrue();
        for (var f : full.info().v2Files()) {
            assertThat(complete[0].pieceLayer(f).orElseThrow()).isEqualTo(full.pieceLayer(f).orElseThrow());
        }
    }

    @Test
    void blockHashesAreServedWithAProofToTheRootAndPieceLayersToo() throws Exception {
        PeerConnectionTest.Transport wire = new PeerConnectionTest.Transport();
        MerkleHashes seeder = exchange(m);
        PeerConnection p = peer(new PeerConnectionTest.Host("0000"), wire);
        var f = m.info().v2Files().get(0);
        int treeHeight = MerkleTree.treeHeight(f.length());
        seeder.handle(p, new PeerMessage.HashRequest(f.piecesRoot(), 0, 8, 4, treeHeight - 1, false));
        PeerMessage.Hashes blocks = (PeerMessage.Hashes) wire.sent.get(wire.sent.size() - 1);
        assertThat(MerkleTree.verifyProof(f.piecesRoot(), treeHeight, 0, 8, 4, treeHeight - 1, blocks.hashes())).isTrue();
        int pieceHeight = MerkleTree.pieceHeight(PIECE);
        seeder.handle(p, new PeerMessage.HashRequest(f.piecesRoot(), pieceHeight, 0, 4, treeHeight - pieceHeight - 1, false));
        PeerMessage.Hashes layer = (PeerMessage.Hashes) wire.sent.get(wire.sent.size() - 1);
        assertThat(Arrays.copyOf(layer.hashes(), 4 * 32)).isEqualTo(m.pieceLayer(f).orElseThrow());
        // a request that does not fit the tree is rejected, not answered
        seeder.handle(p, new PeerMessage.HashRequest(f.piecesRoot(), 0, 6, 4, 1, false));
        assertThat(((PeerMessage.HashRequest) wire.sent.get(wire.sent.size() - 1)).reject()).isTrue();
        assertThat(seeder.served()).isEqualTo(2);
        assertThat(seeder.rejected()).isEqualTo(1);
    }

    @Test
    void aPeerAskingForBlockHashesFasterThanTheDiskReadsIsRefusedNotQueued() throws Exception {
        List<Runnable> reads = new java.util.ArrayList<>();
        // the disk answers when the test says
        MerkleHashes seeder = exchange(m, (piece, leaves) -> reads.add(() -> leaves.accept(leaves(piece))));
        PeerConnectionTest.Transport wire = new PeerConnectionTest.Transport();
        PeerConnection p = peer(new PeerConnectionTest.Host("0000"), wire);
        var f = m.info().v2Files().get(0);
        for (int piece = 0; piece < 3; piece++) {
            seeder.handle(p, new PeerMessage.HashRequest(f.piecesRoot(), 0, piece * 4, 4, 1, false));
        }
        assertThat(reads).as("two piece reads at once for one peer").hasSize(2);
        assertThat(((PeerMessage.HashRequest) wire.sent.get(wire.sent.size() - 1)).reject()).isTrue();
        reads.forEach(Runnable::run);
        seeder.handle(p, new PeerMessage.HashRequest(f.piecesRoot(), 0, 8, 4, 1, false));
        assertThat(reads).as("served again once the disk answered").hasSize(3);
    }
}
