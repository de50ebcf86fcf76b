package io.jtorrent.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jtorrent.bencode.BBytes;
import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BInteger;
import io.jtorrent.bencode.BValue;
import io.jtorrent.bencode.BencodeDecoder;
import io.jtorrent.bencode.BencodeEncoder;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BitTorrent v2 and hybrid metainfo: made, read back, verified, and refused when malformed. */
class V2MetainfoTest {
    private static final long PIECE = 32 << 10;

    @TempDir
    Path dir;
    Path tree;

    @BeforeEach
    void data() throws Exception {
        tree = dir.resolve("tree");
        Random random = new Random(1);
        for (var f : Map.of("a", 100_000, "b/c", 40_000, "d", 0, "e", 5).entrySet()) {
            Path p = tree.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            byte[] bytes = new byte[f.getValue()];
            random.nextBytes(bytes);
            Files.write(p, bytes);
        }
    }

    private TorrentBuilder.Created create(TorrentBuilder.Version version) throws Exception {
        return TorrentBuilder.from(tree).version(version).pieceLength(PIECE).build();
    }

    @Test
    void aV2OnlyTorrentIsNamedByItsV2HashAndLaidOutPieceAligned() throws Exception {
        Metainfo m = create(TorrentBuilder.Version.V2).metainfo();
        Info info = m.info();
        assertThat(info.hasV1()).isFalse();
        assertThat(info.hasV2()).isTrue();
        assertThat(m.infoHash()).isEqualTo(m.infoHashV2().orElseThrow());
        assertThat(m.infoHash().hex()).hasSize(64);
        assertThat(m.infoHashV1()).isEmpty();
        // a: 4 pieces, b/c: 2, d: none, e: 1
        assertThat(info.pieceCount()).isEqualTo(7);
        assertThat(info.v2Files()).extracting(Info.V2File::firstPiece).containsExactly(0, 4, 6, 6);
        assertThat(info.files().stream().filter(f -> !f.pad()).map(FileEntry::pathString))
                .containsExactly("tree/a", "tree/b/c", "tree/d", "tree/e");
        assertThat(MagnetUri.of(m).toString()).startsWith("magnet:?xt=urn:btmh:1220" + m.infoHash().hex());
        assertThatThrownBy(() -> info.pieceHash(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void verifyPinsCorruptionToItsPieceByThePieceLayer() throws Exception {
        for (TorrentBuilder.Version v : new TorrentBuilder.Version[] {TorrentBuilder.Version.V2, TorrentBuilder.Version.HYBRID}) {
            data();
            Metainfo m = create(v).metainfo();
            assertThat(TorrentVerifier.verify(m, dir, 2, PieceHasher.Progress.NONE).complete()).as(v.name()).isTrue();
            try (RandomAccessFile f = new RandomAccessFile(tree.resolve("a").toFile(), "rw")) {
                f.seek(70_000); // the third piece of a
                int b = f.read();
                f.seek(70_000);
                f.write(b ^ 1);
            }
            TorrentVerifier.Report r = TorrentVerifier.verify(m, dir, 2, PieceHasher.Progress.NONE);
            assertThat(r.goodPieceCount()).as(v.name()).isEqualTo(m.info().pieceCount() - 1);
            assertThat(r.goodPiece(2)).isFalse();
            assertThat(r.badFiles()).extracting(f -> f.file().pathString()).containsExactly("tree/a");
        }
    }

    @Test
    void withoutPieceLayersAFileIsCheckedByItsRootAndTheLayersCanBeAddedLater() throws Exception {
        TorrentBuilder.Created created = create(TorrentBuilder.Version.V2);
        byte[] stripped = edit(created.bytes(), top -> without(top, "piece layers"));
        Metainfo m = Metainfo.parse(stripped);
        assertThat(m.hasAllPieceLayers()).isFalse();
        assertThat(m.warnings()).anyMatch(w -> w.contains("piece layers"));
        assertThat(m.v2PieceHash(0)).isEmpty();
        assertThat(m.v2PieceHash(6)).isPresent(); // e fits in one piece: its root is its hash
        assertThat(TorrentVerifier.verify(m, dir, 2, PieceHasher.Progress.NONE).complete()).isTrue();

        Info.V2File a = m.info().v2Files().get(0);
        Metainfo whole = m.withPieceLayers(Map.of(java.util.HexFormat.of().formatHex(a.piecesRoot()),
                created.metainfo().pieceLayer(a).orElseThrow(),
                java.util.HexFormat.of().formatHex(m.info().v2Files().get(1).piecesRoot()),
                created.metainfo().pieceLayer(m.info().v2Files().get(1)).orElseThrow()));
        assertThat(whole.hasAllPieceLayers()).isTrue();
        assertThat(whole.infoHash()).isEqualTo(m.infoHash());
    }

    @Test
    void aPieceLayerThatDoesNotHashToItsRootIsRefused() throws Exception {
        byte[] torrent = edit(create(TorrentBuilder.Version.V2).bytes(), top -> {
            BDictionary layers = (BDictionary) top.get("piece layers").orElseThrow();
            Map<BBytes, BValue> bad = new TreeMap<>();
            layers.entries().forEach((k, v) -> {
                byte[] b = ((BBytes) v).bytes();
                b[5] ^= 1;
                bad.put(k, BBytes.of(b));
            });
            return with(top, "piece layers", BDictionary.of(bad));
        });
        assertThatThrownBy(() -> Metainfo.parse(torrent)).isInstanceOf(MetainfoException.class)
                .hasMessageContaining("does not hash to the pieces root");
    }

    @Test
    void malformedFileTreesAreRefusedNamingTheFault() throws Exception {
        byte[] v2 = create(TorrentBuilder.Version.V2).bytes();
        BDictionary leaf = BDictionary.builder().put("length", 5).put("pieces root", new byte[32]).build();
        byte[] fileAndDir = edit(v2, top -> withInfo(top, "file tree", BDictionary.of(Map.of(BBytes.of("x"),
                BDictionary.of(Map.of(BBytes.of(""), leaf, BBytes.of("y"), BDictionary.of(Map.of(BBytes.of(""), leaf))))))));
        assertThatThrownBy(() -> Metainfo.parse(fileAndDir)).hasMessageContaining("both a file and a directory");

        BDictionary emptyWithRoot = BDictionary.builder().put("length", 0).put("pieces root", new byte[32]).build();
        byte[] zeroLength = edit(v2, top -> withInfo(top, "file tree",
                BDictionary.of(Map.of(BBytes.of("x"), BDictionary.of(Map.of(BBytes.of(""), emptyWithRoot))))));
        assertThatThrownBy(() -> Metainfo.parse(zeroLength)).hasMessageContaining("an empty file has no root");

        byte[] zeroRoot = edit(v2, top -> withInfo(top, "file tree",
                BDictionary.of(Map.of(BBytes.of("x"), BDictionary.of(Map.of(BBytes.of(""), leaf))))));
        assertThatThrownBy(() -> Metainfo.parse(zeroRoot)).hasMessageContaining("pieces root: all zeros");

        BDictionary deep = BDictionary.of(Map.of(BBytes.of(""), leaf));
        for (int i = 0; i < 80; i++) {
            deep = BDictionary.of(Map.of(BBytes.of("d"), deep));
        }
        BDictionary tooDeep = deep;
        byte[] absurd = edit(v2, top -> withInfo(top, "file tree", tooDeep));
        assertThatThrownBy(() -> Metainfo.parse(absurd)).isInstanceOf(MetainfoException.class)
                .hasMessageContaining("deeper than 64");

        byte[] oddPiece = edit(v2, top -> withInfo(top, "piece length", BInteger.of(40_000)));
        assertThatThrownBy(() -> Metainfo.parse(oddPiece)).hasMessageContaining("power of two");
    }

    @Test
    void aHybridWhoseViewsDisagreeIsRefused() throws Exception {
        byte[] hybrid = create(TorrentBuilder.Version.HYBRID).bytes();
        Metainfo ok = Metainfo.parse(hybrid);
        assertThat(ok.info().hasV1() && ok.info().hasV2()).isTrue();
        assertThat(ok.infoHash()).isEqualTo(ok.infoHashV1().orElseThrow());
        // the v1 list names file e differently: the views no longer describe the same files
        byte[] torrent = edit(hybrid, top -> {
            BDictionary info = (BDictionary) top.get("info").orElseThrow();
            var files = (io.jtorrent.bencode.BList) info.get("files").orElseThrow();
            var renamed = io.jtorrent.bencode.BList.of(files.items().stream().map(f -> {
                BDictionary d = (BDictionary) f;
                return d.get("path").orElseThrow().equals(io.jtorrent.bencode.BList.of(BBytes.of("e")))
                        ? with(d, "path", io.jtorrent.bencode.BList.of(BBytes.of("f"))) : d;
            }).toList());
            return withInfo(top, "files", renamed);
        });
        assertThatThrownBy(() -> Metainfo.parse(torrent)).isInstanceOf(MetainfoException.class)
                .hasMessageContaining("hybrid torrent: the v1 and v2 views disagree");
    }

    private static byte[] edit(byte[] torrent, UnaryOperator<BDictionary> change) throws Exception {
        BDictionary top = (BDictionary) BencodeDecoder.strict().decode(torrent);
        return BencodeEncoder.encode(change.apply(top));
    }

    private static BDictionary with(BDictionary d, String key, BValue value) {
        Map<BBytes, BValue> copy = new TreeMap<>(d.entries());
        copy.put(BBytes.of(key), value);
        return BDictionary.of(copy);
    }

    private static BDictionary without(BDictionary d, String key) {
        Map<BBytes, BValue> copy = new TreeMap<>(d.entries());
        copy.remove(BBytes.of(key));
        return BDictionary.of(copy);
    }

    private static BDictionary withInfo(BDictionary top, String key, BValue value) {
        return with(top, "info", with((BDictionary) top.get("info").orElseThrow(), key, value));
    }
}
