package io.jtorrent.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A torrent's data, addressed by piece and offset: the narrow interface every backend implements
 * (and passes {@code StorageConformanceTest} for). Calls may come from several disk threads at
 * once; a backend must allow concurrent reads and writes of different blocks.
 *
 * <p>A storage knows nothing of hashes: the engine writes blocks, hashes a piece by reading it
 * back (or as it streams), and only then calls it complete.
 */
public interface Storage extends Closeable {

    /** Writes all of {@code data} at {@code offset} within {@code piece}. */
    void write(int piece, int offset, ByteBuffer data) throws IOException;

    /**
     * Fills {@code dst} with the bytes at {@code offset} within {@code piece}.
     *
     * @throws java.io.EOFException or {@link java.nio.file.NoSuchFileException} when the data is
     *     not there (a missing or short file)
     */
    void read(int piece, int offset, ByteBuffer dst) throws IOException;

    /** Makes everything written so far durable (fsync). */
    void flush() throws IOException;

    /**
     * The files (by index) this storage created: deleting the torrent's data may delete them. A
     * backend that creates no files of the user's returns none.
     */
    default java.util.BitSet createdFiles() {
        return new java.util.BitSet();
    }

    /** Flushes and releases every open file. */
    @Override
    void close() throws IOException;
}
