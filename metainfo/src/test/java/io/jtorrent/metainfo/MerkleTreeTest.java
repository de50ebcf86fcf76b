package io.jtorrent.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The Merkle trees of BEP 52, checked against a naive tree written straight from the BEP's text. */
class MerkleTreeTest {

    /** BEP 52, literally: leaves are SHA-256 of 16 KiB blocks, padded with zero leaves to a power of two. */
    private static byte[] naiveRoot(byte[] file) throws Exception {
        int blocks = Math.max(1, (file.length + 16383) / 16384);
        int width = 1;
        while (width < blocks) {
            width *= 2;
        }
        byte[][] layer = new byte[width][];
        for (int i = 0; i < width; i++) {
            if (i < blocks && file.length > 0) {
                layer[i] = MessageDigest.getInstance("SHA-256").digest(
                        Arrays.copyOfRange(file, i * 16384, Math.min(file.length, (i + 1) * 16384)));
            } else {
                layer[i] = new byte[32];
            }
        }
        while (layer.length > 1) {
            byte[][] up = new byte[layer.length / 2][];
            for (int i = 0; i < up.length; i++) {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                d.update(layer[2 * i]);
                d.update(layer[2 * i + 1]);
                up[i] = d.digest();
            }
            layer = up;
        }
        return layer[0];
    }

    private static byte[] leaves(byte[] file) throws Exception {
        int blocks = (file.length + 16383) / 16384;
        byte[] out = new byte[blocks * 32];
        for (int i = 0; i < blocks; i++) {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(
                    Arrays.copyOfRange(file, i * 16384, Math.min(file.length, (i + 1) * 16384)));
            System.arraycopy(h, 0, out, i * 32, 32);
        }
        return out;
    }

    @Property(tries = 60)
    void thePieceLayerHashesToTheSameRootAsTheWholeTree(@ForAll @IntRange(min = 1, max = 400_000) int length,
                                                         @ForAll @IntRange(min = 0, max = 3) int pieceShift) throws Exception {
        long pieceLength = 16384L << pieceShift;
        byte[] file = new byte[length];
        new Random(length).nextBytes(file);
        byte[] leaves = leaves(file);
        int blocksPerPiece = (int) (pieceLength / 16384);
        int pieces = (int) MerkleTree.pieces(length, pieceLength);
        byte[] layer = new byte[pieces * 32];
        for (int p = 0; p < pieces; p++) {
            int first = p * blocksPerPiece;
            int count = Math.min(blocksPerPiece, leaves.length / 32 - first);
            System.arraycopy(MerkleTree.pieceHash(leaves, first * 32, count, pieceLength, length), 0, layer, p * 32, 32);
        }
        byte[] expected = naiveRoot(file);
        byte[] root = pieces == 1 ? Arrays.copyOf(layer, 32) : MerkleTree.rootFromLayer(layer, pieces, pieceLength);
        assertThat(root).isEqualTo(expected);
    }

    @Property(tries = 80)
    void aHashRequestsAnswerProvesItselfAgainstTheRoot(@ForAll @IntRange(min = 2, max = 3000) int pieces,
                                                       @ForAll @IntRange(min = 0, max = 9) int countShift,
                                                       @ForAll @IntRange(min = 0, max = 5000) int at) {
        long pieceLength = 64 << 10;
        int pieceHeight = MerkleTree.pieceHeight(pieceLength);
        byte[] layer = new byte[pieces * 32];
        new Random(pieces).nextBytes(layer);
        byte[] root = MerkleTree.rootFromLayer(layer, pieces, pieceLength);
        int treeHeight = pieceHeight + Long.numberOfTrailingZeros(MerkleTree.leafCount(pieces));
        int count = (int) Math.min(1 << countShift, MerkleTree.leafCount(pieces));
        int index = (at % (int) MerkleTree.leafCount(pieces)) / count * count;
        int proofLayers = treeHeight - pieceHeight - 1; // up to the root, as a magnet's fetch asks
        byte[] answer = MerkleTree.hashesWithProof(layer, pieces, pieceHeight, treeHeight, index, count, proofLayers);
        assertThat(answer).isNotNull();
        assertThat(MerkleTree.verifyProof(root, treeHeight, pieceHeight, index, count, proofLayers, answer)).isTrue();
        byte[] forged = answer.clone();
        forged[new Random(at).nextInt(forged.length)] ^= 1;
        assertThat(MerkleTree.verifyProof(root, treeHeight, pieceHeight, index, count, proofLayers, forged)).isFalse();
        // a request that does not fit the tree is refused, not answered
        assertThat(MerkleTree.hashesWithProof(layer, pieces, pieceHeight, treeHeight, 1, 2, proofLayers)).isNull();
        assertThat(MerkleTree.hashesWithProof(layer, pieces, pieceHeight, treeHeight, 0, 3, proofLayers)).isNull();
        assertThat(MerkleTree.hashesWithProof(layer, pieces, pieceHeight, treeHeight, index, count,
                treeHeight - pieceHeight)).isNull();
    }

