package io.jtorrent.engine.disk;

import io.jtorrent.metainfo.Info;
import io.jtorrent.metainfo.MerkleTree;
import io.jtorrent.metainfo.Metainfo;
import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * How one piece is checked: by its SHA-1 (v1 and hybrid torrents) or by the root of its 16 KiB
 * blocks' SHA-256 Merkle subtree (v2-only torrents, BEP 52), and against what. The expected hash
 * may be unknown (a v2 piece layer not received yet): then nothing matches.
 */
public final class PieceCheck {
    private final byte[] expected;
    /** For v2: the bytes of file data the piece holds (what follows up to the piece's end is padding). */
    private final int merkleBytes;
    private final long fileLength;
    private final long pieceLength;

    private PieceCheck(byte[] expected, int merkleBytes, long fileLength, long pieceLength) {
        this.expected = expected;
        this.merkleBytes = merkleBytes;
        this.fileLength = fileLength;
        this.pieceLength = pieceLength;
    }

    /**
     * The CRC-32 of each block of {@code blockSize} in {@code piece} (from its position to its
     * limit, the last block shorter), the smart ban's evidence of who sent what. {@code piece} is
     * not moved.
     */
    public static int[] blockCrcs(ByteBuffer piece, int blockSize) {
        int size = piece.remaining();
        int[] crcs = new int[(size + blockSize - 1) / blockSize];
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        for (int b = 0; b < crcs.length; b++) {
            int from = piece.position() + b * blockSize;
            crc.reset();
            crc.update(piece.duplicate().position(from).limit(Math.min(piece.limit(), from + blockSize)));
            crcs[b] = (int) crc.getValue();
        }
        return crcs;
    }

    /** A v1 check against a 20-byte SHA-1. */
    public static PieceCheck sha1(byte[] expected) {
        return new PieceCheck(expected.clone(), -1, 0, 0);
    }

    /** How piece {@code index} of this torrent is checked. */
    public static PieceCheck of(Metainfo metainfo, int index) {
        Info info = metainfo.info();
        if (info.hasV1()) {
            return new PieceCheck(info.pieceHash(index), -1, 0, 0);
        }
        Info.V2File f = info.v2FileOfPiece(index);
        long inFile = (index - f.firstPiece()) * info.pieceLength();
        int bytes = (int) Math.min(info.pieceLength(), f.length() - inFile);
        return new PieceCheck(metainfo.v2PieceHash(index).orElse(null), bytes, f.length(), info.pieceLength());
    }

    /** Whether {@code digest} (from {@link #digest()}) is the expected hash. */
    public boolean matches(byte[] digest) {
        return expected != null && digest != null && MessageDigest.isEqual(expected, digest);
    }

    /** The expected hash, or null while unknown. */
    public byte[] expected() {
        return expected == null ? null : expected.clone();
    }

    /** Whether this is a v2 (Merkle) check. */
    public boolean merkle() {
        return merkleBytes >= 0;
    }

    /** A new digest fed the piece's bytes in order. */
    public Digest digest() {
        return merkle() ? new Merkle() : new Sha1();
    }

    /** A piece's hash, computed from its bytes fed in order (any chunking). */
    public interface Digest {
        void update(ByteBuffer data);

        byte[] finish();

        /** After {@link #finish}: the leaf hashes of a v2 piece's blocks, or null for SHA-1. */
        default byte[] leaves() {
            return null;
        }
    }

    private static final class Sha1 implements Digest {
        private final MessageDigest sha1 = algorithm("SHA-1");

        @Override
        public void update(ByteBuffer data) {
            sha1.update(data);
        }

        @Override
        public byte[] finish() {
            return sha1.digest();
        }
    }

    /** Leaves of 16 KiB hashed as the bytes come; the padding after the file's data is not hashed. */
    private final class Merkle implements Digest {
        private final MessageDigest sha256 = algorithm("SHA-256");
        private final byte[] leaves = new byte[(int) MerkleTree.blocks(merkleBytes) * MerkleTree.HASH];
        private int leafCount;
        private int inLeaf;
        private long fed;

        @Override
        public void update(ByteBuffer data) {
            ByteBuffer d = data.duplicate();
            data.position(data.limit());
            while (d.hasRemaining() && fed < merkleBytes) {
                int take = (int) Math.min(Math.min(d.remaining(), MerkleTree.BLOCK - inLeaf), merkleBytes - fed);
                int limit = d.limit();
                d.limit(d.position() + take);
                sha256.update(d);
                d.limit(limit);
                inLeaf += take;
                fed += take;
                if (inLeaf == MerkleTree.BLOCK || fed == merkleBytes) {
                    endLeaf();
                }
            }
        }

        private void endLeaf() {
            try {
                sha256.digest(leaves, leafCount++ * MerkleTree.HASH, MerkleTree.HASH);
            } catch (DigestException e) {
                throw new IllegalStateException(e);
            }
            inLeaf = 0;
        }

        @Override
        public byte[] leaves() {
            return Arrays.copyOf(leaves, leafCount * MerkleTree.HASH);
        }

        @Override
        public byte[] finish() {
            if (fed < merkleBytes) {
                return new byte[MerkleTree.HASH]; // short data never matches
            }
            return MerkleTree.pieceHash(leaves, 0, leafCount, pieceLength, fileLength);
        }
    }

    private static MessageDigest algorithm(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + name, e);
        }
    }

    @Override
    public String toString() {
        return (merkle() ? "merkle " : "sha1 ") + (expected == null ? "unknown" : Arrays.toString(expected));
    }
}
