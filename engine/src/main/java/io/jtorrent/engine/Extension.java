package io.jtorrent.engine;

import io.jtorrent.wire.ExtendedHandshake;
import io.jtorrent.wire.PeerProtocolException;

/**
 * One extension carried in extension protocol messages (BEP 10): {@code ut_metadata},
 * {@code ut_pex}. Each is its own class with one instance per torrent, living on the torrent's
 * loop; the peer connection negotiates ids and routes messages, the extension does the rest.
 */
interface Extension {
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
