package io.jtorrent.dht;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/** A 160-bit DHT node id or key (an info-hash), ordered and compared by XOR distance (BEP 5). */
public final class NodeId implements Comparable<NodeId> {
    public static final int BYTES = 20;
    public static final int BITS = 160;

    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static NodeId of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("node id must be 20 bytes, got " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    public static NodeId random(Random r) {
        byte[] b = new byte[BYTES];
        r.nextBytes(b);
        return new NodeId(b);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Bits this id shares with {@code other} from the most significant one: 160 for itself. */
    public int commonPrefixLength(NodeId other) {
        for (int i = 0; i < BYTES; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** Compares the distances of {@code a} and {@code b} from this id: negative if a is closer. */
    public int compareDistance(NodeId a, NodeId b) {
        for (int i = 0; i < BYTES; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xff;
            int db = (b.bytes[i] ^ bytes[i]) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    /** A random id that shares exactly {@code prefix} leading bits with this one (for bucket refresh). */
    public NodeId randomWithPrefix(int prefix, Random r) {
        byte[] b = new byte[BYTES];
        r.nextBytes(b);
        for (int bit = 0; bit < Math.min(prefix + 1, BITS); bit++) {
            int i = bit / 8;
            int mask = 0x80 >>> (bit % 8);
            boolean mine = (bytes[i] & mask) != 0;
            boolean set = bit < prefix ? mine : !mine; // the bit after the prefix differs
            b[i] = (byte) (set ? b[i] | mask : b[i] & ~mask);
        }
        return new NodeId(b);
    }

    @Override
    public int compareTo(NodeId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId n && Arrays.equals(n.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
