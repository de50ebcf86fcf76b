package io.jtorrent.engine.peer;

import io.jtorrent.wire.PeerMessage;
import io.jtorrent.wire.PeerProtocolException;
import io.jtorrent.wire.PeerWireDecoder;
import java.util.BitSet;

/**
 * What a peer said it has before a magnet link's metadata arrived: piece indices cannot be checked
 * without the piece count, so the bitfield, haves and have-all are kept (bounded by the largest
 * bitfield the decoder admits) and checked once the count is known.
 */
final class EarlyPieces {
    private PeerMessage.Bitfield bitfield;
    private final BitSet haves = new BitSet();
    private boolean haveAll;

    /** Keeps {@code m} if it says what the peer has; false for any other message. */
    boolean note(PeerMessage m) {
        if (m instanceof PeerMessage.Bitfield b) {
            bitfield = b;
        } else if (m instanceof PeerMessage.Have h) {
            if (h.piece() < 8 * PeerWireDecoder.DEFAULT_MAX_BITFIELD_BYTES) {
                haves.set(h.piece());
            }
        } else if (m instanceof PeerMessage.HaveAll) {
            haveAll = true;
        } else {
            return false;
        }
        return true;
    }

    /** The pieces the peer has, now that there are {@code pieceCount}; a have beyond them is a violation. */
    BitSet pieces(int pieceCount) throws PeerProtocolException {
        BitSet pieces = new BitSet();
        if (haveAll) {
            pieces.set(0, pieceCount);
        }
        if (bitfield != null) {
            pieces.or(bitfield.toBitSet(pieceCount));
        }
        if (haves.length() > pieceCount) {
            throw new PeerProtocolException("have of piece " + (haves.length() - 1) + " of " + pieceCount);
        }
        pieces.or(haves);
        return pieces;
    }
}
