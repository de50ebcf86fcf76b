package io.jtorrent.wire.utp;

/** A uTP datagram that cannot be taken: the packet is dropped (or its connection reset), nothing else. */
public final class UtpException extends Exception {
    public UtpException(String message) {
        super(message);
    }
}
