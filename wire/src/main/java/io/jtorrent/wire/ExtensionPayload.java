package io.jtorrent.wire;

import io.jtorrent.bencode.BBytes;
import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BInteger;
import io.jtorrent.bencode.BValue;
import io.jtorrent.bencode.BencodeDecoder;
import io.jtorrent.bencode.BencodeException;
import java.util.Optional;

/**
 * Reading the bencoded dictionary at the start of an extended message's payload, with limits
 * fit for a message from a stranger: at most 8 levels deep and 20,000 values; keys out of order
 * are tolerated, as some clients write them so.
 */
final class ExtensionPayload {
    private static final BencodeDecoder DECODER = new BencodeDecoder(BencodeDecoder.Limits.DEFAULT
            .withMaxInputBytes(PeerWireDecoder.MAX_EXTENDED_BYTES).withMaxDepth(8).withMaxTokens(20_000)
            .withLenientKeyOrder(true));

    private ExtensionPayload() {}

    /** The dictionary at the start of {@code payload} and where it ends. */
    static BencodeDecoder.Decoded dictionary(byte[] payload, String what) throws PeerProtocolException {
        BencodeDecoder.Decoded d;
        try {
            d = DECODER.decodePrefix(payload, 0, payload.length);
        } catch (BencodeException e) {
            throw new PeerProtocolException(what + ": " + e.getMessage());
        }
        if (!(d.value() instanceof BDictionary)) {
            throw new PeerProtocolException(what + ": a " + d.value().typeName() + " where a dictionary belongs");
        }
        return d;
    }

    /** An integer entry, if present and an integer. */
    static Optional<Long> integer(BDictionary d, String key) {
        return d.get(key).filter(v -> v instanceof BInteger).map(v -> ((BInteger) v).value());
    }

    /** A byte-string entry, if present and a string. */
    static Optional<byte[]> bytes(BDictionary d, String key) {
        return d.get(key).filter(v -> v instanceof BBytes).map(v -> ((BBytes) v).bytes());
    }

    static Optional<BValue> value(BDictionary d, String key) {
        return d.get(key);
    }
}
