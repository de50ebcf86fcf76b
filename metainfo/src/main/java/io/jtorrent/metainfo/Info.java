package io.jtorrent.metainfo;

import java.util.Arrays;
import java.util.List;

/**
 * The {@code info} dictionary of a torrent: what the info-hash identifies. Immutable.
 */
public final class Info {
    private final String name;
    private final long pieceLength;
    private final byte[] pieces;
    private final boolean singleFile;
    private final boolean isPrivate;
    private final List<FileEntry> files;
    private final long totalLength;

    Info(String name, long pieceLength, byte[] pieces, boolean singleFile, boolean isPrivate,
         List<FileEntry> files, long totalLength) {
        this.name = name;
        this.pieceLength = pieceLength;
        this.pieces = pieces;
        this.singleFile = singleFile;
        this.isPrivate = isPrivate;
        this.files = List.copyOf(files);
        this.totalLength = totalLength;
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
        return pieces.length / 20;
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
        return Arrays.copyOfRange(pieces, index * 20, index * 20 + 20);
    }

    /** Whether piece {@code index} hashes to {@code sha1}. */
    public boolean pieceHashEquals(int index, byte[] sha1) {
        return Arrays.equals(pieces, index * 20, index * 20 + 20, sha1, 0, 20);
    }

    /** All piece hashes concatenated (a copy). */
    public byte[] pieceHashes() {
        return pieces.clone();
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
