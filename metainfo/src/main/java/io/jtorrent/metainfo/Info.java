package io.jtorrent.metainfo;

import java.util.Arrays;
import java.util.List;

/**
 * The {@code info} dictionary of a torrent: what the info-hash identifies. Immutable.
 *
 * <p>A v1 torrent has SHA-1 piece hashes; a v2 torrent (BEP 52) has a file tree with a Merkle
 * root per file; a hybrid has both, describing the same data. Whatever the version, {@link #files()}
 * is the data's layout as the storage lays it out: for v2, every file starts a piece, with pad
 * entries between (declared in a hybrid's v1 list, implied in a v2-only torrent).
 */
public final class Info {
    /**
     * One file of a v2 torrent's file tree.
     *
     * @param file its index in {@link Info#files()}
     * @param length its bytes
     * @param firstPiece the piece its data starts (files start pieces in v2)
     * @param pieceCount the pieces its data takes (0 for an empty file)
     */
    public record V2File(int file, long length, byte[] piecesRoot, int firstPiece, int pieceCount) {
        /** The file's Merkle root: 32 bytes, or empty for an empty file. */
        @Override
        public byte[] piecesRoot() {
            return piecesRoot.clone();
        }

        /** Whether the file spans more than one piece (only such files have a piece layer). */
        public boolean hasPieceLayer() {
            return pieceCount > 1;
        }
    }

    private final String name;
    private final long pieceLength;
    private final byte[] pieces;
    private final int pieceCount;
    private final boolean singleFile;
    private final boolean isPrivate;
    private final List<FileEntry> files;
    private final long totalLength;
    private final List<V2File> v2Files;

    Info(String name, long pieceLength, byte[] pieces, boolean singleFile, boolean isPrivate,
         List<FileEntry> files, long totalLength, List<V2File> v2Files) {
        this.name = name;
        this.pieceLength = pieceLength;
        this.pieces = pieces;
        this.pieceCount = (int) ((totalLength + pieceLength - 1) / pieceLength);
        this.singleFile = singleFile;
        this.isPrivate = isPrivate;
        this.files = List.copyOf(files);
        this.totalLength = totalLength;
        this.v2Files = List.copyOf(v2Files);
    }

    /** Whether the torrent has v1 SHA-1 piece hashes (v1 and hybrid torrents). */
    public boolean hasV1() {
        return pieces != null;
    }

    /** Whether the torrent has a v2 file tree (v2-only and hybrid torrents). */
    public boolean hasV2() {
        return !v2Files.isEmpty();
    }

    /** The v2 file tree's files in tree order, empty files included; empty for a v1 torrent. */
    public List<V2File> v2Files() {
        return v2Files;
    }

    /** The v2 file whose data holds piece {@code index}. */
    public V2File v2FileOfPiece(int index) {
        int lo = 0;
        int hi = v2Files.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (v2Files.get(mid).firstPiece() <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        while (lo < v2Files.size() && v2Files.get(lo).pieceCount() == 0) {
            lo++; // empty files share their first piece with the next file
        }
        V2File f = v2Files.get(lo);
        if (index < f.firstPiece() || index >= f.firstPiece() + f.pieceCount()) {
            throw new IndexOutOfBoundsException("piece " + index + " of " + pieceCount);
        }
        return f;
    }

    /**
     * This info with a file or directory renamed where it is stored (Transmission's
     * torrent-rename-path): {@code path} names a file, or a directory that holds files, as
     * {@link FileEntry#pathString()} does ({@code /}-separated, the torrent's name first);
     * {@code newName} replaces its last element. Renaming the first element renames the torrent.
     * Pieces and hashes are the same; only where files are stored changes.
     *
     * @throws MetainfoException naming what is wrong: no such path, a bad name, or a name taken
     */
    public Info renamed(String path, String newName) throws MetainfoException {
        List<String> from = List.of(path.split("/", -1));
        if (path.isEmpty() || from.stream().anyMatch(String::isEmpty)) {
            throw new MetainfoException("'" + path + "' is not a path in this torrent");
        }
        if (newName.isEmpty() || newName.equals(".") || newName.equals("..") || newName.indexOf('/') >= 0
                || newName.indexOf('\\') >= 0 || newName.indexOf('\0') >= 0
                || newName.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            throw new MetainfoException("'" + newName + "' is not a valid file name");
        }
        int k = from.size() - 1;
        List<FileEntry> out = new java.util.ArrayList<>(files.size());
        java.util.Set<List<String>> others = new java.util.HashSet<>();
        boolean matched = false;
        for (FileEntry f : files) {
            if (f.path().size() > k && f.path().subList(0, k + 1).equals(from)) {
                matched = true;
                List<String> p = new java.util.ArrayList<>(f.path());
                p.set(k, newName);
                out.add(new FileEntry(p, f.length(), f.offset(), f.pad(), f.executable(), f.hidden(), f.symlinkTarget(), true));
            } else {
                out.add(f);
                for (int i = 1; i <= f.path().size(); i++) {
                    others.add(f.path().subList(0, i)); // the file and every directory it is in
                }
            }
        }
        if (!matched) {
            throw new MetainfoException("'" + path + "' is not a path in this torrent");
        }
        List<String> to = new java.util.ArrayList<>(from);
        to.set(k, newName);
        if (others.contains(to)) {
            throw new MetainfoException("'" + String.join("/", to) + "' is already a path in this torrent");
        }
        return new Info(k == 0 ? newName : name, pieceLength, pieces, singleFile, isPrivate, out, totalLength, v2Files);
    }

    /** The torrent's name, made safe for use as a file or directory name. */
    public String name() {
        return name;
    }

    /** Bytes per piece; every piece but the last has exactly this length. */
    public long pieceLength() {
        return pieceLength;
    }

    public int pieceCount() {
        return pieceCount;
    }

    /** Length of piece {@code index}: {@link #pieceLength()} except possibly for the last one. */
    public long pieceSize(int index) {
        if (index < 0 || index >= pieceCount()) {
            throw new IndexOutOfBoundsException("piece " + index + " of " + pieceCount());
        }
        return index == pieceCount() - 1 ? totalLength - pieceLength * index : pieceLength;
    }

    /** The 20-byte SHA-1 of piece {@code index}. */
    public byte[] pieceHash(int index) {
        requireV1();
        return Arrays.copyOfRange(pieces, index * 20, index * 20 + 20);
    }

    /** Whether piece {@code index} hashes to {@code sha1}. */
    public boolean pieceHashEquals(int index, byte[] sha1) {
        requireV1();
        return Arrays.equals(pieces, index * 20, index * 20 + 20, sha1, 0, 20);
    }

    /** All piece hashes concatenated (a copy). */
    public byte[] pieceHashes() {
        requireV1();
        return pieces.clone();
    }

    private void requireV1() {
        if (pieces == null) {
            throw new IllegalStateException("a v2-only torrent has no SHA-1 piece hashes");
        }
    }

    /** Whether the torrent has the single-file form ({@code length}) rather than {@code files}. */
    public boolean isSingleFile() {
        return singleFile;
    }

    /** BEP 27: peers only from the torrent's own trackers. */
    public boolean isPrivate() {
        return isPrivate;
    }

    /** Files in torrent order, pad files and symlinks included. */
    public List<FileEntry> files() {
        return files;
    }

    /** Sum of all file lengths, pad files included: the length of the torrent's data. */
    public long totalLength() {
        return totalLength;
    }
}
