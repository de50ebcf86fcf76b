package io.jtorrent.bencode;

import java.util.Arrays;
import java.util.Objects;

/**
 * A range of the decoder's input: the exact bytes a decoded value was read from.
 *
 * <p>The info-hash of a torrent is the SHA-1 of its {@code info} dictionary's bytes as they were
 * in the file; re-encoding could change them (a lenient parse of unsorted keys, say), so hashing
 * always goes through the span.
 *
 * @param offset index of the first byte in the input
 * @param length number of bytes
 */
public record Span(int offset, int length) {
    public Span {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative span " + offset + "+" + length);
        }
    }

    /** Index one past the last byte. */
    public int end() {
        return offset + length;
    }

    /** A copy of this span's bytes out of {@code input}, the array the value was decoded from. */
    public byte[] copyFrom(byte[] input) {
        Objects.checkFromIndexSize(offset, length, input.length);
        return Arrays.copyOfRange(input, offset, end());
    }
}
