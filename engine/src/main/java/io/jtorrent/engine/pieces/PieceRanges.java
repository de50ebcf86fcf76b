package io.jtorrent.engine.pieces;

import io.jtorrent.metainfo.FileEntry;
import io.jtorrent.metainfo.Info;
import java.util.BitSet;
import java.util.List;

/**
 * The arithmetic between files, byte ranges and pieces, written once: which pieces a file or a
 * range covers, what a piece's priority is from its files', how much of each file is verified,
 * and which files hold verified data. Pure functions of the torrent's layout.
 */
public final class PieceRanges {
    private PieceRanges() {
    }

    /** The first piece holding byte {@code offset} of the torrent. */
    public static int firstPiece(Info info, long offset) {
        return (int) (offset / info.pieceLength());
    }

    /** The last piece holding data of the non-empty range [offset, offset + length). */
    public static int lastPiece(Info info, long offset, long length) {
        return (int) ((offset + length - 1) / info.pieceLength());
    }

    /** A piece's priority is the highest of the files it holds data of; null file priorities: all 1. */
    public static byte[] piecePriorities(Info info, byte[] filePriorities) {
        byte[] p = new byte[info.pieceCount()];
        if (filePriorities == null) {
            java.util.Arrays.fill(p, (byte) 1);
            return p;
        }
        List<FileEntry> files = info.files();
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            if (f.length() == 0 || f.pad()) {
                continue;
            }
            for (int k = firstPiece(info, f.offset()); k <= lastPiece(info, f.offset(), f.length()); k++) {
                p[k] = (byte) Math.max(p[k], filePriorities[i]);
            }
        }
        return p;
    }

    /** Verified bytes of each file, given the verified pieces. */
    public static long[] fileProgress(Info info, BitSet have) {
        List<FileEntry> files = info.files();
        long[] done = new long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            if (f.length() == 0) {
                continue;
            }
            int last = lastPiece(info, f.offset(), f.length());
            for (int k = have.nextSetBit(firstPiece(info, f.offset())); k >= 0 && k <= last; k = have.nextSetBit(k + 1)) {
                long start = Math.max(f.offset(), k * info.pieceLength());
                long end = Math.min(f.end(), k * info.pieceLength() + info.pieceSize(k));
                done[i] += end - start;
            }
        }
        return done;
    }

    /** The files (by index) holding data of at least one verified piece. */
    public static BitSet filesWithVerifiedData(Info info, BitSet have) {
        BitSet out = new BitSet();
        List<FileEntry> files = info.files();
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            if (f.length() == 0) {
                continue;
            }
            int next = have.nextSetBit(firstPiece(info, f.offset()));
            if (next >= 0 && next <= lastPiece(info, f.offset(), f.length())) {
                out.set(i);
            }
        }
        return out;
    }

    /** The files (by index) holding data of {@code piece}, pad files and empty ones left out. */
    public static BitSet filesOf(Info info, int piece) {
        long start = piece * info.pieceLength();
        long end = start + info.pieceSize(piece);
        BitSet out = new BitSet();
        List<FileEntry> files = info.files();
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            if (f.length() > 0 && !f.pad() && f.end() > start && f.offset() < end) {
                out.set(i);
            }
        }
        return out;
    }

    /** The files to open: those with a priority above 0, or all when no priorities are set. */
    public static java.util.BitSet wantedFiles(Info info, byte[] priorities) {
        java.util.BitSet wanted = new java.util.BitSet();
        for (int i = 0; i < info.files().size(); i++) {
            if (priorities == null || priorities[i] > 0) {
                wanted.set(i);
            }
        }
        return wanted;
    }
}
