package io.jtorrent.dht;

/**
 * A KRPC message that is malformed or cannot be served, with the BEP 5 error code to answer
 * with: 201 generic, 202 server, 203 protocol, 204 method unknown.
 */
public final class KrpcException extends Exception {
    private final int code;

    public KrpcException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
