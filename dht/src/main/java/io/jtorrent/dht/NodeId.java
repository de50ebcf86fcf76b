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

    /**
     * A node id tied to our IP address (BEP 42): the first 21 bits from a CRC-32C of the masked
     * address and 3 random bits, which the last byte carries; the rest random.
     */
    public static NodeId bep42(java.net.InetAddress ip, Random r) {
        int rand = r.nextInt(256);
        int crc = bep42Crc(ip.getAddress(), rand & 7);
        byte[] b = new byte[BYTES];
        r.nextBytes(b);
        b[0] = (byte) (crc >>> 24);
        b[1] = (byte) (crc >>> 16);
        b[2] = (byte) (((crc >>> 8) & 0xf8) | (b[2] & 0x07));
        b[19] = (byte) rand;
        return new NodeId(b);
    }

    /**
     * Whether {@code id} is a valid BEP 42 id for a node at {@code ip}. Local, private and
     * loopback addresses are exempt (BEP 42), as are those it cannot judge.
     */
    public static boolean bep42Valid(NodeId id, java.net.InetAddress ip) {
        if (ip.isLoopbackAddress() || ip.isSiteLocalAddress() || ip.isLinkLocalAddress() || ip.isAnyLocalAddress()) {
            return true;
        }
        int crc = bep42Crc(ip.getAddress(), id.bytes[19] & 7);
        return id.bytes[0] == (byte) (crc >>> 24) && id.bytes[1] == (byte) (crc >>> 16)
                && (id.bytes[2] & 0xf8) == ((crc >>> 8) & 0xf8);
    }

    private static int bep42Crc(byte[] ip, int r) {
        byte[] masked;
        if (ip.length == 4) {
            int v = ((ip[0] & 0xff) << 24 | (ip[1] & 0xff) << 16 | (ip[2] & 0xff) << 8 | (ip[3] & 0xff)) & 0x030f3fff;
            v |= r << 29;
            masked = new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        } else {
            byte[] mask = {0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, (byte) 0xff};
            masked = new byte[8];
            for (int i = 0; i < 8; i++) {
                masked[i] = (byte) (ip[i] & mask[i]);
            }
            masked[0] |= (byte) (r << 5);
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(masked);
        return (int) crc.getValue();
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
