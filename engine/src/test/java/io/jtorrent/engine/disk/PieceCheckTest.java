package io.jtorrent.engine.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.Info;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.TorrentBuilder;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A v2 piece is checked by its Merkle subtree, whatever the chunks its bytes come in; padding is not hashed. */
class PieceCheckTest {
    @TempDir
    Path dir;

    @Test
    void v2PiecesMatchTheirLayerOrRootAndNothingElse() throws Exception {
        Random random = new Random(3);
        byte[] a = new byte[150_000];
        byte[] b = new byte[20_000];
        random.nextBytes(a);
        random.nextBytes(b);
        Files.createDirectories(dir.resolve("t"));
        Files.write(dir.resolve("t/a"), a);
        Files.write(dir.resolve("t/b"), b);
        long piece = 64 << 10;
        Metainfo m = TorrentBuilder.from(dir.resolve("t")).version(TorrentBuilder.Version.V2).pieceLength(piece).build().metainfo();
        Info info = m.info();
        assertThat(info.pieceCount()).isEqualTo(4); // a: 3 pieces (the last padded), b: 1

        for (int p = 0; p < 4; p++) {
            byte[] data = new byte[(int) info.pieceSize(p)]; // what storage reads: file data, then zeros
            byte[] source = p < 3 ? a : b;
            int from = p < 3 ? (int) (p * piece) : 0;
            int dataBytes = Math.min(data.length, source.length - from);
            System.arraycopy(source, from, data, 0, dataBytes);
            PieceCheck check = PieceCheck.of(m, p);
            assertThat(check.merkle()).isTrue();
            assertThat(check.matches(digest(check, data, data.length))).as("piece %d whole", p).isTrue();
            assertThat(check.matches(digest(check, data, 1000))).as("piece %d in odd chunks", p).isTrue();
            byte[] bad = data.clone();
            bad[dataBytes / 3] ^= 1;
            assertThat(check.matches(digest(check, bad, 4096))).as("piece %d corrupted", p).isFalse();
            assertThat(check.matches(digest(check, Arrays.copyOf(data, dataBytes / 2), 4096))).as("short").isFalse();
            if (dataBytes < data.length) {
                byte[] padded = data.clone();
                padded[data.length - 1] = 7; // padding is not the file's data: never hashed, never written
                assertThat(check.matches(digest(check, padded, 4096))).isTrue();
            }
        }
        // piece 1 of a and piece 0 of b do not stand in for each other
        assertThat(PieceCheck.of(m, 3).matches(digest(PieceCheck.of(m, 1), new byte[(int) piece], 4096))).isFalse();
    }

    private static byte[] digest(PieceCheck check, byte[] data, int chunk) {
        PieceCheck.Digest d = check.digest();
        for (int at = 0; at < data.length; at += chunk) {
            d.update(ByteBuffer.wrap(data, at, Math.min(chunk, data.length - at)));
        }
        return d.finish();
    }

    @Test
    void blockCrcsCoverEachBlockTheLastShorterAndLeaveTheBufferWhereItWas() {
        byte[] data = new byte[40_000];
        new Random(3).nextBytes(data);
        ByteBuffer piece = ByteBuffer.wrap(data, 0, data.length);
        int[] crcs = PieceCheck.blockCrcs(piece, 16384);
        assertThat(crcs).hasSize(3);
        for (int b = 0; b < 3; b++) {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(data, b * 16384, Math.min(16384, data.length - b * 16384));
            assertThat(crcs[b]).as("block " + b).isEqualTo((int) crc.getValue());
        }
        assertThat(piece.position()).isZero();
        assertThat(piece.remaining()).isEqualTo(data.length);
    }
}
