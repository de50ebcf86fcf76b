package io.jtorrent.bencode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A bencoded dictionary ({@code d...e}): byte-string keys mapped to values.
 *
 * <p>A decoded dictionary keeps its keys in input order (which a strict decode guarantees is
 * sorted); a built one keeps them sorted. The encoder always writes keys sorted, as BEP 3 requires.
 */
public final class BDictionary implements BValue {
    private final Map<BBytes, BValue> entries;
    private final Span span;

    private BDictionary(Map<BBytes, BValue> entries, Span span) {
        this.entries = entries;
        this.span = span;
    }

    public static BDictionary of(Map<BBytes, ? extends BValue> entries) {
        return new BDictionary(Collections.unmodifiableMap(new TreeMap<>(entries)), null);
    }

    static BDictionary decoded(LinkedHashMap<BBytes, BValue> entries, Span span) {
        return new BDictionary(Collections.unmodifiableMap(entries), span);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The entries, unmodifiable, in input order for decoded dictionaries and sorted otherwise. */
    public Map<BBytes, BValue> entries() {
        return entries;
    }

    public Optional<BValue> get(String key) {
        return Optional.ofNullable(entries.get(BBytes.of(key)));
    }

    public Optional<BValue> get(BBytes key) {
        return Optional.ofNullable(entries.get(key));
    }

    public boolean containsKey(String key) {
        return entries.containsKey(BBytes.of(key));
    }

    public int size() {
        return entries.size();
    }

    @Override
    public Optional<Span> span() {
        return Optional.ofNullable(span);
    }

    @Override
    public String typeName() {
        return "dictionary";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BDictionary other && other.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    /** Builds a dictionary in code; keys end up sorted whatever order they are put in. */
    public static final class Builder {
        private final TreeMap<BBytes, BValue> entries = new TreeMap<>();

        private Builder() {}

        public Builder put(String key, BValue value) {
            entries.put(BBytes.of(key), value);
            return this;
        }

        public Builder put(BBytes key, BValue value) {
            entries.put(key, value);
            return this;
        }

        public Builder put(String key, long value) {
            return put(key, BInteger.of(value));
        }

        public Builder put(String key, String value) {
            return put(key, BBytes.of(value));
        }

        public Builder put(String key, byte[] value) {
            return put(key, BBytes.of(value));
        }

        public BDictionary build() {
            return new BDictionary(Collections.unmodifiableMap(new TreeMap<>(entries)), null);
        }
    }
}