    @Property(tries = 60)
    void blockHashesOfAPieceProveAgainstThePieceAndTheRoot(@ForAll @IntRange(min = 1, max = 300) int blocks,
                                                          @ForAll @IntRange(min = 1, max = 3) int pieceShift,
                                                          @ForAll @IntRange(min = 0, max = 1000) int pick) throws Exception {
        long pieceLength = 16384L << pieceShift;
        int pieceBlocks = 1 << pieceShift;
        long fileLength = blocks * 16384L - (blocks > 1 ? 100 : 0);
        byte[] file = new byte[(int) fileLength];
        new Random(blocks).nextBytes(file);
        byte[] leaves = leaves(file);
        int pieces = (int) MerkleTree.pieces(fileLength, pieceLength);
        byte[] layer = new byte[pieces * 32];
        for (int p = 0; p < pieces; p++) {
            int count = Math.min(pieceBlocks, blocks - p * pieceBlocks);
            System.arraycopy(MerkleTree.pieceHash(leaves, p * pieceBlocks * 32, count, pieceLength, fileLength), 0, layer, p * 32, 32);
        }
        byte[] root = naiveRoot(file);
        int treeHeight = MerkleTree.treeHeight(fileLength);
        int pieceHeight = MerkleTree.pieceHeight(pieceLength);
        if (treeHeight == 0) {
            return; // one block: its root is all there is, nothing to ask
        }
        int p = pick % pieces;
        int first = p * pieceBlocks;
        byte[] pieceLeaves = Arrays.copyOfRange(leaves, first * 32, Math.min(blocks, first + pieceBlocks) * 32);
        boolean onePiece = pieces == 1;
        int count = onePiece ? (int) MerkleTree.leafCount(blocks) : pieceBlocks;
        int b = Integer.numberOfTrailingZeros(count);
        // proved up to the root, as libtorrent asks
        byte[] toRoot = MerkleTree.blockHashesWithProof(pieceLeaves, first, blocks, pieceLength, onePiece ? null : layer,
                pieces, treeHeight, first, count, treeHeight - 1);
        assertThat(toRoot).isNotNull();
        assertThat(MerkleTree.verifyProof(root, treeHeight, 0, first, count, treeHeight - 1, toRoot)).isTrue();
        // no proof: the blocks' subtree is the piece's hash, as the pinning of a bad block asks
        if (count > 1 && !onePiece) {
            byte[] bare = MerkleTree.blockHashesWithProof(pieceLeaves, first, blocks, pieceLength, layer, pieces, treeHeight,
                    first, count, b - 1);
            assertThat(MerkleTree.proofRoot(0, first, count, b - 1, bare, pieceHeight))
                    .isEqualTo(Arrays.copyOfRange(layer, p * 32, p * 32 + 32));
        }
    }

    @Test
    void paddingIsZeroHashesNotHashesOfZeros() throws Exception {
        assertThat(MerkleTree.padHash(0)).isEqualTo(new byte[32]);
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(new byte[32]);
        d.update(new byte[32]);
        assertThat(MerkleTree.padHash(1)).isEqualTo(d.digest());
        // a file of one full block: its root is the block's hash, no padding at all
        byte[] block = new byte[16384];
        assertThat(MerkleTree.pieceHash(leaves(block), 0, 1, 65536, 16384))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(block));
    }
}
