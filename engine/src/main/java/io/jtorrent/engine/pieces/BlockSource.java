package io.jtorrent.engine.pieces;

import io.jtorrent.engine.picker.PiecePicker;

/**
 * Whoever blocks are requested from and arrive from: a peer, or one connection of a web seed.
 * The picker, the piece assembly and the smart ban know sources only through this interface; what
 * a source does when it is found out is its own business (a peer is banned, a web seed dropped).
 */
public interface BlockSource {
    /** Another source delivered {@code block} first: stop fetching it, where that is possible. */
    void deliveredElsewhere(PiecePicker.Block block);

    /**
     * A piece this source sent blocks of failed its hash check. {@code sole}: nobody else sent any,
     * so this source is known guilty; with several, the smart ban waits for a good copy.
     */
    void contributedToBadPiece(int piece, boolean sole);

    /** The smart ban found a block this source sent differs from the piece's verified copy. */
    void sentCorruptBlock(int piece);

    /** Block {@code block} of {@code piece} this source sent does not match its v2 (BEP 52) leaf hash. */
    default void sentBadBlock(int piece, int block) {
        sentCorruptBlock(piece);
    }

    /** Pieces this source suggested (BEP 6 Suggest Piece), oldest first, which the picker starts first; null if none. */
    default java.util.Collection<Integer> suggested() {
        return null;
    }

    /** For events: the peer's address, or null for a source that is no peer (a web seed). */
    java.net.InetSocketAddress peerAddress();
}
