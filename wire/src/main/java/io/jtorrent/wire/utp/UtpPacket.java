package io.jtorrent.wire.utp;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One uTP datagram (BEP 29): a 20-byte header (type and version, first extension, connection id,
 * timestamp and timestamp difference in microseconds, receive window, sequence and ack numbers),
 * a chain of extensions (only selective ack, type 1, is kept; others are skipped), then payload.
 * Decoding is bounded: version 1 only, types 0–4, at most {@value #MAX_EXTENSIONS} extensions, each
 * inside the datagram, a payload of at most {@value #MAX_PAYLOAD} bytes. A selective-ack bitmask
 * may have any length its length byte gives (an empty one is none): BEP 29 asks for a multiple of
 * four bytes, which libtorrent does not keep to. We send multiples of four.
 *
 * @param selectiveAck bit {@code i} (least significant bit of byte 0 first) acknowledges
 *     {@code ack + 2 + i}; null when absent
 */
public record UtpPacket(Type type, int connectionId, long timestampMicros, long timestampDiffMicros, long windowSize,
                        int seq, int ack, byte[] selectiveAck, byte[] payload) {
    public static final int HEADER = 20;
    public static final int VERSION = 1;
    public static final int MAX_EXTENSIONS = 8;
    /** Payload bytes we send at most per packet (IPv4 with room for headers; BEP 29 leaves MTU discovery open). */
    public static final int MSS = 1400;
    /** Payload accepted in one datagram (a jumbo frame's worth). */
    public static final int MAX_PAYLOAD = 9000;
    private static final int EXT_SELECTIVE_ACK = 1;

    public enum Type {
        DATA, FIN, STATE, RESET, SYN;

        static final Type[] BY_CODE = values();
    }

    public UtpPacket {
        connectionId &= 0xffff;
        seq &= 0xffff;
        ack &= 0xffff;
        timestampMicros &= 0xffffffffL;
        timestampDiffMicros &= 0xffffffffL;
        windowSize &= 0xffffffffL;
        payload = payload == null ? new byte[0] : payload;
    }

    /** Whether a datagram could be uTP (version 1, a known type), to tell it from a DHT message on a shared port. */
    public static boolean looksLikeUtp(byte[] data, int off, int len) {
        return len >= HEADER && (data[off] & 0x0f) == VERSION && ((data[off] & 0xff) >>> 4) < Type.BY_CODE.length;
    }

    public static UtpPacket decode(byte[] data, int off, int len) throws UtpException {
        if (len < HEADER) {
            throw new UtpException("uTP datagram of " + len + " bytes, shorter than its header");
        }
        ByteBuffer b = ByteBuffer.wrap(data, off, len);
        int first = b.get() & 0xff;
        if ((first & 0x0f) != VERSION) {
            throw new UtpException("uTP version " + (first & 0x0f));
        }
        int typeCode = first >>> 4;
        if (typeCode >= Type.BY_CODE.length) {
            throw new UtpException("uTP packet type " + typeCode);
        }
        int extension = b.get() & 0xff;
        int connectionId = b.getShort() & 0xffff;
        long timestamp = b.getInt() & 0xffffffffL;
        long diff = b.getInt() & 0xffffffffL;
        long window = b.getInt() & 0xffffffffL;
        int seq = b.getShort() & 0xffff;
        int ack = b.getShort() & 0xffff;
        byte[] sack = null;
        for (int n = 0; extension != 0; n++) {
            if (n == MAX_EXTENSIONS) {
                throw new UtpException("more than " + MAX_EXTENSIONS + " uTP extensions");
            }
            if (b.remaining() < 2) {
                throw new UtpException("uTP extension header cut short");
            }
            int next = b.get() & 0xff;
            int extLength = b.get() & 0xff;
            if (b.remaining() < extLength) {
                throw new UtpException("uTP extension of " + extLength + " bytes, " + b.remaining() + " left");
            }
            if (extension == EXT_SELECTIVE_ACK && extLength > 0) {
                // any length: BEP 29 asks for a multiple of four, but libtorrent sends as many bytes
                // as its bits need (1, 17, 36...). Refusing those refused the packet they came with,
                // and its data: libtorrent's requests went unanswered until its connection timed out.
                sack = new byte[extLength];
                b.get(sack);
            } else {
                b.position(b.position() + extLength); // unknown: skipped
            }
            extension = next;
        }
        if (b.remaining() > MAX_PAYLOAD) {
            throw new UtpException("uTP payload of " + b.remaining() + " bytes");
        }
        byte[] payload = new byte[b.remaining()];
        b.get(payload);
        Type type = Type.BY_CODE[typeCode];
        if (payload.length > 0 && type != Type.DATA) {
            throw new UtpException("uTP " + type + " packet with a payload");
        }
        return new UtpPacket(type, connectionId, timestamp, diff, window, seq, ack, sack, payload);
    }

    public byte[] encode() {
        int ext = selectiveAck == null ? 0 : 2 + selectiveAck.length;
        ByteBuffer b = ByteBuffer.allocate(HEADER + ext + payload.length);
        b.put((byte) (type.ordinal() << 4 | VERSION));
        b.put((byte) (selectiveAck == null ? 0 : EXT_SELECTIVE_ACK));
        b.putShort((short) connectionId);
        b.putInt((int) timestampMicros);
        b.putInt((int) timestampDiffMicros);
        b.putInt((int) windowSize);
        b.putShort((short) seq);
        b.putShort((short) ack);
        if (selectiveAck != null) {
            b.put((byte) 0);
            b.put((byte) selectiveAck.length);
            b.put(selectiveAck);
        }
        b.put(payload);
        return b.array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UtpPacket p && p.type == type && p.connectionId == connectionId
                && p.timestampMicros == timestampMicros && p.timestampDiffMicros == timestampDiffMicros
                && p.windowSize == windowSize && p.seq == seq && p.ack == ack && Arrays.equals(p.selectiveAck, selectiveAck)
                && Arrays.equals(p.payload, payload);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(payload) * 31 + seq;
    }

    @Override
    public String toString() {
        return type + "[id " + connectionId + " seq " + seq + " ack " + ack + " wnd " + windowSize + " " + payload.length + " B"
                + (selectiveAck == null ? "" : " sack") + "]";
    }
}
