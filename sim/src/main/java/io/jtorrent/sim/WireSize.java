package io.jtorrent.sim;

import io.jtorrent.wire.Handshake;
import io.jtorrent.wire.PeerMessage;

/** How many bytes a message takes on the wire (length prefix and id included), as the real encoder writes it. */
final class WireSize {
    private WireSize() {
    }

    /** The kinds {@link #kind} tells apart, by their records' simple names. */
    static final String[] KINDS = {"Piece", "Have", "Request", "Cancel", "RejectRequest", "Choke", "Unchoke", "Interested",
        "NotInterested", "Bitfield", "HaveAll", "HaveNone", "AllowedFast", "Extended", "Handshake", "other"};

    /** An index into {@link #KINDS}: the common messages first, for speed. */
    static int kind(Object m) {
        if (m instanceof PeerMessage.Piece) {
            return 0;
        } else if (m instanceof PeerMessage.Have) {
            return 1;
        } else if (m instanceof PeerMessage.Request) {
            return 2;
        }
        String name = m.getClass().getSimpleName();
        for (int i = 3; i < KINDS.length - 1; i++) {
            if (KINDS[i].equals(name)) {
                return i;
            }
        }
        return KINDS.length - 1;
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
