package io.jtorrent.metainfo;

/**
 * A torrent file (or magnet link) that cannot be used, with a message that says what is wrong and
 * where, e.g. {@code "info.files[1].length: expected a non-negative integer, found list"}.
 */
public final class MetainfoException extends Exception {
    public MetainfoException(String message) {
        super(message);
    }

    public MetainfoException(String message, Throwable cause) {
        super(message, cause);
    }
}
