package io.jtorrent.engine.disk;

import io.jtorrent.storage.Storage;
import io.jtorrent.wire.PeerMessage;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Everything a torrent asks of the disk, never done on its event loop: each call returns at once
 * and its completion runs on the {@code loop} given (libtorrent's {@code disk_interface} is the
 * model). {@link ThreadPoolDiskIo} is the implementation; tests and simulations bring their own.
 */
public interface DiskIo extends AutoCloseable {

    /**
     * A piece's hash (SHA-1, or the v2 Merkle hash, as its {@link PieceCheck} says) and the CRC-32
     * of each of its blocks (to tell later who sent bad data), or the error.
     */
    record PieceHash(byte[] digest, int[] blockCrcs, IOException error, byte[] leaves) {
        public PieceHash(byte[] digest, int[] blockCrcs, IOException error) {
            this(digest, blockCrcs, error, null);
        }
    }

    /**
     * A whole piece assembled in memory before it is hashed and written, in the disk's own buffer
     * type (so the rooms that assemble pieces never see it). Blocks are copied in; the buffer is
     * released by {@link #verifyAndWrite} or by {@link #release}.
     */
    interface PieceBuffer {
        /** Copies {@code block}'s data in at {@code offset} and releases the block. */
        void put(int offset, PeerMessage.Piece block);

        void release();
    }

    /**
     * An operation failed for want of memory for its buffer (the JVM's direct memory used up), not
     * because of the disk: the data and the storage are as they were, and the operation can be
     * asked again later. Not a reason to stop a torrent.
     */
    final class NoBuffersException extends IOException {
        public NoBuffersException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A new, empty buffer for a piece of {@code size} bytes; null when there is no memory for one
     * just now (the piece is then written block by block, from the blocks' own buffers).
     */
    PieceBuffer pieceBuffer(int size);

    /** Writes a block and releases it; {@code done} gets null or the error. */
    void write(Storage storage, int piece, int begin, PeerMessage.Piece block, Executor loop, Consumer<IOException> done);

    /** Reads a block into a new buffer; {@code done} gets it (to release) or the error. */
    void read(Storage storage, int piece, int begin, int length, Executor loop, BiConsumer<ByteBuf, IOException> done);

    /**
     * Reads a whole piece back and hashes it as {@code check} says, and with {@code blockCrcs} a
     * CRC-32 per block of {@code blockSize} (for the smart ban; a data check needs none, and gets null).
     */
    void hash(Storage storage, int piece, long pieceSize, PieceCheck check, int blockSize, boolean blockCrcs,
              Executor loop, Consumer<PieceHash> done);

    /**
     * Hashes a whole piece held in memory and, only if it passes {@code check}, writes it. The
     * buffer is released either way. CRC-32s per block of {@code blockSize} (for the smart ban) are
     * computed when the piece fails, or when {@code crcsIfGood} (an earlier copy failed); else null.
     */
    void verifyAndWrite(Storage storage, int piece, PieceBuffer data, PieceCheck check, int blockSize, boolean crcsIfGood,
                        Executor loop, Consumer<PieceHash> done);

    /** Runs any disk task (flush, resume save, open) off the loop. */
    <T> void run(Callable<T> task, Executor loop, BiConsumer<T, IOException> done);

    @Override
    void close() throws InterruptedException;
}
