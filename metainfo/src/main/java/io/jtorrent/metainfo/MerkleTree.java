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

    /** The height of a file's tree: log2 of its leaf count. */
    public static int treeHeight(long fileLength) {
        return Long.numberOfTrailingZeros(leafCount(blocks(fileLength)));
    }

    /** The height of the piece layer: log2 of the blocks in a piece. */
    public static int pieceHeight(long pieceLength) {
        return Long.numberOfTrailingZeros(pieceLength / BLOCK);
    }

    /**
     * The answer to a BEP 52 hash request from a layer we hold in full ({@code layerCount} hashes
     * at height {@code layerHeight} of a tree of height {@code treeHeight}, padding beyond): the
     * {@code count} hashes from {@code index}, then one uncle hash for each of the layers above
     * their subtree that {@code proofLayers} asks for, lowest first. Null when the request does not
     * fit the tree (then it is rejected): {@code count} a power of two, {@code index} a multiple
     * of it, the range inside the layer, the proof below the root.
     */
    public static byte[] hashesWithProof(byte[] layer, int layerCount, int layerHeight, int treeHeight,
                                         int index, int count, int proofLayers) {
        long layerSize = 1L << (treeHeight - layerHeight);
        if (Integer.bitCount(count) != 1 || index % count != 0 || index + (long) count > layerSize
                || proofLayers >= treeHeight - layerHeight) {
            return null;
        }
        int b = Integer.numberOfTrailingZeros(count);
        int uncles = Math.max(0, proofLayers - b + 1);
        byte[] out = new byte[(count + uncles) * HASH];
        for (int i = 0; i < count; i++) {
            int at = index + i;
            System.arraycopy(at < layerCount ? layer : PADS[layerHeight], at < layerCount ? at * HASH : 0, out, i * HASH, HASH);
        }
        long node = index >> b;
        for (int u = 0; u < uncles; u++) {
            int level = b + u; // the sibling's height above the layer
            long sibling = node ^ 1;
            long first = sibling << level;
            int real = (int) Math.max(0, Math.min(1L << level, layerCount - first));
            byte[] h = real == 0 ? PADS[layerHeight + level] : root(layer, (int) first * HASH, real, 1L << level, layerHeight);
            System.arraycopy(h, 0, out, (count + u) * HASH, HASH);
            node >>= 1;
        }
        return out;
    }

    /**
     * The answer to a BEP 52 hash request for block hashes (base layer 0) inside one piece, from
     * that piece's leaves ({@code pieceLeaves}, its blocks' hashes, the piece starting at block
     * {@code pieceFirstBlock} of a file of {@code fileBlocks} blocks) and, for the proof above the
     * piece, the file's piece layer ({@code layer}, {@code layerCount} hashes; null for a file of
     * one piece). Null when the request does not fit (outside the piece, or as
     * {@link #hashesWithProof} refuses).
     */
    public static byte[] blockHashesWithProof(byte[] pieceLeaves, long pieceFirstBlock, long fileBlocks, long pieceLength,
                                              byte[] layer, int layerCount, int treeHeight,
                                              int index, int count, int proofLayers) {
        int pieceHeight = pieceHeight(pieceLength);
        int pieceBlocks = pieceLeaves.length / HASH;
        long width = layer == null ? leafCount(fileBlocks) : 1L << pieceHeight; // leaves under the piece's node
        if (Integer.bitCount(count) != 1 || index % count != 0 || index < pieceFirstBlock
                || index + (long) count > pieceFirstBlock + width || proofLayers >= treeHeight
                || (layer == null) != (treeHeight <= pieceHeight)) {
            return null;
        }
        int b = Integer.numberOfTrailingZeros(count);
        int uncles = Math.max(0, proofLayers - b + 1);
        byte[] out = new byte[(count + uncles) * HASH];
        for (int i = 0; i < count; i++) {
            long at = index + i - pieceFirstBlock;
            System.arraycopy(at < pieceBlocks ? pieceLeaves : PADS[0], at < pieceBlocks ? (int) at * HASH : 0, out, i * HASH, HASH);
        }
        long node = index >> b;
        for (int u = 0; u < uncles; u++) {
            int height = b + u;
            long sibling = node ^ 1;
            byte[] h;
            if (height < Math.min(pieceHeight, treeHeight)) { // inside the piece: from its leaves
                long first = (sibling << height) - pieceFirstBlock;
                int real = (int) Math.max(0, Math.min(1L << height, pieceBlocks - first));
                h = real == 0 ? PADS[height] : root(pieceLeaves, (int) first * HASH, real, 1L << height, 0);
            } else { // above it: from the piece layer
                int level = height - pieceHeight;
                long first = sibling << level;
                int real = (int) Math.max(0, Math.min(1L << level, layerCount - first));
                h = real == 0 ? PADS[height] : root(layer, (int) first * HASH, real, 1L << level, pieceHeight);
            }
            System.arraycopy(h, 0, out, (count + u) * HASH, HASH);
            node >>= 1;
        }
        return out;
    }

    /**
     * Whether a BEP 52 hashes message proves its base hashes against {@code root}: the subtree of
     * the {@code count} hashes at height {@code baseHeight} from {@code index}, combined with the
     * uncle hashes that follow them, must reach the root of a tree of height {@code treeHeight}.
     */
    public static boolean verifyProof(byte[] root, int treeHeight, int baseHeight, int index, int count,
                                      int proofLayers, byte[] hashes) {
        byte[] reached = proofRoot(baseHeight, index, count, proofLayers, hashes, treeHeight);
        return reached != null && MessageDigest.isEqual(reached, root);
    }

    /**
     * The node a hashes message's base hashes and uncles hash up to, if it reaches height
     * {@code reach} exactly (the tree's root, or a piece's node for block hashes); else null.
     */
    public static byte[] proofRoot(int baseHeight, int index, int count, int proofLayers, byte[] hashes, int reach) {
        if (Integer.bitCount(count) != 1 || index % count != 0 || hashes.length % HASH != 0) {
            return null;
        }
        int b = Integer.numberOfTrailingZeros(count);
        int uncles = Math.max(0, proofLayers - b + 1);
        if (hashes.length / HASH != count + uncles || baseHeight + b + uncles != reach) {
            return null;
        }
        byte[] node = root(hashes, 0, count, count, baseHeight);
        long idx = index >> b;
        MessageDigest d = sha256();
        for (int u = 0; u < uncles; u++) {
            int at = (count + u) * HASH;
            if ((idx & 1) == 0) {
                d.update(node);
                d.update(hashes, at, HASH);
            } else {
                d.update(hashes, at, HASH);
                d.update(node);
            }
            node = d.digest();
            idx >>= 1;
        }
        return node;
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
