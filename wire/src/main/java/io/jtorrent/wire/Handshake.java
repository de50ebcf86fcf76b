package io.jtorrent.wire;

import io.jtorrent.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 68-byte opening of every connection: {@code \x13BitTorrent protocol}, 8 reserved bytes
 * (feature bits), the info-hash and the sender's peer id.
 */
public record Handshake(byte[] reserved, InfoHash infoHash, byte[] peerId) {
    public static final byte[] PROTOCOL = "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII);
    public static final int LENGTH = 1 + 19 + 8 + 20 + 20;

    /** Reserved bit of the extension protocol (BEP 10): byte 5, 0x10. */
    public static final int EXTENSION_PROTOCOL_BYTE = 5;
    public static final int EXTENSION_PROTOCOL_MASK = 0x10;
    /** Reserved bit of the fast extension (BEP 6): byte 7, 0x04. */
    public static final int FAST_BYTE = 7;
    public static final int FAST_MASK = 0x04;
    /** Reserved bit of the DHT (BEP 5): byte 7, 0x01. */
    public static final int DHT_BYTE = 7;
    public static final int DHT_MASK = 0x01;

    public Handshake {
        if (reserved.length != 8 || peerId.length != 20) {
            throw new IllegalArgumentException("reserved must be 8 bytes and peer id 20");
        }
        reserved = reserved.clone();
        peerId = peerId.clone();
    }

    @Override
    public byte[] reserved() {
        return reserved.clone();
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }

    public boolean supportsDht() {
        return (reserved[DHT_BYTE] & DHT_MASK) != 0;
    }

    public boolean supportsExtensionProtocol() {
        return (reserved[EXTENSION_PROTOCOL_BYTE] & EXTENSION_PROTOCOL_MASK) != 0;
    }

    public boolean supportsFast() {
        return (reserved[FAST_BYTE] & FAST_MASK) != 0;
    }

    /** The peer id as text for logs: printable prefix (the client's tag) and hex for the rest. */
    public String peerIdText() {
        return describePeerId(peerId);
    }

    static String describePeerId(byte[] id) {
        int printable = 0;
        while (printable < id.length && id[printable] >= 0x20 && id[printable] < 0x7f) {
            printable++;
        }
        return new String(id, 0, printable, StandardCharsets.US_ASCII)
                + (printable < id.length ? HexFormat.of().formatHex(id, printable, id.length) : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Handshake h && Arrays.equals(h.reserved, reserved) && h.infoHash.equals(infoHash)
                && Arrays.equals(h.peerId, peerId);
    }

    @Override
    public int hashCode() {
        return infoHash.hashCode() * 31 + Arrays.hashCode(peerId);
    }

    @Override
    public String toString() {
        return "Handshake[" + infoHash.hex() + " from " + peerIdText() + "]";
    }
}
