package io.jtorrent.engine.torrent;

import io.jtorrent.engine.disk.DiskIo;
import io.jtorrent.engine.picker.PiecePicker;
import io.jtorrent.engine.pieces.PieceRanges;
import io.jtorrent.metainfo.Info;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.storage.ResumeData;
import io.jtorrent.storage.Storage;
import io.jtorrent.storage.StorageFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Opening a torrent's data and finding what of it is already there: the storage is opened, the
 * resume data read and every file looked up once, all on a disk thread (never on the loop); then
 * the pieces neither trusted from the resume data nor missing a file are hashed, a few at a time
 * on the hash pool. The results come back on the torrent's loop, which alone sets its fields.
 */
final class DataCheck {
    private DataCheck() {
    }

    /**
     * What opening found.
     *
     * @param trusted pieces the resume data vouches for (their files unchanged since)
     * @param toHash pieces to hash: not trusted, and every file holding their data exists
     * @param resume the resume data read, or null
     */
    record Opened(Storage storage, BitSet trusted, BitSet toHash, ResumeData resume) {}

    /** Opens the data on a disk thread; {@code done} runs on {@code loop}. */
    static void open(DiskIo disk, StorageFactory storage, Executor loop, Info info, InfoHash infoHash, Path saveDir,
                     BitSet wanted, Path resumeFile, boolean ignoreResume, BiConsumer<Opened, IOException> done) {
        disk.run(() -> {
            Storage s = storage.open(info, saveDir, wanted);
            ResumeData resume = resumeFile == null ? null : ResumeData.read(resumeFile, info.pieceCount());
            BitSet trusted = !ignoreResume && resume != null && resume.infoHash().equals(infoHash)
                    ? resume.trustedPieces(info, saveDir) : new BitSet();
            // each file looked up once (not once per piece): pieces of absent files are not hashed
            BitSet exists = storage.filesWithData(info, saveDir);
            BitSet toHash = new BitSet();
            for (int piece = 0; piece < info.pieceCount(); piece++) {
                BitSet files = PieceRanges.filesOf(info, piece);
                files.andNot(exists);
                if (!trusted.get(piece) && files.isEmpty()) {
                    toHash.set(piece);
                }
            }
            return new Opened(s, trusted, toHash, resume);
        }, loop, done);
    }

    /**
     * Hashes {@code toHash}, {@code parallel} pieces at a time; {@code done} gets {@code start}
     * plus the pieces that matched, on {@code loop}. A piece that cannot be read counts as missing.
     * {@code progress} hears, on {@code loop}, the fraction of {@code toHash} looked at so far.
     */
    static void hash(DiskIo disk, Executor loop, io.jtorrent.metainfo.Metainfo metainfo, Storage storage, BitSet start,
                     BitSet toHash, int parallel,
                     java.util.function.DoubleConsumer progress, Consumer<BitSet> done) {
        BitSet have = (BitSet) start.clone();
        int[] pieces = toHash.stream().toArray();
        if (pieces.length == 0) {
            done.accept(have);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        int[] remaining = {pieces.length};
        Runnable[] hashNext = new Runnable[1];
        hashNext[0] = () -> {
            int k = next.getAndIncrement();
            if (k >= pieces.length) {
                return;
            }
            int piece = pieces[k];
            io.jtorrent.engine.disk.PieceCheck check = io.jtorrent.engine.disk.PieceCheck.of(metainfo, piece);
            disk.hash(storage, piece, metainfo.info().pieceSize(piece), check, PiecePicker.BLOCK, false, loop, r -> {
                if (r.error() == null && check.matches(r.digest())) {
                    have.set(piece);
                }
                progress.accept(1.0 - (double) (remaining[0] - 1) / pieces.length);
                if (--remaining[0] == 0) {
                    done.accept(have);
                } else {
                    hashNext[0].run();
                }
            });
        };
        for (int i = 0; i < Math.min(pieces.length, parallel); i++) {
            hashNext[0].run();
        }
    }
}
