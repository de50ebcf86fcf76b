package io.jtorrent.trackerserver;

import java.io.ByteArrayOutputStream;
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
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 1 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new BadRequest("bad percent-escape in '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else if (c < 0x80) {
                out.write(c);
            } else {
                throw new BadRequest("non-ASCII character in the query string");
            }
        }
        return out.toByteArray();
    }

    /** A request the tracker answers with a {@code failure reason}. */
    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }
}
