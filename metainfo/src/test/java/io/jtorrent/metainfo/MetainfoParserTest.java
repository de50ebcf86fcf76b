package io.jtorrent.metainfo;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jtorrent.bencode.BBytes;
import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BInteger;
import io.jtorrent.bencode.BList;
import io.jtorrent.bencode.BValue;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Well-formed torrents, and a corpus of malformed ones each rejected with a clear error. */
class MetainfoParserTest {

    private static BDictionary file(long length, String... path) {
        return BDictionary.builder().put("length", length)
                .put("path", BList.of(Arrays.stream(path).map(BBytes::of).toList())).build();
    }

    /** A valid multi-file torrent: two files of 20,000 and 30,000 bytes in 16 KiB pieces (4 pieces). */
    private static BDictionary.Builder info() {
        return BDictionary.builder()
                .put("name", "dir")
                .put("piece length", 16384)
                .put("pieces", new byte[4 * 20])
                .put("files", BList.of(file(20_000, "a", "one.bin"), file(30_000, "two.bin")));
    }

    private static byte[] torrent(BDictionary info) {
        return BDictionary.builder()
                .put("announce", "http://t.example/announce")
                .put("info", info).build().encode();
    }

    private static BDictionary infoWith(UnaryOperator<BDictionary.Builder> change) {
        return change.apply(info()).build();
    }

