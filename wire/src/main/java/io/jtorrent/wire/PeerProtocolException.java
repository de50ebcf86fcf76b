package io.jtorrent.wire;

/** A peer broke the protocol: the connection to it is closed, with this message as the reason. */
public final class PeerProtocolException extends Exception {
    public PeerProtocolException(String message) {
        super(message);
    }
}
