package io.jtorrent.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A bencoded byte string ({@code 4:spam}). Byte strings carry arbitrary bytes: text is usually
 * UTF-8 but nothing guarantees it, so the bytes are the value and {@link #asString()} is a view.
 *
 * <p>Byte strings order themselves by unsigned byte-wise comparison, the order BEP 3 requires for
 * dictionary keys.
 */
public final class BBytes implements BValue, Comparable<BBytes> {
    private final byte[] bytes;
    private final Span span;
    private int hash;

    private BBytes(byte[] bytes, Span span) {
        this.bytes = bytes;
        this.span = span;
    }

    /** A byte string holding a copy of {@code bytes}. */
    public static BBytes of(byte[] bytes) {
        return new BBytes(bytes.clone(), null);
    }

    /** A byte string holding the UTF-8 encoding of {@code text}. */
    public static BBytes of(String text) {
        return new BBytes(text.getBytes(StandardCharsets.UTF_8), null);
    }

    /** Takes ownership of {@code bytes}: the caller must not change the array afterwards. */
    static BBytes wrap(byte[] bytes, Span span) {
        return new BBytes(bytes, span);
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public byte byteAt(int index) {
        return bytes[index];
    }

    /** The bytes decoded as UTF-8; malformed sequences become U+FFFD. */
    public String asString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Whether the bytes are well-formed UTF-8. */
    public boolean isUtf8() {
        return Utf8.isWellFormed(bytes);
    }

    /** Writes the raw bytes without a copy; for the encoder. */
    void writeTo(java.io.ByteArrayOutputStream out) {
        out.write(bytes, 0, bytes.length);
    }

    @Override
    public Optional<Span> span() {
        return Optional.ofNullable(span);
    }

    @Override
    public String typeName() {
        return "string";
    }

    @Override
    public int compareTo(BBytes other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BBytes other && Arrays.equals(other.bytes, bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        if (isUtf8()) {
            String s = asString();
            if (s.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
                return '"' + s + '"';
            }
        }
        StringBuilder hex = new StringBuilder("0x");
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }
}
