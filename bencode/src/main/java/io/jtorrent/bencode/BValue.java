package io.jtorrent.bencode;

import java.util.Optional;

/**
 * A bencoded value (BEP 3): an integer, a byte string, a list or a dictionary.
 *
 * <p>Values are immutable. A value produced by {@link BencodeDecoder} remembers the exact span of
 * input bytes it was decoded from ({@link #span()}); values built in code have none. Equality and
 * hash codes compare content only, never spans, so {@code decode(encode(x)).equals(x)} holds.
 */
public sealed interface BValue permits BInteger, BBytes, BList, BDictionary {

    /** Where in the decoded input this value's encoding starts and ends; empty for built values. */
    Optional<Span> span();

    /** A short name of the value's type for error messages: "integer", "string", "list", "dictionary". */
    String typeName();

    /** The value's canonical encoding. */
    default byte[] encode() {
        return BencodeEncoder.encode(this);
    }
}
