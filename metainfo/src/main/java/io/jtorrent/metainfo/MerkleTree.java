package io.jtorrent.metainfo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * BitTorrent v2's per-file SHA-256 Merkle trees (BEP 52).
 *
 * <p>A file's leaves are the SHA-256 hashes of its 16 KiB blocks (the last one may be shorter).
 * The leaf count is padded to a power of two with leaves of 32 zero bytes, and each node is the
 * SHA-256 of its two children concatenated. The root is the file's {@code pieces root}. The
 * <em>piece layer</em> is the layer whose nodes each cover one piece; a file no longer than a
 * piece has none (its root is its only piece hash). Padding above the leaves is the hash of an
 * all-padding subtree of that height, never the hash of zero data.
 *
 * <p>All methods work on hashes laid end to end in one array, 32 bytes each.
 */
public final class MerkleTree {
    /** Bytes a leaf covers. */
    public static final int BLOCK = 16 << 10;
    /** Bytes of a node. */
    public static final int HASH = 32;

    private static final int MAX_HEIGHT = 64;
    private static final byte[][] PADS = new byte[MAX_HEIGHT][];

    static {
        PADS[0] = new byte[HASH];
        MessageDigest d = sha256();
        for (int h = 1; h < MAX_HEIGHT; h++) {
            d.update(PADS[h - 1]);
            d.update(PADS[h - 1]);
            PADS[h] = d.digest();
        }
    }

    private MerkleTree() {}

    /** The hash of an all-padding subtree {@code height} levels above the leaves (0: 32 zero bytes). */
    public static byte[] padHash(int height) {
        return PADS[height].clone();
    }

    /** The smallest power of two at least {@code n} (1 for 0). */
    public static long leafCount(long n) {
        return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
    }

    /** How many 16 KiB blocks {@code length} bytes make. */
    public static long blocks(long length) {
        return (length + BLOCK - 1) / BLOCK;
    }

    /**
     * The root of {@code count} hashes (at {@code offset} in {@code hashes}) padded to {@code width}
     * nodes (a power of two at least {@code count}) with subtrees of height {@code padHeight}.
     */
    public static byte[] root(byte[] hashes, int offset, int count, long width, int padHeight) {
        if (Long.bitCount(width) != 1 || width < count) {
            throw new IllegalArgumentException("width " + width + " for " + count + " nodes");
        }
        if (count == 0) {
            return PADS[padHeight + Long.numberOfTrailingZeros(width)].clone();
        }
        MessageDigest d = sha256();
        byte[] layer = Arrays.copyOfRange(hashes, offset, offset + count * HASH);
        int n = count;
        int height = padHeight;
        while (width > 1) {
            int parents = (n + 1) / 2;
            byte[] up = new byte[parents * HASH];
            for (int i = 0; i < parents; i++) {
                d.update(layer, 2 * i * HASH, HASH);
                if (2 * i + 1 < n) {
                    d.update(layer, (2 * i + 1) * HASH, HASH);
                } else {
                    d.update(PADS[height]);
                }
                try {
                    d.digest(up, i * HASH, HASH);
                } catch (java.security.DigestException e) {
                    throw new IllegalStateException(e);
                }
            }
            layer = up;
            n = parents;
            width >>= 1;
            height++;
        }
        return layer;
    }

    /**
     * The hash one piece contributes to its file's tree: the root of the piece's leaf hashes,
     * padded to {@code pieceLength / BLOCK} leaves when the file spans several pieces, or to the
     * next power of two when the whole file fits in this piece (then it is the pieces root).
     */
    public static byte[] pieceHash(byte[] leaves, int offset, int count, long pieceLength, long fileLength) {
        long width = fileLength > pieceLength ? pieceLength / BLOCK : leafCount(count);
        return root(leaves, offset, count, width, 0);
    }

    /**
     * A file's {@code pieces root} from its piece layer (one hash per piece, {@code pieces} of
     * them). Only for files longer than a piece: shorter files have no piece layer.
     */
    public static byte[] rootFromLayer(byte[] layer, int pieces, long pieceLength) {
        int pieceHeight = Long.numberOfTrailingZeros(pieceLength / BLOCK);
        return root(layer, 0, pieces, leafCount(pieces), pieceHeight);
    }

    /** Pieces a file of {@code length} bytes takes in a v2 torrent (each file starts a piece). */
    public static long pieces(long length, long pieceLength) {
        return (length + pieceLength - 1) / pieceLength;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
