package io.jtorrent.engine;

import io.jtorrent.engine.disk.DiskIo;
import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.engine.time.Loop;
import io.jtorrent.metainfo.Info;
import io.jtorrent.storage.Storage;
import io.jtorrent.wire.PeerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Blocks on their way to disk. A piece is assembled in memory while the budget allows (bytes held
 * in memory plus bytes waiting for the disk at most {@code writeHighWater}), then hashed and, only
 * if it is good, written at once; past the budget a piece goes block by block and is read back to
 * be hashed. When more than {@code writeHighWater} bytes wait for the disk the owner is told to stop
 * reading from peers, and told again once below half (pieces being assembled do not count: they
 * need more reading to ever leave memory). Keeps who sent each block, for the smart ban.
 * Owned by the torrent's loop.
 */
final class PieceAssembly {
    /** What the assembly reports to its torrent. */
    interface Owner {
        /** Stop (true) or resume (false) reading from peers. */
        void backPressure(boolean backedUp);

        /** A piece was hashed (the error set if it could not be written or read); {@code senders} per block, or null. */
        void hashed(int piece, DiskIo.PieceHash hash, Object[] senders);

        /** A block could not be written. */
        void storageError(String message);
    }

    private final DiskIo disk;
    private final Loop loop;
    private final long writeHighWater;
    private final Owner owner;
    private final Map<Integer, ByteBuf> buffers = new HashMap<>();
    /** Pieces written block by block (over the memory budget), with their blocks written so far. */
    private final Set<Integer> direct = new HashSet<>();
    private final Map<Integer, Integer> blocksWritten = new HashMap<>();
    private final Map<Integer, Object[]> senders = new HashMap<>();
    private long bufferedBytes;
    private volatile long pendingWriteBytes;
    private boolean backedUp;
    /** Bumped by {@link #dropAll}: completions of work started before are ignored. */
    private int generation;

    PieceAssembly(DiskIo disk, Loop loop, long writeHighWater, Owner owner) {
        this.disk = disk;
        this.loop = loop;
        this.writeHighWater = writeHighWater;
        this.owner = owner;
    }

    /**
     * A wanted block arrived from {@code from} (the picker has counted it); takes ownership of its
     * data. {@code pieceComplete}: it was the piece's last missing block.
     */
    void add(Storage storage, Info info, PiecePicker.Block block, int blocksInPiece, Object from, PeerMessage.Piece data,
             boolean pieceComplete) {
        assert loop == null || loop.inLoop();
        int piece = block.piece();
        senders.computeIfAbsent(piece, k -> new Object[blocksInPiece])[block.index()] = from;
        ByteBuf buffer = buffers.get(piece);
        if (buffer == null && !direct.contains(piece)) {
            long size = info.pieceSize(piece);
            if (bufferedBytes + pendingWriteBytes + size <= writeHighWater) {
                buffer = PooledByteBufAllocator.DEFAULT.directBuffer((int) size, (int) size);
                buffer.writerIndex((int) size);
                buffers.put(piece, buffer);
                bufferedBytes += size;
            } else {
                direct.add(piece); // over the memory budget: this piece goes block by block
            }
        }
        int gen = generation;
        if (buffer != null) {
            // the common path: assemble the piece in memory, then hash it and write it at once
            buffer.setBytes(block.begin(), data.data(), data.data().readerIndex(), data.length());
            data.release();
            if (pieceComplete) {
                buffers.remove(piece);
                long size = info.pieceSize(piece);
                bufferedBytes -= size;
                pendingWriteBytes += size;
                disk.verifyAndWrite(storage, piece, buffer, info.pieceHash(piece), PiecePicker.BLOCK, loop, h -> {
                    pendingWriteBytes -= size;
                    updateBackPressure();
                    if (gen == generation) {
                        owner.hashed(piece, h, senders.remove(piece));
                    }
                });
            }
            updateBackPressure();
            return;
        }
        int length = data.length();
        pendingWriteBytes += length;
        updateBackPressure();
        disk.write(storage, piece, block.begin(), data.data(), loop, e -> {
            pendingWriteBytes -= length;
            updateBackPressure();
            if (gen != generation) {
                return;
            }
            if (e != null) {
                owner.storageError("writing piece " + piece + ": " + e.getMessage());
                return;
            }
            if (blocksWritten.merge(piece, 1, Integer::sum) == blocksInPiece) {
                blocksWritten.remove(piece);
                direct.remove(piece);
                disk.hash(storage, piece, info.pieceSize(piece), PiecePicker.BLOCK, loop, h -> {
                    if (gen == generation) {
                        owner.hashed(piece, h, senders.remove(piece));
                    }
                });
            }
        });
    }

    private void updateBackPressure() {
        boolean now = backedUp ? pendingWriteBytes > writeHighWater / 2 : pendingWriteBytes > writeHighWater;
        if (now != backedUp) {
            backedUp = now;
            owner.backPressure(now);
        }
    }

    /**
     * Transfers stop: every unfinished piece is dropped (its buffer released) and handed to
     * {@code unfinished} so the picker fetches it again. Work already on the disk finishes, unheard.
     */
    void dropAll(java.util.function.IntConsumer unfinished) {
        assert loop == null || loop.inLoop();
        generation++;
        for (Map.Entry<Integer, ByteBuf> e : buffers.entrySet()) {
            bufferedBytes -= e.getValue().capacity();
            e.getValue().release();
            unfinished.accept(e.getKey());
        }
        buffers.clear();
        direct.forEach(unfinished::accept);
        direct.clear();
        blocksWritten.clear();
        senders.clear();
    }

    boolean backedUp() {
        return backedUp;
    }

    long pendingWriteBytes() {
        return pendingWriteBytes;
    }

    long bufferedBytes() {
        return bufferedBytes;
    }
}
