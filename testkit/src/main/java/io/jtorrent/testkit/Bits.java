package io.jtorrent.testkit;

import java.util.BitSet;

/** Piece (or file) sets written as strings in table tests, libtorrent style: {@code "1100"} is {0, 1}. */
public final class Bits {
    private Bits() {
    }

    public static BitSet of(String s) {
        BitSet b = new BitSet();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '1') {
                b.set(i);
            } else if (s.charAt(i) != '0') {
                throw new IllegalArgumentException("only 0 and 1 in a bit string: " + s);
            }
        }
        return b;
    }
}
