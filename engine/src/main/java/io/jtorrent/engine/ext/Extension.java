package io.jtorrent.engine.ext;

import io.jtorrent.engine.SessionEvent;
import io.jtorrent.engine.peer.PeerConnection;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.wire.ExtendedHandshake;
import io.jtorrent.wire.PeerProtocolException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One extension carried in extension protocol messages (BEP 10): {@code ut_metadata},
 * {@code ut_pex}. Each is its own class with one instance per torrent, living on the torrent's
 * loop; the peer connection negotiates ids and routes messages, the extension does the rest.
 */
public interface Extension {
    /** What extensions ask of their torrent. */
    interface Host {
        long now();

        InfoHash infoHash();

        String name();

        void post(SessionEvent e);

        /** The connected peers, a copy. */
        List<PeerConnection> connectedPeers();

        void ban(PeerConnection p, String reason);

        /** The info dictionary fetched from peers hashes to the info-hash. */
        void metadataReceived(byte[] info);

        /** Whether peer exchange is allowed (on in the settings, and not a private torrent). */
        boolean pexAllowed();

        default void addCandidates(List<InetSocketAddress> addresses, boolean manual) {
            addCandidates(addresses, manual, a -> 0);
        }

        /** Adds candidates with hints on how to dial each ({@code PeerCandidates.UTP} ...). */
        void addCandidates(List<InetSocketAddress> addresses, boolean manual,
                           java.util.function.ToIntFunction<InetSocketAddress> hints);
    }

    /** The extension's name in the handshake's {@code m} dictionary. */
    String name();

    /** The message id peers send it to us under (what our handshake's {@code m} says). */
    int id();

    /** Whether to offer it to peers of this torrent now (PEX is not offered for private torrents). */
    default boolean enabled() {
        return true;
    }

    /** The peer's extended handshake arrived (and names this extension, or not: see {@link PeerConnection#extensionId}). */
    default void peerHandshake(PeerConnection peer, ExtendedHandshake handshake) {}

    /** A message for this extension; an exception closes the peer's connection. */
    void message(PeerConnection peer, byte[] payload) throws PeerProtocolException;

    default void peerClosed(PeerConnection peer) {}

    /** Once a second, while the torrent runs. */
    default void tick(long now) {}
}
