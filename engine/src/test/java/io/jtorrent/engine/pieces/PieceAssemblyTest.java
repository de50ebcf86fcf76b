package io.jtorrent.engine.pieces;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.bencode.BDictionary;
import io.jtorrent.engine.disk.DiskIo;
import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.metainfo.Info;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.storage.Storage;
import io.jtorrent.wire.PeerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Piece assembly against a disk that answers only when the test says: the memory budget, the
 * back-pressure thresholds, block-by-block writes past the budget, and a stop dropping everything.
 */
class PieceAssemblyTest {
    private static final int PIECE = 65536; // four blocks
    private static final long HIGH_WATER = 2 * PIECE;

    /** A disk that queues every request and completes it when {@link #finishNext} is called. */
    static final class HeldDisk implements DiskIo {
        final Deque<Runnable> held = new ArrayDeque<>();
        final List<String> calls = new ArrayList<>();
        /** No memory for piece buffers (pieceBuffer gives null). */
        boolean noMemory;

        void finishNext() {
            held.removeFirst().run();
        }

        @Override
        public PieceBuffer pieceBuffer(int size) {
            if (noMemory) {
                return null;
            }
            return new PieceBuffer() {
                @Override
                public void put(int offset, PeerMessage.Piece block) {
                    block.release();
                }

                @Override
                public void release() {
                }
            };
        }

        @Override
        public void write(Storage storage, int piece, int begin, PeerMessage.Piece data, Executor loop, Consumer<IOException> done) {
            calls.add("write " + piece + "/" + begin);
            data.release();
            held.add(() -> done.accept(null));
        }

        @Override
        public void read(Storage storage, int piece, int begin, int length, Executor loop, BiConsumer<ByteBuf, IOException> done) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void hash(Storage storage, int piece, long pieceSize, io.jtorrent.engine.disk.PieceCheck check,
                         int blockSize, boolean blockCrcs, Executor loop, Consumer<PieceHash> done) {
            calls.add("hash " + piece);
            held.add(() -> done.accept(new PieceHash(new byte[20], new int[4], null)));
        }

        @Override
        public void verifyAndWrite(Storage storage, int piece, PieceBuffer data, io.jtorrent.engine.disk.PieceCheck check, int blockSize,
                                   boolean crcsIfGood, Executor loop,
                                   Consumer<PieceHash> done) {
            calls.add("verifyAndWrite " + piece);
            data.release();
            held.add(() -> done.accept(new PieceHash(new byte[20], new int[4], null)));
        }

        @Override
        public <T> void run(Callable<T> task, Executor loop, BiConsumer<T, IOException> done) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    private final List<String> events = new ArrayList<>();
    private final HeldDisk disk = new HeldDisk();
    private final PieceAssembly<String> assembly = new PieceAssembly<>(disk, null, HIGH_WATER, new PieceAssembly.Owner<>() {
        @Override
        public void backPressure(boolean backedUp) {
            events.add(backedUp ? "stop reading" : "read again");
        }

        @Override
        public io.jtorrent.engine.disk.PieceCheck pieceCheck(int index) {
            return io.jtorrent.engine.disk.PieceCheck.sha1(new byte[20]);
        }

        @Override
        public void hashed(int piece, DiskIo.PieceHash hash, List<String> senders) {
            events.add("hashed " + piece + " from " + senders);
        }

        @Override
        public void storageError(String message) {
            events.add("error " + message);
        }

        @Override
        public boolean blockCrcsWanted(int piece) {
            return false;
        }
    });

    private static Info info() throws Exception {
        return Metainfo.parse(BDictionary.builder().put("info", BDictionary.builder().put("name", "t").put("length", 8L * PIECE)
                .put("piece length", PIECE).put("pieces", new byte[8 * 20]).build()).build().encode()).info();
    }

    /** Delivers every block of {@code piece}, from {@code peer}. */
    private void deliver(Info info, int piece, String peer) {
        for (int b = 0; b < 4; b++) {
            ByteBuf data = Unpooled.buffer(16384).writeZero(16384);
            assembly.add(null, info, new PiecePicker.Block(piece, b), 4, peer, new PeerMessage.Piece(piece, b * 16384, data), b == 3);
        }
    }

    @Test
    void piecesAreAssembledInMemoryWithinTheBudgetThenGoBlockByBlockAndReadingStopsAndResumes() throws Exception {
        Info info = info();
        deliver(info, 0, "a");
        deliver(info, 1, "b");
        assertThat(disk.calls).containsExactly("verifyAndWrite 0", "verifyAndWrite 1");
        assertThat(assembly.pendingWriteBytes()).isEqualTo(2L * PIECE);
        assertThat(events).as("at the mark, not past it").isEmpty();
        // no room in memory for piece 2: its blocks go to the disk one by one, past the mark
        deliver(info, 2, "c");
        assertThat(disk.calls).containsExactly("verifyAndWrite 0", "verifyAndWrite 1", "write 2/0", "write 2/16384",
                "write 2/32768", "write 2/49152");
        assertThat(events).containsExactly("stop reading");
        disk.finishNext(); // piece 0 written: 192 KiB - 64 KiB = 128 KiB pending, still above half
        assertThat(events).containsExactly("stop reading", "hashed 0 from [a, a, a, a]");
        disk.finishNext(); // piece 1: 64 KiB pending, not above half: read again
        assertThat(events).containsExactly("stop reading", "hashed 0 from [a, a, a, a]", "read again", "hashed 1 from [b, b, b, b]");
        for (int i = 0; i < 4; i++) {
            disk.finishNext(); // piece 2's blocks; the last one asks for the piece to be hashed
        }
        assertThat(disk.calls).endsWith("hash 2");
        disk.finishNext();
        assertThat(events).endsWith("hashed 2 from [c, c, c, c]");
        assertThat(assembly.pendingWriteBytes()).isZero();
        assertThat(assembly.bufferedBytes()).isZero();
    }

    @Test
    void withoutMemoryForAPieceBufferThePieceGoesBlockByBlock() throws Exception {
        Info info = info();
        disk.noMemory = true;
        deliver(info, 5, "z");
        assertThat(disk.calls).containsExactly("write 5/0", "write 5/16384", "write 5/32768", "write 5/49152");
        disk.noMemory = false;
        for (int i = 0; i < 4; i++) {
            disk.finishNext();
        }
        assertThat(disk.calls).endsWith("hash 5");
        disk.finishNext();
        assertThat(events).containsExactly("hashed 5 from [z, z, z, z]");
        deliver(info, 6, "w");
        assertThat(disk.calls).as("memory again: assembled in it").endsWith("verifyAndWrite 6");
        assertThat(assembly.bufferedBytes()).isZero();
    }

    @Test
    void aStopDropsUnfinishedPiecesAndIgnoresLateCompletions() throws Exception {
        Info info = info();
        // half of piece 3 in memory, piece 4 complete and on its way to the disk
        for (int b = 0; b < 2; b++) {
            assembly.add(null, info, new PiecePicker.Block(3, b), 4, "x",
                    new PeerMessage.Piece(3, b * 16384, Unpooled.buffer(16384).writeZero(16384)), false);
        }
        deliver(info, 4, "y");
        assertThat(assembly.bufferedBytes()).isEqualTo(PIECE);
        List<Integer> unfinished = new ArrayList<>();
        assembly.dropAll(unfinished::add);
        assertThat(unfinished).containsExactly(3);
        assertThat(assembly.bufferedBytes()).isZero();
        disk.finishNext(); // piece 4's write ends after the stop: nobody hears of it
        assertThat(events).isEmpty();
        assertThat(assembly.pendingWriteBytes()).isZero();
    }
}
