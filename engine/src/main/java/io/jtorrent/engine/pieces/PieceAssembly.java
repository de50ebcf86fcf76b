package io.jtorrent.engine.pieces;

import io.jtorrent.engine.disk.DiskIo;
import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.engine.time.Loop;
import io.jtorrent.metainfo.Info;
import io.jtorrent.storage.Storage;
import io.jtorrent.wire.PeerMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Blocks on their way to disk. A piece is assembled in memory while the budget allows (bytes held
 * in memory plus bytes waiting for the disk at most {@code writeHighWater}), then hashed and, only
 * if it is good, written at once; past the budget a piece goes block by block and is read back to
 * be hashed. When more than {@code writeHighWater} bytes wait for the disk the owner is told to stop
 * reading from peers, and told again once below half (pieces being assembled do not count: they
 * need more reading to ever leave memory). Keeps who sent each block, for the smart ban.
 * Owned by the torrent's loop. {@code S}: who sends blocks.
 */
public final class PieceAssembly<S> {
    /** What the assembly reports to its torrent. */
    public interface Owner<S> {
        /** Stop (true) or resume (false) reading from peers. */
        void backPressure(boolean backedUp);

        /** How piece {@code index} is checked. */
        io.jtorrent.engine.disk.PieceCheck pieceCheck(int index);

        /** A piece was hashed (the error set if it could not be written or read); {@code senders} per block, or null. */
        void hashed(int piece, DiskIo.PieceHash hash, List<S> senders);

        /** A block could not be written. */
        void storageError(String message);

        /** Whether a good copy of {@code piece} needs its block CRCs (an earlier copy failed: the smart ban compares). */
        boolean blockCrcsWanted(int piece);
    }

    private final DiskIo disk;
    private final Loop loop;
    private final long writeHighWater;
    private final Owner<S> owner;
    private final Map<Integer, DiskIo.PieceBuffer> buffers = new HashMap<>();
    /** Pieces written block by block (over the memory budget), with their blocks written so far. */
    private final Set<Integer> direct = new HashSet<>();
    private final Map<Integer, Integer> blocksWritten = new HashMap<>();
    private final Map<Integer, List<S>> senders = new HashMap<>();
    private final Map<Integer, Long> bufferSizes = new HashMap<>();
    private long bufferedBytes;
    private volatile long pendingWriteBytes;
    private boolean backedUp;
    /** Bumped by {@link #dropAll}: completions of work started before are ignored. */
    private int generation;

    public PieceAssembly(DiskIo disk, Loop loop, long writeHighWater, Owner<S> owner) {
        this.disk = disk;
        this.loop = loop;
        this.writeHighWater = writeHighWater;
        this.owner = owner;
    }

    /**
     * A wanted block arrived from {@code from} (the picker has counted it); takes ownership of its
     * data. {@code pieceComplete}: it was the piece's last missing block.
     */
    public void add(Storage storage, Info info, PiecePicker.Block block, int blocksInPiece, S from, PeerMessage.Piece data,
             boolean pieceComplete) {
        assert loop == null || loop.inLoop();
        int piece = block.piece();
        senders.computeIfAbsent(piece, k -> new ArrayList<>(Collections.nCopies(blocksInPiece, null))).set(block.index(), from);
        DiskIo.PieceBuffer buffer = buffers.get(piece);
        if (buffer == null && !direct.contains(piece)) {
            long size = info.pieceSize(piece);
            if (bufferedBytes + pendingWriteBytes + size <= writeHighWater && (buffer = disk.pieceBuffer((int) size)) != null) {
                buffers.put(piece, buffer);
                bufferSizes.put(piece, size);
                bufferedBytes += size;
            } else {
                direct.add(piece); // over the memory budget, or no memory for a buffer: this piece goes block by block
            }
        }
        int gen = generation;
        if (buffer != null) {
            // the common path: assemble the piece in memory, then hash it and write it at once
            buffer.put(block.begin(), data);
            if (pieceComplete) {
                buffers.remove(piece);
                bufferSizes.remove(piece);
                long size = info.pieceSize(piece);
                bufferedBytes -= size;
                pendingWriteBytes += size;
                disk.verifyAndWrite(storage, piece, buffer, owner.pieceCheck(piece), PiecePicker.BLOCK,
                        owner.blockCrcsWanted(piece), loop, h -> {
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
        disk.write(storage, piece, block.begin(), data, loop, e -> {
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
                disk.hash(storage, piece, info.pieceSize(piece), owner.pieceCheck(piece), PiecePicker.BLOCK, true, loop, h -> {
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
    public void dropAll(java.util.function.IntConsumer unfinished) {
        assert loop == null || loop.inLoop();
        generation++;
        for (Map.Entry<Integer, DiskIo.PieceBuffer> e : buffers.entrySet()) {
            bufferedBytes -= bufferSizes.get(e.getKey());
            e.getValue().release();
            unfinished.accept(e.getKey());
        }
        buffers.clear();
        bufferSizes.clear();
        direct.forEach(unfinished::accept);
        direct.clear();
        blocksWritten.clear();
        senders.clear();
    }

    public boolean backedUp() {
        return backedUp;
    }

    public long pendingWriteBytes() {
        return pendingWriteBytes;
    }

    public long bufferedBytes() {
        return bufferedBytes;
    }
}
