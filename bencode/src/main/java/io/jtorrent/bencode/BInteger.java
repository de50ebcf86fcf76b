package io.jtorrent.bencode;

import java.util.Optional;

/** A bencoded integer ({@code i42e}): a signed 64-bit value. */
public final class BInteger implements BValue {
    private final long value;
    private final Span span;

    private BInteger(long value, Span span) {
        this.value = value;
        this.span = span;
    }

    public static BInteger of(long value) {
        return new BInteger(value, null);
    }

    static BInteger decoded(long value, Span span) {
        return new BInteger(value, span);
    }

    public long value() {
        return value;
    }

    @Override
    public Optional<Span> span() {
        return Optional.ofNullable(span);
    }

    @Override
    public String typeName() {
        return "integer";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BInteger other && other.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
