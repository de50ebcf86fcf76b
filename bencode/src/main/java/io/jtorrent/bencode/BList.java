package io.jtorrent.bencode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** A bencoded list ({@code l...e}). */
public final class BList implements BValue, Iterable<BValue> {
    private final List<BValue> items;
    private final Span span;

    private BList(List<BValue> items, Span span) {
        this.items = items;
        this.span = span;
    }

    public static BList of(List<? extends BValue> items) {
        return new BList(List.copyOf(items), null);
    }

    public static BList of(BValue... items) {
        return new BList(List.of(items), null);
    }

    static BList decoded(ArrayList<BValue> items, Span span) {
        return new BList(java.util.Collections.unmodifiableList(items), span);
    }

    /** The items, unmodifiable. */
    public List<BValue> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    public BValue get(int index) {
        return items.get(index);
    }

    @Override
    public Iterator<BValue> iterator() {
        return items.iterator();
    }

    @Override
    public Optional<Span> span() {
        return Optional.ofNullable(span);
    }

    @Override
    public String typeName() {
        return "list";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BList other && other.items.equals(items);
    }

    @Override
    public int hashCode() {
        return items.hashCode();
    }

    @Override
    public String toString() {
        return items.toString();
    }
}
