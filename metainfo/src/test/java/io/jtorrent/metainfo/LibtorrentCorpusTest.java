package io.jtorrent.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BencodeDecoder;
import io.jtorrent.testkit.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** libtorrent's parser test corpus (../shared/testdata/torrents) with its EXPECTATIONS.tsv. */
class LibtorrentCorpusTest {

    record Expectation(String file, boolean valid, String version, String why) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Expectation> expectations() throws IOException {
        List<String> lines = Files.readAllLines(ProjectPaths.torrentCorpus().resolve("EXPECTATIONS.tsv"));
        return lines.stream().skip(1).filter(l -> !l.isBlank()).map(l -> {
            String[] f = l.split("\t", -1);
            return new Expectation(f[0], f[1].equals("valid"), f[2], f.length > 3 ? f[3] : "");
        });
    }

    static Stream<Expectation> v1Valid() throws IOException {
        return expectations().filter(e -> e.version().equals("v1") && e.valid());
    }

    static Stream<Expectation> v1Invalid() throws IOException {
        return expectations().filter(e -> e.version().equals("v1") && !e.valid());
    }

    static Stream<Expectation> v2() throws IOException {
        return expectations().filter(e -> e.version().equals("v2"));
    }

    /** The torrent, which the corpus says is valid. */
    private static Metainfo load(Expectation e, byte[] torrent) {
        try {
            return Metainfo.parse(torrent);
        } catch (MetainfoException ex) {
            throw new AssertionError(e.file() + " should load but was rejected: " + ex.getMessage(), ex);
        }
    }

    /** The info dictionary's exact bytes, however odd the file is: what the info-hashes are over. */
    private static byte[] rawInfo(byte[] torrent) throws Exception {
        BDictionary top = (BDictionary) new BencodeDecoder(BencodeDecoder.Limits.DEFAULT.withLenientKeyOrder(true))
                .decodePrefix(torrent, 0, torrent.length).value();
        return top.get("info").orElseThrow().span().orElseThrow().copyFrom(torrent);
    }

    private static byte[] bytes(Expectation e) throws IOException {
        return Files.readAllBytes(ProjectPaths.torrentCorpus().resolve(e.file()));
    }

