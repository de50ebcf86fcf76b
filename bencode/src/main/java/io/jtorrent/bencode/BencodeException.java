package io.jtorrent.bencode;

/**
 * Input that is not valid bencode, or that a decoder's limits refuse. The message names the byte
 * offset and what was expected there, e.g. {@code "at byte 17: expected ':' after string length"}.
 */
public final class BencodeException extends Exception {
    private final long offset;

    public BencodeException(long offset, String problem) {
        super("at byte " + offset + ": " + problem);
        this.offset = offset;
    }

    /** Offset into the input where the problem was found. */
    public long offset() {
        return offset;
    }
}
