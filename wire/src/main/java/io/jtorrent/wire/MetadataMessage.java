package io.jtorrent.wire;

import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BencodeDecoder;
import io.jtorrent.bencode.BencodeEncoder;

/**
 * A {@code ut_metadata} message (BEP 9): a request for one 16 KiB piece of the info dictionary,
 * the piece itself (after the bencoded header), or a refusal.
 *
 * <p>Limits checked when decoding: a known {@code msg_type}, a piece index in 0..1023 (16 MiB of
 * metadata), {@code total_size} present in data messages and in 1..{@value #MAX_METADATA_SIZE},
 * data at most 16 KiB. Whether the piece and size fit the torrent is the receiver's check.
 *
 * @param type {@link #REQUEST}, {@link #DATA} or {@link #REJECT}
 * @param piece the piece index
 * @param totalSize the whole metadata's size (data messages), else -1
 * @param data the piece's bytes (data messages), else empty
 */
public record MetadataMessage(int type, int piece, long totalSize, byte[] data) {
    public static final int REQUEST = 0;
    public static final int DATA = 1;
    public static final int REJECT = 2;
    /** Metadata is sent in pieces of this size; the last may be shorter. */
    public static final int PIECE_SIZE = 16 * 1024;
    /** Larger info dictionaries are refused (libtorrent's limit too). */
    public static final int MAX_METADATA_SIZE = 16 * 1024 * 1024;
    public static final int MAX_PIECES = MAX_METADATA_SIZE / PIECE_SIZE;

    public MetadataMessage {
        if (type < REQUEST || type > REJECT) {
            throw new IllegalArgumentException("msg_type " + type);
        }
        if (piece < 0 || piece >= MAX_PIECES) {
            throw new IllegalArgumentException("metadata piece " + piece + " outside 0.." + (MAX_PIECES - 1));
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public static MetadataMessage request(int piece) {
        return new MetadataMessage(REQUEST, piece, -1, new byte[0]);
    }

    public static MetadataMessage reject(int piece) {
        return new MetadataMessage(REJECT, piece, -1, new byte[0]);
    }

    public static MetadataMessage data(int piece, long totalSize, byte[] data) {
        return new MetadataMessage(DATA, piece, totalSize, data);
    }

    public static MetadataMessage decode(byte[] payload) throws PeerProtocolException {
        BencodeDecoder.Decoded d = ExtensionPayload.dictionary(payload, "ut_metadata");
        BDictionary dict = (BDictionary) d.value();
        long type = ExtensionPayload.integer(dict, "msg_type")
                .orElseThrow(() -> new PeerProtocolException("ut_metadata: no integer msg_type"));
        long piece = ExtensionPayload.integer(dict, "piece")
                .orElseThrow(() -> new PeerProtocolException("ut_metadata: no integer piece"));
        if (type < REQUEST || type > REJECT) {
            throw new PeerProtocolException("ut_metadata: unknown msg_type " + type);
        }
        if (piece < 0 || piece >= MAX_PIECES) {
            throw new PeerProtocolException("ut_metadata: piece " + piece + " outside 0.." + (MAX_PIECES - 1));
        }
        if (type != DATA) {
            return new MetadataMessage((int) type, (int) piece, -1, new byte[0]);
        }
        long total = ExtensionPayload.integer(dict, "total_size")
                .orElseThrow(() -> new PeerProtocolException("ut_metadata: data without an integer total_size"));
        if (total <= 0 || total > MAX_METADATA_SIZE) {
            throw new PeerProtocolException("ut_metadata: total_size " + total + " outside 1.." + MAX_METADATA_SIZE);
        }
        int dataLength = payload.length - d.length();
        if (dataLength > PIECE_SIZE) {
            throw new PeerProtocolException("ut_metadata: piece of " + dataLength + " bytes, more than " + PIECE_SIZE);
        }
        byte[] data = java.util.Arrays.copyOfRange(payload, d.length(), payload.length);
        return new MetadataMessage(DATA, (int) piece, total, data);
    }

    public byte[] encode() {
        BDictionary.Builder b = BDictionary.builder().put("msg_type", type).put("piece", piece);
        if (type == DATA) {
            b.put("total_size", totalSize);
        }
        byte[] header = BencodeEncoder.encode(b.build());
        byte[] out = java.util.Arrays.copyOf(header, header.length + data.length);
        System.arraycopy(data, 0, out, header.length, data.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetadataMessage m && m.type == type && m.piece == piece && m.totalSize == totalSize
                && java.util.Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return (type * 31 + piece) * 31 + java.util.Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "MetadataMessage[type=" + type + ", piece=" + piece + ", totalSize=" + totalSize + ", " + data.length + " bytes]";
    }
}