    @Test
    void parsesAMultiFileTorrent() throws Exception {
        Metainfo m = Metainfo.parse(torrent(info().build()));
        Info info = m.info();
        assertThat(info.name()).isEqualTo("dir");
        assertThat(info.isSingleFile()).isFalse();
        assertThat(info.totalLength()).isEqualTo(50_000);
        assertThat(info.pieceCount()).isEqualTo(4);
        assertThat(info.pieceSize(3)).isEqualTo(50_000 - 3 * 16384);
        assertThat(info.files()).extracting(FileEntry::pathString, FileEntry::offset)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dir/a/one.bin", 0L),
                        org.assertj.core.groups.Tuple.tuple("dir/two.bin", 20_000L));
        assertThat(m.trackerTiers()).containsExactly(List.of("http://t.example/announce"));
        assertThat(m.warnings()).isEmpty();
    }

    @Test
    void announceListTakesPrecedenceAndUrlListMayBeAString() throws Exception {
        byte[] t = BDictionary.builder()
                .put("announce", "http://a/announce")
                .put("announce-list", BList.of(
                        BList.of(BBytes.of("http://b/announce"), BBytes.of("http://c/announce")),
                        BList.of(BBytes.of(" udp://d:80 ")),
                        BInteger.of(3)))
                .put("url-list", "http://seed/")
                .put("comment", "hi")
                .put("created by", "test")
                .put("creation date", 1_700_000_000)
                .put("nodes", BList.of(BList.of(BBytes.of("127.0.0.1"), BInteger.of(6881))))
                .put("info", info().put("private", 1).build()).build().encode();
        Metainfo m = Metainfo.parse(t);
        assertThat(m.trackerTiers()).containsExactly(List.of("http://b/announce", "http://c/announce"), List.of("udp://d:80"));
        assertThat(m.webSeeds()).containsExactly("http://seed/");
        assertThat(m.info().isPrivate()).isTrue();
        assertThat(m.comment()).contains("hi");
        assertThat(m.creationDate()).hasValueSatisfying(d -> assertThat(d.getEpochSecond()).isEqualTo(1_700_000_000L));
        assertThat(m.nodes()).containsExactly(new Metainfo.Node("127.0.0.1", 6881));
        assertThat(m.warnings()).anyMatch(w -> w.contains("announce-list"));
    }

    @Test
    void pathTraversalIsNeutralisedAndTheInfoHashKept() throws Exception {
        BDictionary info = infoWith(b -> b.put("files", BList.of(
                file(20_000, "..", "..", "etc", "passwd"), file(30_000, "/abs", "x"))));
        byte[] t = torrent(info);
        Metainfo m = Metainfo.parse(t);
        assertThat(m.info().files()).extracting(FileEntry::pathString).containsExactly("dir/etc/passwd", "dir/abs/x");
        assertThat(m.info().files()).allMatch(FileEntry::renamed);
        assertThat(m.infoHash()).isEqualTo(InfoHash.v1Of(info.encode()));
        assertThat(m.warnings()).anyMatch(w -> w.contains("sanitized"));
    }

    @Test
    void nonPowerOfTwoPieceLengthLoadsWithAWarning() throws Exception {
        Metainfo m = Metainfo.parse(torrent(infoWith(b -> b.put("piece length", 20_000).put("pieces", new byte[3 * 20]))));
        assertThat(m.info().pieceCount()).isEqualTo(3);
        assertThat(m.warnings()).anyMatch(w -> w.contains("not a power of two"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "no name            | info.name: missing",
        "name is integer    | info.name: expected a string, found integer",
        "no piece length    | info.piece length: missing",
        "zero piece length  | info.piece length: 0 is outside",
        "piece length list  | info.piece length: expected an integer, found list",
        "no pieces          | info.pieces: missing",
        "pieces not 20      | info.pieces: length 79 is not a multiple of 20",
        "too few pieces     | info.pieces: 3 piece hashes, but 50000 bytes",
        "no files           | info: has neither 'length' (single file) nor 'files'",
        "empty files        | info.files: the list is empty",
        "files is string    | info.files: expected a list, found string",
        "file not dict      | info.files[1]: expected a dictionary, found integer",
        "negative length    | info.files[0].length: negative length -1",
        "length is string   | info.files[0].length: expected an integer, found string",
        "path missing       | info.files[1].path: missing",
        "path element int   | info.files[0].path[1]: expected a string, found integer",
        "all empty          | the torrent holds no data",
        "overflow           | overflows 64 bits",
        "too many pieces    | too many pieces",
        "empty file tree    | info.file tree: no files",
    })
    void malformedInfoIsRejectedNamingTheField(String what, String message) {
        BDictionary info = switch (what) {
            case "no name" -> without(info().build(), "name");
            case "name is integer" -> infoWith(b -> b.put("name", 5));
            case "no piece length" -> without(info().build(), "piece length");
            case "zero piece length" -> infoWith(b -> b.put("piece length", 0));
            case "piece length list" -> infoWith(b -> b.put("piece length", BList.of()));
            case "no pieces" -> without(info().build(), "pieces");
            case "pieces not 20" -> infoWith(b -> b.put("pieces", new byte[79]));
            case "too few pieces" -> infoWith(b -> b.put("pieces", new byte[60]));
            case "no files" -> without(info().build(), "files");
            case "empty files" -> infoWith(b -> b.put("files", BList.of()));
            case "files is string" -> infoWith(b -> b.put("files", "x"));
            case "file not dict" -> infoWith(b -> b.put("files", BList.of(file(1, "a"), BInteger.of(1))));
            case "negative length" -> infoWith(b -> b.put("files", BList.of(file(-1, "a"))));
            case "length is string" -> infoWith(b -> b.put("files", BList.of(
                    BDictionary.builder().put("length", "5").put("path", BList.of(BBytes.of("a"))).build())));
            case "path missing" -> infoWith(b -> b.put("files", BList.of(file(1, "a"),
                    BDictionary.builder().put("length", 5).build())));
            case "path element int" -> infoWith(b -> b.put("files", BList.of(
                    BDictionary.builder().put("length", 5).put("path", BList.of(BBytes.of("a"), BInteger.of(1))).build())));
            case "all empty" -> infoWith(b -> b.put("files", BList.of(file(0, "a"), file(0, "b"))));
            case "overflow" -> infoWith(b -> b.put("files", BList.of(file(Long.MAX_VALUE, "a"), file(Long.MAX_VALUE, "b"))));
            case "too many pieces" -> infoWith(b -> b.put("files", BList.of(file(1L << 50, "a"))));
            case "empty file tree" -> infoWith(b -> b.put("meta version", 2).put("file tree", BDictionary.builder().build()))
                    .entries().entrySet().stream().filter(e -> !e.getKey().asString().equals("pieces"))
                    .collect(java.util.stream.Collectors.collectingAndThen(
                            java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue),
                            BDictionary::of));
            default -> throw new IllegalArgumentException(what);
        };
        assertThatThrownBy(() -> Metainfo.parse(torrent(info)))
                .isInstanceOf(MetainfoException.class)
                .hasMessageContaining(message);
    }

    private static BDictionary without(BDictionary d, String key) {
        java.util.Map<BBytes, BValue> copy = new java.util.TreeMap<>(d.entries());
        copy.remove(BBytes.of(key));
        return BDictionary.of(copy);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "not bencode at all               | expected 'i', 'l', 'd' or a digit",
        "i42e                             | expected a dictionary at the top level, found integer",
        "d4:infoi1ee                      | info: expected a dictionary, found integer",
        "d8:announce3:urle                | info: missing",
        "d4:info99999999999:xe            | exceeds the remaining input",
        "d4:infod4:name2147483647:         | exceeds the remaining input",
    })
    void malformedFilesAreRejected(String input, String message) {
        assertThatThrownBy(() -> Metainfo.parse(input.getBytes(ISO_8859_1)))
                .isInstanceOf(MetainfoException.class).hasMessageContaining(message);
    }

    @Test
    void deepNestingIsRejectedWithoutStackOverflow() {
        String deep = "d4:info" + "l".repeat(10_000) + "e".repeat(10_000) + "e";
        assertThatThrownBy(() -> Metainfo.parse(deep.getBytes(ISO_8859_1)))
                .isInstanceOf(MetainfoException.class).hasMessageContaining("nesting deeper");
    }

    @Test
    void everyTruncationOfAValidTorrentIsRejected() {
        byte[] t = torrent(info().build());
        for (int n = 0; n < t.length; n++) {
            byte[] truncated = Arrays.copyOf(t, n);
            Throwable e = catchThrowable(() -> Metainfo.parse(truncated));
            assertThat(e).as("truncated to %d bytes", n).isInstanceOf(MetainfoException.class);
        }
    }

    @Test
    void singleFileTorrentsLiveAtSaveDirSlashName() throws Exception {
        byte[] t = torrent(BDictionary.builder().put("name", "f.iso").put("piece length", 16384)
                .put("pieces", new byte[20]).put("length", 100).build());
        Metainfo m = Metainfo.parse(t);
        assertThat(m.info().isSingleFile()).isTrue();
        assertThat(m.info().files()).singleElement().extracting(FileEntry::pathString).isEqualTo("f.iso");
    }
}
