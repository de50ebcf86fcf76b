package io.jtorrent.sim;

import io.jtorrent.wire.Handshake;
import io.jtorrent.wire.PeerMessage;

/** How many bytes a message takes on the wire (length prefix and id included), as the real encoder writes it. */
final class WireSize {
    private WireSize() {
    }

    static int of(Object m) {
        if (m instanceof Handshake) {
            return Handshake.LENGTH;
        }
        if (m instanceof PeerMessage.Piece p) {
            return 13 + p.length();
        }
        if (m instanceof PeerMessage.KeepAlive) {
            return 4;
        }
        if (m instanceof PeerMessage.Choke || m instanceof PeerMessage.Unchoke || m instanceof PeerMessage.Interested
                || m instanceof PeerMessage.NotInterested || m instanceof PeerMessage.HaveAll
                || m instanceof PeerMessage.HaveNone) {
            return 5;
        }
        if (m instanceof PeerMessage.Have || m instanceof PeerMessage.SuggestPiece || m instanceof PeerMessage.AllowedFast) {
            return 9;
        }
        if (m instanceof PeerMessage.Request || m instanceof PeerMessage.Cancel || m instanceof PeerMessage.RejectRequest) {
            return 17;
        }
        if (m instanceof PeerMessage.Port) {
            return 7;
        }
        if (m instanceof PeerMessage.Bitfield b) {
            return 5 + b.bits().length;
        }
        if (m instanceof PeerMessage.Extended e) {
            return 6 + e.payload().length;
        }
        if (m instanceof PeerMessage.Hashes h) {
            return 5 + 48 + h.hashes().length;
        }
        if (m instanceof PeerMessage.HashRequest) {
            return 5 + 48;
        }
        throw new IllegalArgumentException("no wire size for " + m.getClass().getSimpleName());
    }
}
