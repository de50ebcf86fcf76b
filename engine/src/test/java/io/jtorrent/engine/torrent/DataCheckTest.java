package io.jtorrent.engine.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.bencode.BDictionary;
import io.jtorrent.engine.disk.DiskIo;
import io.jtorrent.metainfo.Info;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.storage.Storage;
import io.jtorrent.wire.PeerMessage;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The data check against a disk that answers when the test says: a few pieces hashed at a time,
 * the progress told after each (what the daemon's recheckProgress shows), and only pieces whose
 * hash matches counted.
 */
class DataCheckTest {
    private static final int PIECE = 16384;

    /** A disk whose hashes complete one by one when told; piece 2 reads back wrong. */
    static final class HeldDisk implements DiskIo {
        final Deque<Runnable> held = new ArrayDeque<>();

        @Override
        public PieceBuffer pieceBuffer(int size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void write(Storage storage, int piece, int begin, PeerMessage.Piece block, Executor loop, Consumer<IOException> done) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void read(Storage storage, int piece, int begin, int length, Executor loop, BiConsumer<ByteBuf, IOException> done) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void hash(Storage storage, int piece, long pieceSize, io.jtorrent.engine.disk.PieceCheck check,
                         int blockSize, boolean blockCrcs, Executor loop, Consumer<PieceHash> done) {
            byte[] sha1 = new byte[20]; // the torrent's hashes are all zeros: every piece matches but piece 2
            if (piece == 2) {
                sha1[0] = 1;
            }
            held.add(() -> done.accept(new PieceHash(sha1, new int[1], null)));
        }

        @Override
        public void verifyAndWrite(Storage storage, int piece, PieceBuffer data, io.jtorrent.engine.disk.PieceCheck check, int blockSize,
                                   boolean crcsIfGood, Executor loop,
                                   Consumer<PieceHash> done) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> void run(Callable<T> task, Executor loop, BiConsumer<T, IOException> done) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void piecesAreHashedAFewAtATimeWithTheProgressToldAfterEach() throws Exception {
        Metainfo info = Metainfo.parse(BDictionary.builder().put("info", BDictionary.builder().put("name", "t")
                .put("length", 4L * PIECE).put("piece length", PIECE).put("pieces", new byte[4 * 20]).build()).build().encode());
        HeldDisk disk = new HeldDisk();
        BitSet toHash = new BitSet();
        toHash.set(0, 4);
        List<Double> progress = new ArrayList<>();
        BitSet[] result = new BitSet[1];
        DataCheck.hash(disk, Runnable::run, info, null, new BitSet(), toHash, 2, progress::add, have -> result[0] = have);
        assertThat(disk.held).as("two at a time").hasSize(2);
        while (!disk.held.isEmpty()) {
            disk.held.poll().run();
        }
        assertThat(progress).containsExactly(0.25, 0.5, 0.75, 1.0);
        assertThat(result[0]).isEqualTo(BitSet.valueOf(new long[] {0b1011}));
    }
}
