package io.jtorrent.sim;

import io.jtorrent.wire.PeerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * How a simulated peer departs from the engine it runs, applied to what it sends: an honest
 * peer sends what its engine sends; a free rider never lets anyone download from it; a corrupt
 * peer sends every block with its bytes changed. The engine itself is never altered.
 */
enum Behaviour {
    HONEST {
        @Override
        Object outgoing(Object m) {
            return m;
        }
    },
    /**
     * Uploads nothing: its unchokes and allowed-fast grants never leave, so nobody may request
     * from it, and (should a request get through) no block does either. It still says what it has.
     */
    FREE_RIDER {
        @Override
        Object outgoing(Object m) {
            if (m instanceof PeerMessage.Piece p) {
                p.release();
                return null;
            }
            return m instanceof PeerMessage.Unchoke || m instanceof PeerMessage.AllowedFast ? null : m;
        }
    },
    /** Serves every request, with every block's bytes inverted: each piece it contributes to fails its check. */
    CORRUPT {
        @Override
        Object outgoing(Object m) {
            if (m instanceof PeerMessage.Piece p) {
                ByteBuf bad = Unpooled.buffer(p.length(), p.length());
                ByteBuf data = p.data();
                for (int i = 0; i < p.length(); i++) {
                    bad.writeByte(~data.getByte(data.readerIndex() + i));
                }
                p.release();
                return new PeerMessage.Piece(p.piece(), p.begin(), bad);
            }
            return m;
        }
    };

    /** What goes on the wire instead of {@code m}: itself, another message, or null for nothing (released). */
    abstract Object outgoing(Object m);
}
