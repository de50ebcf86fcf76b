package io.jtorrent.metainfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Checks data on disk against a torrent: which pieces hash correctly, and which files are
 * missing, of the wrong size or corrupt. Data is looked for where a download puts it:
 * {@code SAVE_DIR/<name>} for single-file torrents, {@code SAVE_DIR/<name>/...} for multi-file ones.
 */
public final class TorrentVerifier {
    private TorrentVerifier() {}

    /** What is wrong with one file, if anything. */
    public enum FileState { OK, MISSING, WRONG_SIZE, CORRUPT }

    /**
     * @param file the torrent's file
     * @param state what is wrong
     * @param badPieces how many of the pieces that hold this file's data failed
     * @param detail a human-readable explanation, empty when OK
     */
    public record FileReport(FileEntry file, FileState state, int badPieces, String detail) {}

    /**
     * @param pieceCount pieces in the torrent
     * @param goodPieces pieces whose data hashed to the expected value
     * @param files one report per file (pad files and symlinks excluded)
     */
    public record Report(int pieceCount, BitSet goodPieces, List<FileReport> files) {
        public int goodPieceCount() {
            return goodPieces.cardinality();
        }

        public boolean goodPiece(int index) {
            return goodPieces.get(index);
        }

        public boolean complete() {
            return goodPieces.cardinality() == pieceCount;
        }

        public List<FileReport> badFiles() {
            return files.stream().filter(f -> f.state() != FileState.OK).toList();
        }
    }

    public static Report verify(Metainfo metainfo, Path saveDirectory, int threads, PieceHasher.Progress progress)
            throws InterruptedException {
        Info info = metainfo.info();
        List<FileEntry> files = info.files();
        List<PieceHasher.DataFile> data = files.stream()
                .map(f -> new PieceHasher.DataFile(f.resolveIn(saveDirectory), f.length(), f.pad()))
                .toList();
        PieceHasher.Result r = PieceHasher.hash(data, info.pieceLength(), threads, progress, info.hasV1(), info.hasV2());
        BitSet good = new BitSet(info.pieceCount());
        for (int i = 0; i < info.pieceCount(); i++) {
            if (r.readable().get(i) && (!info.hasV1() || info.pieceHashEquals(i, r.hash(i)))) {
                good.set(i);
            }
        }
        if (info.hasV2()) {
            good.and(v2Good(metainfo, r));
        }
        Map<Integer, String> problems = r.fileProblems();
        List<FileReport> reports = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            if (f.pad() || f.isSymlink()) {
                continue;
            }
            int bad = 0;
            if (f.length() > 0) {
                int first = (int) (f.offset() / info.pieceLength());
                int last = (int) ((f.end() - 1) / info.pieceLength());
                for (int p = first; p <= last; p++) {
                    if (!good.get(p)) {
                        bad++;
                    }
                }
            }
            reports.add(report(f, data.get(i).path(), bad, problems.get(i)));
        }
        return new Report(info.pieceCount(), good, reports);
    }

    /**
     * The pieces whose v2 hashes match: by the piece layer where the torrent has it, otherwise by
     * the file's root (then a file's pieces are all good or all bad).
     */
    private static BitSet v2Good(Metainfo metainfo, PieceHasher.Result r) {
        Info info = metainfo.info();
        BitSet good = new BitSet(info.pieceCount());
        for (Info.V2File f : info.v2Files()) {
            int first = f.firstPiece();
            int end = first + f.pieceCount();
            if (f.pieceCount() == 0) {
                continue;
            }
            java.util.Optional<byte[]> layer = metainfo.pieceLayer(f);
            if (f.pieceCount() == 1) {
                if (r.readable().get(first) && java.util.Arrays.equals(r.v2Hash(first), f.piecesRoot())) {
                    good.set(first);
                }
            } else if (layer.isPresent()) {
                for (int p = first; p < end; p++) {
                    if (r.readable().get(p) && java.util.Arrays.equals(r.v2Hashes(), p * MerkleTree.HASH,
                            (p + 1) * MerkleTree.HASH, layer.get(), (p - first) * MerkleTree.HASH,
                            (p - first + 1) * MerkleTree.HASH)) {
                        good.set(p);
                    }
                }
            } else {
                byte[] computed = java.util.Arrays.copyOfRange(r.v2Hashes(), first * MerkleTree.HASH, end * MerkleTree.HASH);
                boolean readable = r.readable().nextClearBit(first) >= end;
                if (readable && java.util.Arrays.equals(MerkleTree.rootFromLayer(computed, f.pieceCount(),
                        info.pieceLength()), f.piecesRoot())) {
                    good.set(first, end);
                }
            }
        }
        return good;
    }

    private static FileReport report(FileEntry f, Path path, int badPieces, String problem) {
        if (!Files.exists(path)) {
            return new FileReport(f, FileState.MISSING, badPieces, "missing");
        }
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            return new FileReport(f, FileState.MISSING, badPieces, "unreadable: " + e.getMessage());
        }
        if (size != f.length()) {
            return new FileReport(f, FileState.WRONG_SIZE, badPieces, size + " bytes, expected " + f.length());
        }
        if (problem != null) {
            return new FileReport(f, FileState.CORRUPT, badPieces, problem);
        }
        if (badPieces > 0) {
            return new FileReport(f, FileState.CORRUPT, badPieces, badPieces + " bad piece" + (badPieces == 1 ? "" : "s"));
        }
        return new FileReport(f, FileState.OK, 0, "");
    }
}
