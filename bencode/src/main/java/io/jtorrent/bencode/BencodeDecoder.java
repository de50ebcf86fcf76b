package io.jtorrent.bencode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A bounded, strict bencode decoder (BEP 3).
 *
 * <p>Strictness: integers have no leading zeros, no {@code -0}, no empty digits and fit in 64 bits;
 * string lengths have no leading zeros and never exceed the remaining input (checked before
 * anything is allocated); dictionary keys are byte strings, strictly increasing in unsigned
 * byte-wise order, never repeated; nothing follows the top-level value. {@link Limits#lenientKeyOrder}
 * accepts unsorted keys (libtorrent does, and real torrents have them) but reports each
 * dictionary that had them as a {@link Decoded#warnings() warning}; duplicates are always refused.
 *
 * <p>Limits, each refused with a {@link BencodeException} naming the offset:
 * <table>
 *   <caption>Decoder limits</caption>
 *   <tr><th>limit</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@code maxInputBytes}</td><td>64 MiB</td><td>a torrent of 2M pieces needs 40 MB of hashes</td></tr>
 *   <tr><td>{@code maxDepth}</td><td>100</td><td>recursion depth: no stack overflow, whatever the input</td></tr>
 *   <tr><td>{@code maxTokens}</td><td>4,000,000</td><td>values decoded: bounds the object graph built from small inputs</td></tr>
 * </table>
 *
 * <p>Example:
 * <pre>{@code
 * BValue v = BencodeDecoder.strict().decode("d3:bar4:spam3:fooi42ee".getBytes(US_ASCII));
 * }</pre>
 */
public final class BencodeDecoder {

    /** Limits and strictness of a decoder. */
    public record Limits(int maxInputBytes, int maxDepth, int maxTokens, boolean lenientKeyOrder) {
        public static final Limits DEFAULT = new Limits(64 << 20, 100, 4_000_000, false);

        public Limits {
            if (maxInputBytes < 0 || maxDepth < 1 || maxTokens < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }

        public Limits withMaxInputBytes(int n) {
            return new Limits(n, maxDepth, maxTokens, lenientKeyOrder);
        }

        public Limits withMaxDepth(int n) {
            return new Limits(maxInputBytes, n, maxTokens, lenientKeyOrder);
        }

        public Limits withMaxTokens(int n) {
            return new Limits(maxInputBytes, maxDepth, n, lenientKeyOrder);
        }

        public Limits withLenientKeyOrder(boolean lenient) {
            return new Limits(maxInputBytes, maxDepth, maxTokens, lenient);
        }
    }

    /**
     * A decoded value and what a lenient decode let through.
     *
     * @param value the top-level value
     * @param length how many input bytes the value took (the whole input, for {@link #decode})
     * @param warnings one line for each tolerated irregularity, e.g. unsorted dictionary keys
     */
    public record Decoded(BValue value, int length, List<String> warnings) {}

    private static final BencodeDecoder STRICT = new BencodeDecoder(Limits.DEFAULT);

    private final Limits limits;

    public BencodeDecoder(Limits limits) {
        this.limits = limits;
    }

    /** A decoder with the default limits and strict key order. */
    public static BencodeDecoder strict() {
        return STRICT;
    }

    public Limits limits() {
        return limits;
    }

    /** Decodes {@code input}, which must hold exactly one value. */
    public BValue decode(byte[] input) throws BencodeException {
        return decodeDocument(input).value();
    }

    /** Decodes {@code input}, which must hold exactly one value, with any warnings. */
    public Decoded decodeDocument(byte[] input) throws BencodeException {
        Decoded d = decodePrefix(input, 0, input.length);
        if (d.length() != input.length) {
            throw new BencodeException(d.length(), "trailing data after the value ("
                    + (input.length - d.length()) + " bytes)");
        }
        return d;
    }

    /**
     * Decodes the one value that starts at {@code offset} and lies within {@code length} bytes;
     * what follows it is left alone ({@link Decoded#length()} says where it ended). Spans and
     * error offsets are relative to the start of {@code input}.
     */
    public Decoded decodePrefix(byte[] input, int offset, int length) throws BencodeException {
        java.util.Objects.checkFromIndexSize(offset, length, input.length);
        if (length > limits.maxInputBytes()) {
            throw new BencodeException(offset, "input of " + length + " bytes exceeds the limit of "
                    + limits.maxInputBytes() + " bytes");
        }
        Reader r = new Reader(input, offset, offset + length);
        BValue v = r.value(0);
        return new Decoded(v, r.pos - offset, r.warnings == null ? List.of() : List.copyOf(r.warnings));
    }

    private final class Reader {
        private final byte[] in;
        private final int end;
        private int pos;
        private int tokens;
        private List<String> warnings;

        Reader(byte[] in, int start, int end) {
            this.in = in;
            this.pos = start;
            this.end = end;
        }

        BValue value(int depth) throws BencodeException {
            if (++tokens > limits.maxTokens()) {
                throw new BencodeException(pos, "more than " + limits.maxTokens() + " values");
            }
            if (pos >= end) {
                throw new BencodeException(pos, "unexpected end of input, expected a value");
            }
            byte b = in[pos];
            if (b == 'i') {
                return integer();
            }
            if (b >= '0' && b <= '9') {
                return string();
            }
            if (b == 'l' || b == 'd') {
                if (depth >= limits.maxDepth()) {
                    throw new BencodeException(pos, "nesting deeper than " + limits.maxDepth() + " levels");
                }
                return b == 'l' ? list(depth) : dictionary(depth);
            }
            throw new BencodeException(pos, "expected 'i', 'l', 'd' or a digit, found " + describe(b));
        }

        private BInteger integer() throws BencodeException {
            int start = pos++;
            boolean negative = false;
            if (pos < end && in[pos] == '-') {
                negative = true;
                pos++;
            }
            int digitsStart = pos;
            long magnitude = 0; // accumulated as a negative number to reach Long.MIN_VALUE
            while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
                int d = in[pos] - '0';
                if (magnitude < (Long.MIN_VALUE + d) / 10) {
                    throw new BencodeException(start, "integer does not fit in 64 bits");
                }
                magnitude = magnitude * 10 - d;
                pos++;
            }
            int digits = pos - digitsStart;
            if (pos >= end) {
                throw new BencodeException(pos, "unexpected end of input in integer, expected a digit or 'e'");
            }
            if (in[pos] != 'e') {
                throw new BencodeException(pos, "expected a digit or 'e' in integer, found " + describe(in[pos]));
            }
            if (digits == 0) {
                throw new BencodeException(digitsStart, "integer has no digits");
            }
            if (in[digitsStart] == '0' && digits > 1) {
                throw new BencodeException(digitsStart, "integer has a leading zero");
            }
            if (negative && magnitude == 0) {
                throw new BencodeException(start, "negative zero integer");
            }
            if (!negative && magnitude == Long.MIN_VALUE) {
                throw new BencodeException(start, "integer does not fit in 64 bits");
            }
            pos++;
            return BInteger.decoded(negative ? magnitude : -magnitude, new Span(start, pos - start));
        }

        private BBytes string() throws BencodeException {
            int start = pos;
            long length = 0;
            while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
                length = length * 10 + (in[pos] - '0');
                if (length > end) {
                    throw new BencodeException(start, "string length exceeds the remaining input ("
                            + (end - start) + " bytes)");
                }
                pos++;
            }
            if (in[start] == '0' && pos - start > 1) {
                throw new BencodeException(start, "string length has a leading zero");
            }
            if (pos >= end) {
                throw new BencodeException(pos, "unexpected end of input, expected ':' after string length");
            }
            if (in[pos] != ':') {
                throw new BencodeException(pos, "expected ':' after string length, found " + describe(in[pos]));
            }
            pos++;
            if (length > end - pos) {
                throw new BencodeException(start, "string length " + length + " exceeds the remaining input ("
                        + (end - pos) + " bytes)");
            }
            int n = (int) length;
            byte[] bytes = java.util.Arrays.copyOfRange(in, pos, pos + n);
            pos += n;
            return BBytes.wrap(bytes, new Span(start, pos - start));
        }

        private BList list(int depth) throws BencodeException {
            int start = pos++;
            ArrayList<BValue> items = new ArrayList<>();
            while (true) {
                if (pos >= end) {
                    throw new BencodeException(pos, "unexpected end of input in list started at byte " + start);
                }
                if (in[pos] == 'e') {
                    pos++;
                    return BList.decoded(items, new Span(start, pos - start));
                }
                items.add(value(depth + 1));
            }
        }

        private BDictionary dictionary(int depth) throws BencodeException {
            int start = pos++;
            LinkedHashMap<BBytes, BValue> entries = new LinkedHashMap<>();
            BBytes previous = null;
            boolean reportedOrder = false;
            while (true) {
                if (pos >= end) {
                    throw new BencodeException(pos, "unexpected end of input in dictionary started at byte " + start);
                }
                if (in[pos] == 'e') {
                    pos++;
                    return BDictionary.decoded(entries, new Span(start, pos - start));
                }
                if (in[pos] < '0' || in[pos] > '9') {
                    throw new BencodeException(pos, "expected a string key or 'e' in dictionary, found " + describe(in[pos]));
                }
                int keyOffset = pos;
                if (++tokens > limits.maxTokens()) {
                    throw new BencodeException(pos, "more than " + limits.maxTokens() + " values");
                }
                BBytes key = string();
                if (previous != null) {
                    int cmp = key.compareTo(previous);
                    if (cmp == 0 || entries.containsKey(key)) {
                        throw new BencodeException(keyOffset, "duplicate dictionary key " + key);
                    }
                    if (cmp < 0) {
                        if (!limits.lenientKeyOrder()) {
                            throw new BencodeException(keyOffset, "dictionary key " + key + " is not in sorted order (after " + previous + ")");
                        }
                        if (!reportedOrder) {
                            reportedOrder = true;
                            warn("at byte " + keyOffset + ": dictionary key " + key + " is not in sorted order (after " + previous + ")");
                        }
                    }
                }
                previous = key;
                if (pos >= end) {
                    throw new BencodeException(pos, "unexpected end of input, expected a value for key " + key);
                }
                entries.put(key, value(depth + 1));
            }
        }

        private void warn(String warning) {
            if (warnings == null) {
                warnings = new ArrayList<>();
            }
            if (warnings.size() < 100) {
                warnings.add(warning);
            }
        }

        private String describe(byte b) {
            if (b >= 0x21 && b < 0x7f) {
                return "'" + (char) b + "'";
            }
            return String.format("byte 0x%02x", b & 0xff);
        }
    }
}