    @Test
    void corpusIsThere() throws IOException {
        assertThat(v1Valid().count()).isGreaterThan(50);
        assertThat(v1Invalid().count()).isGreaterThan(15);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v1Valid")
    void validV1TorrentsLoadWithSafePaths(Expectation e) throws Exception {
        byte[] torrent = bytes(e);
        Metainfo m = load(e, torrent);

        // the info-hash is over the exact info bytes, however odd the file is
        byte[] rawInfo = rawInfo(torrent);
        assertThat(m.infoHash()).isEqualTo(InfoHash.v1Of(rawInfo));
        assertThat(m.infoBytes()).isEqualTo(rawInfo);

        Info info = m.info();
        assertThat(info.pieceCount()).isEqualTo((int) ((info.totalLength() + info.pieceLength() - 1) / info.pieceLength()));
        assertThat(info.files()).isNotEmpty();
        assertSafe(List.of(info.name()));
        long offset = 0;
        for (FileEntry f : info.files()) {
            assertSafe(f.path());
            assertThat(f.path().get(0)).isEqualTo(info.name());
            if (f.isSymlink()) {
                assertSafe(f.symlinkTarget());
            }
            assertThat(f.offset()).isEqualTo(offset);
            offset += f.length();
            assertThat(f.resolveIn(Path.of("/save")).normalize()).startsWithRaw(Path.of("/save"));
        }
        assertThat(offset).isEqualTo(info.totalLength());
        // no two files share a path, ignoring case
        assertThat(info.files().stream().map(f -> f.pathString().toLowerCase()).distinct().count())
                .isEqualTo(info.files().size());
    }

    private static void assertSafe(List<String> path) {
        assertThat(path).isNotEmpty();
        for (String element : path) {
            assertThat(element).isNotEmpty().isNotIn(".", "..").doesNotContain("/", "\\", "\0", ":");
            assertThat(element.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v1Invalid")
    void invalidV1TorrentsAreRejectedWithAClearError(Expectation e) throws Exception {
        byte[] torrent = bytes(e);
        assertThatThrownBy(() -> Metainfo.parse(torrent))
                .as("%s should be rejected: %s", e.file(), e.why())
                .isInstanceOf(MetainfoException.class)
                .satisfies(t -> assertThat(t.getMessage()).isNotBlank().hasSizeLessThan(400));
    }

    static Stream<Expectation> v2Valid() throws IOException {
        return v2().filter(Expectation::valid);
    }

    static Stream<Expectation> v2Invalid() throws IOException {
        return v2().filter(e -> !e.valid());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v2Valid")
    void validV2AndHybridTorrentsLoad(Expectation e) throws Exception {
        byte[] torrent = bytes(e);
        Metainfo m = load(e, torrent);
        byte[] rawInfo = rawInfo(torrent);
        Info info = m.info();
        assertThat(info.hasV2()).isTrue();
        assertThat(m.infoHashV2()).contains(InfoHash.v2Of(rawInfo));
        assertThat(m.infoHash()).isEqualTo(info.hasV1() ? InfoHash.v1Of(rawInfo) : InfoHash.v2Of(rawInfo));
        // every v2 file starts a piece, and the pieces add up
        long pieces = 0;
        for (Info.V2File f : info.v2Files()) {
            FileEntry entry = info.files().get(f.file());
            assertThat(entry.length()).isEqualTo(f.length());
            if (f.length() > 0) {
                assertThat(entry.offset()).isEqualTo(f.firstPiece() * info.pieceLength());
            }
            assertSafe(entry.path());
            pieces += f.pieceCount();
        }
        assertThat(pieces).isEqualTo(info.pieceCount());
        // where the torrent carries them, piece layers give every piece's v2 hash
        if (m.hasAllPieceLayers()) {
            for (int p = 0; p < info.pieceCount(); p++) {
                assertThat(m.v2PieceHash(p)).get().satisfies(h -> assertThat(h).hasSize(32));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("v2Invalid")
    void invalidV2TorrentsAreRejectedWithAClearError(Expectation e) throws Exception {
        byte[] torrent = bytes(e);
        assertThatThrownBy(() -> Metainfo.parse(torrent))
                .as("%s should be rejected: %s", e.file(), e.why())
                .isInstanceOf(MetainfoException.class)
                .satisfies(t -> assertThat(t.getMessage()).isNotBlank().hasSizeLessThan(400));
    }

    @Test
    void unsafePathsAreSanitizedLikeLibtorrent() throws Exception {
        Map<String, List<String>> expected = Map.of(
                "absolute_filename.torrent", List.of("temp/abcde", "temp/foobar"),
                "parent_path.torrent", List.of("temp/bar"),
                "hidden_parent_path.torrent", List.of("temp/foo......bar/bar"),
                "backslash_path.torrent", List.of("temp/bar"),
                "invalid_directory_name.torrent", List.of("test2/foo", "test2/foo.1"),
                "duplicate_files.torrent", List.of("temp/foo/bar.txt", "temp/foo/bar.1.txt"),
                "empty_path_multi.torrent", List.of("temp/abcde", "temp/_", "temp/_.1"),
                "invalid_filename2.torrent", List.of("est2/f", "est2/_", "est2/_.1"));
        for (var entry : expected.entrySet()) {
            Metainfo m = Metainfo.parse(Files.readAllBytes(ProjectPaths.torrentCorpus().resolve(entry.getKey())));
            assertThat(m.info().files().stream().map(FileEntry::pathString).toList())
                    .as(entry.getKey()).isEqualTo(entry.getValue());
        }
        Metainfo dotdot = Metainfo.parse(Files.readAllBytes(ProjectPaths.torrentCorpus().resolve("invalid_name2.torrent")));
        assertThat(dotdot.info().name()).isEqualTo(dotdot.infoHash().hex());
        Metainfo symlink = Metainfo.parse(Files.readAllBytes(ProjectPaths.torrentCorpus().resolve("symlink1.torrent")));
        assertThat(symlink.info().files().get(1).symlinkTarget()).containsExactly("temp", "a", "b", "bar");
        assertThat(symlink.info().files().get(1).length()).isZero();
    }
}
