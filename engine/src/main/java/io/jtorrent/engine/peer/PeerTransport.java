package io.jtorrent.engine.peer;

import io.jtorrent.wire.PeerMessage;
import java.net.InetSocketAddress;

/**
 * What the peer protocol needs of a connection, and nothing more: send messages, know whether the
 * other side keeps up, stop and resume reading, close. {@link ChannelTransport} is the TCP one;
 * a test or a simulation brings its own, so {@link PeerConnection} runs without sockets.
 */
public interface PeerTransport {
    InetSocketAddress remoteAddress();

    /** Queues a message and sends what is queued. */
    void send(PeerMessage m);

    /** Queues a message; {@link #flush} sends it. */
    void write(PeerMessage m);

    void flush();

    /**
     * Queues HAVE messages for the first {@code count} of {@code pieces} ({@link #flush} sends
     * them): one by one here, in one buffer where the transport can.
     */
    default void writeHaves(int[] pieces, int count) {
        for (int i = 0; i < count; i++) {
            write(new PeerMessage.Have(pieces[i]));
        }
    }

    /** Whether the outbound buffer is below its high-water mark. */
    boolean writable();

    /** Bytes queued and not yet sent. */
    long pendingBytes();

    /** Reads from the peer on or off (flow control). */
    void reading(boolean on);

    boolean reading();

    void close();

    /** The handshake is done and the peer joined its torrent. */
    void markJoined();

    /** Whether the connection is uTP (else TCP). */
    default boolean utp() {
        return false;
    }

    /** Whether the connection is encrypted (Message Stream Encryption, RC4). */
    default boolean encrypted() {
        return false;
    }

    /** Bytes received and sent on the wire, protocol overhead included. */
    long wireReceived();

    long wireSent();
}
