package io.jtorrent.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.testkit.ExternalProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop: {@code create --v2} and {@code --hybrid} give the same v1 and v2 info-hashes as
 * libtorrent's {@code create_torrent} (python3-libtorrent) for the same data and piece size, and
 * each reads the other's torrent identically.
 */
class V2CreateInteropTest {
    @TempDir
    Path dir;

    @Test
    void aTreeHashesAsLibtorrentHashesIt() throws Exception {
        Path tree = dir.resolve("tree");
        Random random = new Random(52);
        // component order differs from byte-wise path order: "sub/c" sorts before "sub.txt"
        write(tree.resolve("sub.txt"), 5, random);
        write(tree.resolve("sub/c"), 70_000, random);
        write(tree.resolve("A.txt"), 40_000, random);     // two pieces of 32 KiB
        write(tree.resolve("b.bin"), 100_000, random);    // a piece layer with a padded last piece
        write(tree.resolve("empty"), 0, random);          // in the tree, no root, no pad
        write(tree.resolve("exact"), 32_768, random);     // ends on a boundary: no pad
        write(tree.resolve("tiny"), 100, random);         // one short leaf
        write(tree.resolve("dir/deep/x"), 16_384, random);
        write(tree.resolve("run.sh"), 50_000, random);
        Files.setPosixFilePermissions(tree.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        for (long piece : new long[] {16 << 10, 32 << 10, 64 << 10}) {
            compare(tree, TorrentBuilder.Version.V2, piece);
            compare(tree, TorrentBuilder.Version.HYBRID, piece);
        }
    }

    @Test
    void aSingleFileHashesAsLibtorrentHashesIt() throws Exception {
        Path file = dir.resolve("single.bin");
        write(file, 300_000, new Random(7));
        compare(file, TorrentBuilder.Version.V2, 32 << 10);
        compare(file, TorrentBuilder.Version.HYBRID, 32 << 10);
        compare(file, TorrentBuilder.Version.V2, 512 << 10); // one piece: the root is the only hash
    }

    private void compare(Path data, TorrentBuilder.Version version, long piece) throws Exception {
        Path theirs = dir.resolve("theirs.torrent");
        String kind = version == TorrentBuilder.Version.V2 ? "v2" : "hybrid";
        String[] hashes = ExternalProgram.libtorrentCreate(data, kind, piece, theirs);

        Metainfo ours = TorrentBuilder.from(data).version(version).pieceLength(piece).creationDate(null).build().metainfo();
        String what = data.getFileName() + " " + kind + " " + piece;
        assertThat(ours.infoHashV1().map(InfoHash::hex).orElse("-")).as(what + " v1").isEqualTo(hashes[0]);
        assertThat(ours.infoHashV2().map(InfoHash::hex).orElse("-")).as(what + " v2").isEqualTo(hashes[1]);
        assertThat(ours.hasAllPieceLayers()).isTrue();

        // libtorrent's torrent reads as ours does, piece layers included, and verifies against the data
        Metainfo read = Metainfo.read(theirs);
        assertThat(read.infoHash()).isEqualTo(ours.infoHash());
        assertThat(read.info().files()).isEqualTo(ours.info().files());
        for (int p = 0; p < ours.info().pieceCount(); p++) {
            assertThat(read.v2PieceHash(p).orElseThrow()).isEqualTo(ours.v2PieceHash(p).orElseThrow());
        }
        assertThat(TorrentVerifier.verify(read, data.getParent(), 2, PieceHasher.Progress.NONE).complete()).isTrue();
    }

    private static void write(Path file, int length, Random random) throws Exception {
        Files.createDirectories(file.getParent());
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        Files.write(file, bytes);
    }
}
