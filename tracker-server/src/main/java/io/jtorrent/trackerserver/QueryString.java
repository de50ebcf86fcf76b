package io.jtorrent.trackerserver;

import java.util.ArrayList;
import java.util.List;

/**
 * The query string of an announce or scrape, decoded to bytes (info-hashes and peer ids are
 * binary). Limits: at most {@value #MAX_PARAMETERS} parameters; a bad percent-escape is an error.
 */
final class QueryString {
    static final int MAX_PARAMETERS = 64;

    record Param(String name, byte[] value) {}

    private QueryString() {}

    static List<Param> parse(String rawQuery) throws BadRequest {
        List<Param> out = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        int start = 0;
        while (start <= rawQuery.length()) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? rawQuery.length() : amp;
            if (end > start) {
                if (out.size() >= MAX_PARAMETERS) {
                    throw new BadRequest("too many parameters (more than " + MAX_PARAMETERS + ")");
                }
                String part = rawQuery.substring(start, end);
                int eq = part.indexOf('=');
                String name = new String(decode(eq < 0 ? part : part.substring(0, eq)), java.nio.charset.StandardCharsets.UTF_8);
                out.add(new Param(name, eq < 0 ? new byte[0] : decode(part.substring(eq + 1))));
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return out;
    }

    static byte[] decode(String s) throws BadRequest {
        return decode(s, 0, s.length(), decodedLength(s, 0, s.length()));
    }

    /**
     * The number of bytes chars [from, to) of {@code s} decode to ('%' and two hex digits one
     * byte, '+' a space); a bad percent-escape or a non-ASCII character is an error.
     */
    static int decodedLength(String s, int from, int to) throws BadRequest {
        int length = 0;
        for (int i = from; i < to; i++, length++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= to || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    String part = s.substring(from, to);
                    throw new BadRequest("bad percent-escape in '" + (part.length() > 40 ? part.substring(0, 40) + "..." : part) + "'");
                }
                i += 2;
            } else if (c >= 0x80) {
                throw new BadRequest("non-ASCII character in the query string");
            }
        }
        return length;
    }

    /** Chars [from, to) of {@code s} decoded: {@code length} bytes, as {@link #decodedLength} counted them. */
    static byte[] decode(String s, int from, int to, int length) {
        byte[] out = new byte[length];
        int o = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                out[o++] = (byte) (Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                out[o++] = (byte) (c == '+' ? ' ' : c);
            }
        }
        return out;
    }

    /** A request the tracker answers with a {@code failure reason}. */
    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }
}
