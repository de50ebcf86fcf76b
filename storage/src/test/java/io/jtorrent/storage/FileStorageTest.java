package io.jtorrent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jtorrent.bencode.BBytes;
import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BList;
import io.jtorrent.metainfo.Info;
import io.jtorrent.metainfo.Metainfo;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file backend's conformance: blocks across files, part file for unwanted files, resume data. */
class FileStorageTest {
    @TempDir
    Path dir;

    /** Files of 10,000 / 0 / 20,000 / 5,000 bytes in 16 KiB pieces: pieces straddle files. */
    static Info info() throws Exception {
        BList files = BList.of(file(10_000, "a"), file(0, "empty"), file(20_000, "sub", "b"), file(5_000, "c"));
        byte[] t = BDictionary.builder().put("info", BDictionary.builder()
                .put("name", "t").put("piece length", 16384).put("pieces", new byte[3 * 20]).put("files", files)
                .build()).build().encode();
        return Metainfo.parse(t).info();
    }

    private static BDictionary file(long length, String... path) {
        return BDictionary.builder().put("length", length)
                .put("path", BList.of(Arrays.stream(path).map(BBytes::of).toList())).build();
    }

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    @Test
    void aUmaskGivesEveryCreatedFileAndDirectoryItsModeWhateverTheProcesssUmask() throws Exception {
        Info info = info();
        java.util.BitSet wanted = new java.util.BitSet();
        wanted.set(0, info.files().size());
        // 002 keeps group write, which the process's usual 022 would take away
        try (FileStorage s = (FileStorage) FileStorage.factory(002).open(info, dir.resolve("deep/er"), wanted)) {
            s.write(0, 0, ByteBuffer.wrap(data(16384)));
            s.write(1, 0, ByteBuffer.wrap(data(16384)));
        }
        java.util.function.Function<String, String> mode = p -> {
            try {
                return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(p)));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        };
        assertThat(mode.apply("deep")).as("a directory the storage made").isEqualTo("rwxrwxr-x");
        assertThat(mode.apply("deep/er/t/sub")).isEqualTo("rwxrwxr-x");
        assertThat(mode.apply("deep/er/t/a")).as("a data file").isEqualTo("rw-rw-r--");
        assertThat(mode.apply("deep/er/t/empty")).as("an empty file made at open").isEqualTo("rw-rw-r--");
        assertThat(mode.apply("deep/er/t/sub/b")).isEqualTo("rw-rw-r--");
        try (FileStorage s = (FileStorage) FileStorage.factory(077).open(info, dir.resolve("private"), wanted)) {
            s.write(0, 0, ByteBuffer.wrap(data(16384)));
        }
        assertThat(mode.apply("private/t/a")).isEqualTo("rw-------");
        assertThat(mode.apply("private/t")).isEqualTo("rwx------");
    }

    @Test
    void blocksAcrossFileBoundariesReadBackAndLandInTheRightFiles() throws Exception {
        Info info = info();
        byte[] all = data(35_000);
        try (FileStorage s = FileStorage.allWanted(info, dir)) {
            // odd-sized blocks, each within one piece, written last piece first
            for (int piece = 2; piece >= 0; piece--) {
                int size = (int) info.pieceSize(piece);
                for (int off = 0; off < size; off += 7_000) {
                    int len = Math.min(7_000, size - off);
                    s.write(piece, off, ByteBuffer.wrap(all, piece * 16384 + off, len));
                }
            }
            ByteBuffer back = ByteBuffer.allocate(16384);
            s.read(0, 0, back);
            assertThat(Arrays.equals(back.array(), Arrays.copyOfRange(all, 0, 16384))).isTrue();
        }
        assertThat(Arrays.equals(Files.readAllBytes(dir.resolve("t/a")), Arrays.copyOfRange(all, 0, 10_000))).isTrue();
        assertThat(Arrays.equals(Files.readAllBytes(dir.resolve("t/sub/b")), Arrays.copyOfRange(all, 10_000, 30_000))).isTrue();
        assertThat(Arrays.equals(Files.readAllBytes(dir.resolve("t/c")), Arrays.copyOfRange(all, 30_000, 35_000))).isTrue();
        assertThat(dir.resolve("t/empty")).exists().isEmptyFile();
    }

    @Test
    void linksPlantedInTheSaveDirectoryAreNeverFollowed() throws Exception {
        Info info = info();
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path save = Files.createDirectories(dir.resolve("save"));
        Files.writeString(outside.resolve("victim"), "keep me");
        // a directory link where t/sub is, and a file link where t/a is
        Files.createDirectories(save.resolve("t"));
        Files.createSymbolicLink(save.resolve("t/sub"), outside);
        Files.createSymbolicLink(save.resolve("t/a"), outside.resolve("victim"));
        try (FileStorage s = FileStorage.allWanted(info, save)) {
            byte[] all = data(35_000);
            assertThatThrownBy(() -> s.write(0, 0, ByteBuffer.wrap(all, 0, 16384)))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("symbolic link");
            assertThatThrownBy(() -> s.write(1, 0, ByteBuffer.wrap(all, 16384, 16384)))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("symbolic link");
            assertThatThrownBy(() -> s.read(0, 0, ByteBuffer.allocate(100))).isInstanceOf(java.io.IOException.class);
        }
        assertThat(outside.resolve("victim")).hasContent("keep me");
        try (var listing = Files.list(outside)) {
            assertThat(listing).containsExactly(outside.resolve("victim"));
        }
    }

    @Test
    void theStorageRemembersWhichFilesItCreated() throws Exception {
        Info info = info();
        Files.createDirectories(dir.resolve("t"));
        Files.writeString(dir.resolve("t/a"), "was here before");
        try (FileStorage s = FileStorage.allWanted(info, dir)) {
            s.write(0, 0, ByteBuffer.wrap(data(16384)));
            BitSet created = s.createdFiles();
            assertThat(created.get(0)).as("t/a existed").isFalse();
            assertThat(created.get(1)).as("t/empty made at open").isTrue();
            assertThat(created.get(2)).as("t/sub/b made by the write").isTrue();
            assertThat(created.get(3)).as("t/c not written yet").isFalse();
        }
    }

    @Test
    void unwantedFilesAreNeverCreatedButTheirPieceSharesAreKept() throws Exception {
        Info info = info();
        byte[] all = data(35_000);
        BitSet wanted = new BitSet();
        wanted.set(0); // only "a"; piece 0 holds a and the start of sub/b
        try (FileStorage s = new FileStorage(info, dir, wanted)) {
            s.write(0, 0, ByteBuffer.wrap(all, 0, 16384));
            ByteBuffer back = ByteBuffer.allocate(16384);
            s.read(0, 0, back);
            assertThat(Arrays.equals(back.array(), Arrays.copyOfRange(all, 0, 16384))).isTrue();
        }
        assertThat(dir.resolve("t/sub/b")).doesNotExist();
        assertThat(dir.resolve("t/c")).doesNotExist();
        assertThat(Arrays.equals(Files.readAllBytes(dir.resolve("t/a")), Arrays.copyOfRange(all, 0, 10_000))).isTrue();
    }

    @Test
    void theFactoryFindsTheDataMovesItWithItsPartFileAndDeletesOnlyItsBookkeeping() throws Exception {
        Info info = info();
        byte[] all = data(35_000);
        StorageFactory factory = FileStorage.FACTORY;
        assertThat(factory.filesWithData(info, dir).isEmpty()).as("nothing there yet").isTrue();
        BitSet wanted = new BitSet();
        wanted.set(0); // only "a": piece 0's share of sub/b goes to the part file
        try (Storage s = factory.open(info, dir, wanted)) {
            s.write(0, 0, ByteBuffer.wrap(all, 0, 16384));
        }
        assertThat(FileStorage.partFile(info, dir)).exists();
        BitSet present = factory.filesWithData(info, dir);
        assertThat(present.cardinality()).as("with a part file, any file's data may be in it").isEqualTo(4);

        Files.createDirectories(dir.resolve("t/sub"));
        Files.writeString(dir.resolve("t/sub/notes.txt"), "the user's own"); // not the torrent's: stays, with its directory
        Path to = dir.resolve("moved");
        factory.move(info, dir, to);
        assertThat(dir.resolve("t/sub/notes.txt")).exists();
        assertThat(dir.resolve("t/a")).doesNotExist();
        assertThat(FileStorage.partFile(info, dir)).doesNotExist();
        assertThat(Files.readAllBytes(to.resolve("t/a"))).isEqualTo(Arrays.copyOfRange(all, 0, 10_000));
        try (Storage s = factory.open(info, to, wanted)) {
            ByteBuffer back = ByteBuffer.allocate(16384);
            s.read(0, 0, back);
            assertThat(back.array()).as("the part file moved too").isEqualTo(Arrays.copyOfRange(all, 0, 16384));
        }

        Path again = dir.resolve("again");
        factory.move(info, to, again);
        assertThat(to.resolve("t")).as("the directories a move empties are removed").doesNotExist();
        assertThat(to).as("but never the directory moved from").exists();
        to = again;
        factory.deleteBookkeeping(info, to);
        assertThat(FileStorage.partFile(info, to)).doesNotExist();
        assertThat(to.resolve("t/a")).as("the torrent's own files are not bookkeeping").exists();
        BitSet onlyA = factory.filesWithData(info, to);
        assertThat(onlyA.get(0) && !onlyA.get(2) && !onlyA.get(3)).as("without a part file, files that exist").isTrue();
    }

    @Test
    void aFileReadBeforeItIsWrittenCanStillBeWritten() throws Exception {
        Info info = info();
        byte[] all = data(35_000);
        try (FileStorage s = FileStorage.allWanted(info, dir)) {
            s.write(0, 0, ByteBuffer.wrap(all, 0, 100));
        }
        try (FileStorage s = FileStorage.allWanted(info, dir)) {
            s.read(0, 0, ByteBuffer.allocate(100)); // opens read-only, as checking does
            s.write(0, 100, ByteBuffer.wrap(all, 100, 16284));
            ByteBuffer back = ByteBuffer.allocate(16384);
            s.read(0, 0, back);
            assertThat(Arrays.equals(back.array(), Arrays.copyOfRange(all, 0, 16384))).isTrue();
        }
    }

    @Test
    void readingMissingDataFails() throws Exception {
        try (FileStorage s = FileStorage.allWanted(info(), dir)) {
            assertThatThrownBy(() -> s.read(1, 0, ByteBuffer.allocate(100))).isInstanceOf(NoSuchFileException.class);
            s.write(2, 0, ByteBuffer.wrap(new byte[10]));
            assertThatThrownBy(() -> s.read(2, 0, ByteBuffer.allocate(100))).hasMessageContaining("ends before");
            assertThatThrownBy(() -> s.write(2, 2000, ByteBuffer.wrap(new byte[10_000]))).hasMessageContaining("outside the torrent");
        }
    }

    @Test
    void resumeDataRoundTripsAndDistrustsChangedFiles() throws Exception {
        Info info = info();
        byte[] all = data(35_000);
        try (FileStorage s = FileStorage.allWanted(info, dir)) {
            for (int p = 0; p < 3; p++) {
                int len = (int) info.pieceSize(p);
                s.write(p, 0, ByteBuffer.wrap(all, p * 16384, len));
            }
        }
        BitSet verified = new BitSet();
        verified.set(0, 3);
        var hash = io.jtorrent.metainfo.InfoHash.v1(new byte[20]);
        ResumeData saved = ResumeData.capture(hash, info, dir, verified, 5, 7);
        Path file = dir.resolve("r.resume");
        ResumeData.writeAtomically(file, saved.encode(3));
        ResumeData loaded = ResumeData.read(file, 3);
        assertThat(loaded.verified()).isEqualTo(verified);
        assertThat(loaded.uploaded()).isEqualTo(5);
        assertThat(loaded.trustedPieces(info, dir)).isEqualTo(verified);

        // touching c (bytes 30,000-35,000: pieces 1 and 2) distrusts those two; piece 0 stays trusted
        Files.setLastModifiedTime(dir.resolve("t/c"), FileTime.fromMillis(1000));
        BitSet expected = new BitSet();
        expected.set(0);
        assertThat(loaded.trustedPieces(info, dir)).isEqualTo(expected);
        assertThat(ResumeData.read(dir.resolve("none"), 3)).isNull();
        assertThatThrownBy(() -> ResumeData.decode("de".getBytes(), 3)).hasMessageContaining("resume data");
    }
}
