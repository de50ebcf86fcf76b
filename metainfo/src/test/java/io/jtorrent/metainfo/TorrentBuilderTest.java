package io.jtorrent.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorrentBuilderTest {
    @TempDir
    Path tmp;

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void singleFilePiecesAreTheSha1OfEachSlice() throws Exception {
        byte[] data = random(100_000, 1);
        Path f = Files.write(tmp.resolve("data.bin"), data);
        TorrentBuilder.Created c = TorrentBuilder.from(f).pieceLength(32768).threads(3).build();
        Info info = c.metainfo().info();
        assertThat(info.name()).isEqualTo("data.bin");
        assertThat(info.isSingleFile()).isTrue();
        assertThat(info.pieceCount()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            byte[] slice = Arrays.copyOfRange(data, i * 32768, Math.min(data.length, (i + 1) * 32768));
            assertThat(info.pieceHash(i)).isEqualTo(MessageDigest.getInstance("SHA-1").digest(slice));
        }
    }

    @Test
    void directoriesAreSortedBytewiseAndPiecesSpanFiles() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("album"));
        Files.createDirectories(dir.resolve("a"));
        Files.write(dir.resolve("a/z.bin"), random(10_000, 2));
        Files.write(dir.resolve("a-b.bin"), random(20_000, 3)); // '-' < '/', so before a/z.bin
        Files.write(dir.resolve("B.bin"), random(5_000, 4));    // 'B' < 'a'
        Files.write(dir.resolve(".hidden"), random(1_000, 5));
        Files.write(dir.resolve("empty"), new byte[0]);
        TorrentBuilder.Created c = TorrentBuilder.from(dir).pieceLength(16384)
                .tracker("http://t1/announce").trackerTier(List.of("http://t2/a", "http://t3/a"))
                .webSeed("http://ws/").privateFlag(true).comment("c").build();
        Metainfo m = c.metainfo();
        assertThat(m.info().files()).extracting(FileEntry::pathString)
                .containsExactly("album/.hidden", "album/B.bin", "album/a-b.bin", "album/a/z.bin", "album/empty");
        assertThat(m.trackerTiers()).containsExactly(List.of("http://t1/announce"), List.of("http://t2/a", "http://t3/a"));
        assertThat(m.webSeeds()).containsExactly("http://ws/");
        assertThat(m.info().isPrivate()).isTrue();

        // the pieces hash the concatenation, across file boundaries
        byte[] all = concat(dir, ".hidden", "B.bin", "a-b.bin", "a/z.bin");
        for (int i = 0; i < m.info().pieceCount(); i++) {
            byte[] slice = Arrays.copyOfRange(all, i * 16384, Math.min(all.length, (i + 1) * 16384));
            assertThat(m.info().pieceHash(i)).isEqualTo(MessageDigest.getInstance("SHA-1").digest(slice));
        }
        // and verification of the same data finds everything good
        assertThat(TorrentVerifier.verify(m, tmp, 2, PieceHasher.Progress.NONE).complete()).isTrue();
    }

    private static byte[] concat(Path dir, String... names) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        for (String n : names) {
            out.write(Files.readAllBytes(dir.resolve(n)));
        }
        return out.toByteArray();
    }

    @Test
    void sameInputGivesTheSameInfoHashWhateverTheThreadCount() throws Exception {
        Path f = Files.write(tmp.resolve("x"), random(300_000, 6));
        InfoHash one = TorrentBuilder.from(f).pieceLength(16384).threads(1).build().metainfo().infoHash();
        InfoHash four = TorrentBuilder.from(f).pieceLength(16384).threads(4).build().metainfo().infoHash();
        assertThat(four).isEqualTo(one);
    }

    @Test
    void progressReachesTheTotal() throws Exception {
        Path f = Files.write(tmp.resolve("x"), random(200_000, 7));
        AtomicLong last = new AtomicLong();
        TorrentBuilder.from(f).pieceLength(16384).progress((done, total) -> {
            assertThat(total).isEqualTo(200_000);
            last.accumulateAndGet(done, Math::max);
        }).build();
        assertThat(last.get()).isEqualTo(200_000);
    }

    @Test
    void automaticPieceLengthAimsAtOneToTwoThousandPieces() {
        assertThat(TorrentBuilder.autoPieceLength(1)).isEqualTo(16384);
        assertThat(TorrentBuilder.autoPieceLength(1L << 30)).isEqualTo(1 << 20); // 1024 pieces
        assertThat(TorrentBuilder.autoPieceLength(100L << 20)).isEqualTo(64 << 10); // 1600 pieces
        assertThat(TorrentBuilder.autoPieceLength(1L << 40)).isEqualTo(16 << 20); // clamped
    }

    @Test
    void refusesWhatCannotBeATorrent() throws Exception {
        assertThatThrownBy(() -> TorrentBuilder.from(tmp.resolve("nope")).build()).hasMessageContaining("no such file");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> TorrentBuilder.from(empty).build()).hasMessageContaining("no files");
        Files.write(empty.resolve("zero"), new byte[0]);
        assertThatThrownBy(() -> TorrentBuilder.from(empty).build()).hasMessageContaining("all files are empty");
        assertThatThrownBy(() -> TorrentBuilder.from(empty).pieceLength(1000)).hasMessageContaining("power of two");
    }

    @Test
    void symlinkCyclesAreAnError() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("loop"));
        Files.write(dir.resolve("f"), random(10, 8));
        Files.createSymbolicLink(dir.resolve("self"), dir);
        assertThatThrownBy(() -> TorrentBuilder.from(dir).build()).hasMessageContaining("cycle");
    }

    @Test
    void verifierFindsCorruptMissingAndShortFiles() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        Files.write(dir.resolve("1"), random(40_000, 9));
        Files.write(dir.resolve("2"), random(40_000, 10));
        Files.write(dir.resolve("3"), random(40_000, 11));
        Files.write(dir.resolve("4"), random(40_000, 12));
        Metainfo m = TorrentBuilder.from(dir).pieceLength(16384).build().metainfo();

        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("1").toFile(), "rw")) {
            raf.seek(100);
            raf.write(0xff ^ raf.read());
        }
        Files.delete(dir.resolve("2"));
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("3").toFile(), "rw")) {
            raf.setLength(30_000);
        }
        TorrentVerifier.Report r = TorrentVerifier.verify(m, tmp, 2, PieceHasher.Progress.NONE);
        assertThat(r.complete()).isFalse();
        assertThat(r.goodPiece(0)).isFalse();
        assertThat(r.badFiles()).extracting(f -> f.file().pathString(), TorrentVerifier.FileReport::state)
                .contains(org.assertj.core.groups.Tuple.tuple("d/1", TorrentVerifier.FileState.CORRUPT),
                        org.assertj.core.groups.Tuple.tuple("d/2", TorrentVerifier.FileState.MISSING),
                        org.assertj.core.groups.Tuple.tuple("d/3", TorrentVerifier.FileState.WRONG_SIZE));
        // the last piece lies wholly in file 4, which is intact
        assertThat(r.goodPiece(m.info().pieceCount() - 1)).isTrue();
    }
}
