package io.jtorrent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jtorrent.metainfo.Info;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Storage} backend must do, whatever it keeps data in: a backend's test extends
 * this and says how to open it. The layout is {@link FileStorageTest#info()}: files of 10,000 / 0 /
 * 20,000 / 5,000 bytes in 16 KiB pieces, so pieces straddle files and one file is empty.
 */
abstract class StorageConformanceTest {
    @TempDir
    Path dir;

    /** Opens (or reopens) the backend for {@code info} with every file wanted. */
    abstract Storage open(Info info, Path dir) throws IOException;

    private static byte[] data(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] readPiece(Storage s, Info info, int piece) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) info.pieceSize(piece));
        s.read(piece, 0, b);
        return b.array();
    }

    @Test
    void blocksReadBackAsWrittenAcrossFileBoundariesAndAfterReopening() throws Exception {
        Info info = FileStorageTest.info();
        byte[] all = data(35_000, 1);
        try (Storage s = open(info, dir)) {
            for (int piece = 0; piece < info.pieceCount(); piece++) {
                int size = (int) info.pieceSize(piece);
                for (int off = 0; off < size; off += 5_000) {
                    s.write(piece, off, ByteBuffer.wrap(all, piece * 16384 + off, Math.min(5_000, size - off)));
                }
            }
            s.flush();
            assertThat(readPiece(s, info, 1)).isEqualTo(Arrays.copyOfRange(all, 16384, 32768));
            // a read inside a piece, across the 10,000 / 30,000 file boundaries
            ByteBuffer mid = ByteBuffer.allocate(1000);
            s.read(0, 9_500, mid);
            assertThat(mid.array()).isEqualTo(Arrays.copyOfRange(all, 9_500, 10_500));
        }
        try (Storage again = open(info, dir)) {
            for (int piece = 0; piece < info.pieceCount(); piece++) {
                int from = piece * 16384;
                assertThat(readPiece(again, info, piece)).isEqualTo(Arrays.copyOfRange(all, from, from + (int) info.pieceSize(piece)));
            }
        }
    }

    @Test
    void differentBlocksMayBeWrittenAndReadFromSeveralThreadsAtOnce() throws Exception {
        Info info = FileStorageTest.info();
        byte[] all = data(35_000, 2);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Storage s = open(info, dir)) {
            List<Future<?>> work = new ArrayList<>();
            for (int start = 0; start < 35_000; start += 1_000) {
                int at = start;
                work.add(pool.submit(() -> {
                    int piece = at / 16384;
                    int len = Math.min(1_000, Math.min(35_000, (piece + 1) * 16384) - at);
                    s.write(piece, at - piece * 16384, ByteBuffer.wrap(all, at, len));
                    if (len < 1_000) { // the rest of this thousand is in the next piece
                        s.write(piece + 1, 0, ByteBuffer.wrap(all, at + len, Math.min(1_000 - len, 35_000 - at - len)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(30, TimeUnit.SECONDS);
            }
            List<Future<byte[]>> reads = new ArrayList<>();
            for (int piece = 0; piece < info.pieceCount(); piece++) {
                int p = piece;
                reads.add(pool.submit(() -> readPiece(s, info, p)));
            }
            for (int piece = 0; piece < info.pieceCount(); piece++) {
                int from = piece * 16384;
                assertThat(reads.get(piece).get(30, TimeUnit.SECONDS))
                        .isEqualTo(Arrays.copyOfRange(all, from, from + (int) info.pieceSize(piece)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void dataNeverWrittenCannotBeReadAndBlocksOutsideTheTorrentAreRefused() throws Exception {
        Info info = FileStorageTest.info();
        try (Storage s = open(info, dir)) {
            assertThatThrownBy(() -> readPiece(s, info, 2)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> s.write(3, 0, ByteBuffer.allocate(10))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.write(2, 0, ByteBuffer.allocate(16384))).as("past the last piece's end")
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
