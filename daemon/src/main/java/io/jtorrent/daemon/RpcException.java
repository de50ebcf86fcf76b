package io.jtorrent.daemon;

/** A request the RPC refuses: its message becomes the response's {@code result}. */
final class RpcException extends RuntimeException {
    RpcException(String message) {
        super(message);
    }
}
