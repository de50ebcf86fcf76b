package io.jtorrent.trackerserver;

/**
 * An HTTP announce's parameters, read from its query string in one pass without splitting it: no
 * string or array per parameter, only the info-hash and peer id copied out (the announce is most of
 * a tracker's work, and each object it made was garbage a collection pause had to deal with). The
 * same rules as {@link QueryString}: at most {@value QueryString#MAX_PARAMETERS} parameters, a bad
 * percent-escape or a non-ASCII character is an error; unknown parameters are accepted and ignored.
 */
final class AnnounceQuery {
    byte[] infoHash;
    byte[] peerId;
    long port = -1;
    long left = -1;
    int numWant = TrackerServer.DEFAULT_NUMWANT;
    boolean compact = true;
    SwarmStore.Event event = SwarmStore.Event.NONE;

    private AnnounceQuery() {}

    /** The announce in {@code query} (without the '?'), checked: info_hash and peer_id of 20 bytes, a port in 1..65535. */
    static AnnounceQuery parse(String query) throws QueryString.BadRequest {
        return parse(query, 0);
    }

    /** The announce in {@code query} from index {@code from} on (a request target's, after its '?'). */
    static AnnounceQuery parse(String query, int from) throws QueryString.BadRequest {
        AnnounceQuery a = new AnnounceQuery();
        int count = 0;
        int n = query.length();
        for (int start = from; start <= n; ) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? n : amp;
            if (end > start) {
                if (++count > QueryString.MAX_PARAMETERS) {
                    throw new QueryString.BadRequest("too many parameters (more than " + QueryString.MAX_PARAMETERS + ")");
                }
                int eq = query.indexOf('=', start);
                int nameEnd = eq < 0 || eq > end ? end : eq;
                int valueStart = nameEnd == end ? end : nameEnd + 1;
                a.param(query, start, nameEnd, valueStart, end);
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        if (a.infoHash == null || a.infoHash.length != 20) {
            throw new QueryString.BadRequest(a.infoHash == null ? "missing info_hash" : "info_hash must be 20 bytes, got " + a.infoHash.length);
        }
        if (a.peerId == null || a.peerId.length != 20) {
            throw new QueryString.BadRequest(a.peerId == null ? "missing peer_id" : "peer_id must be 20 bytes, got " + a.peerId.length);
        }
        if (a.port < 1 || a.port > 65535) {
            throw new QueryString.BadRequest(a.port < 0 ? "missing port" : "invalid port " + a.port);
        }
        return a;
    }

    private void param(String q, int ns, int ne, int vs, int ve) throws QueryString.BadRequest {
        int length = QueryString.decodedLength(q, vs, ve); // checks the escapes of every value, as QueryString.parse does
        String name = plain(q, ns, ne) ? null : new String(QueryString.decode(q.substring(ns, ne)), java.nio.charset.StandardCharsets.UTF_8);
        if (is(q, ns, ne, name, "info_hash")) {
            infoHash = QueryString.decode(q, vs, ve, length);
        } else if (is(q, ns, ne, name, "peer_id")) {
            peerId = QueryString.decode(q, vs, ve, length);
        } else if (is(q, ns, ne, name, "port")) {
            port = number("port", q, vs, ve, length);
        } else if (is(q, ns, ne, name, "left")) {
            left = number("left", q, vs, ve, length);
        } else if (is(q, ns, ne, name, "uploaded")) {
            number("uploaded", q, vs, ve, length);
        } else if (is(q, ns, ne, name, "downloaded")) {
            number("downloaded", q, vs, ve, length);
        } else if (is(q, ns, ne, name, "numwant")) {
            numWant = (int) Math.min(TrackerServer.MAX_NUMWANT, number("numwant", q, vs, ve, length));
        } else if (is(q, ns, ne, name, "compact")) {
            compact = !(length == 1 && QueryString.decode(q, vs, ve, length)[0] == '0');
        } else if (is(q, ns, ne, name, "event")) {
            event = event(new String(QueryString.decode(q, vs, ve, length), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        // key, ip, no_peer_id, trackerid, supportcrypto...: accepted, not needed
    }

    private static SwarmStore.Event event(String v) throws QueryString.BadRequest {
        return switch (v) {
            case "started" -> SwarmStore.Event.STARTED;
            case "completed" -> SwarmStore.Event.COMPLETED;
            case "stopped" -> SwarmStore.Event.STOPPED;
            case "", "empty" -> SwarmStore.Event.NONE;
            default -> throw new QueryString.BadRequest("unknown event '" + (v.length() > 20 ? v.substring(0, 20) + "..." : v) + "'");
        };
    }

    /** Whether the name [ns, ne) (or its decoded form {@code decoded}, when escaped) is {@code want}. */
    private static boolean is(String q, int ns, int ne, String decoded, String want) {
        return decoded != null ? decoded.equals(want) : ne - ns == want.length() && q.startsWith(want, ns);
    }

    /** Whether [from, to) has no escape ('%' or '+'): it is its own decoding. */
    private static boolean plain(String q, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = q.charAt(i);
            if (c == '%' || c == '+') {
                return false;
            }
        }
        return true;
    }

    /** A decimal number of at most 19 digits. */
    private static long number(String name, String q, int from, int to, int length) throws QueryString.BadRequest {
        if (length == to - from) { // no escapes: read the characters as they are
            long v = digits(q, from, to);
            if (v >= 0) {
                return v;
            }
        } else {
            String s = new String(QueryString.decode(q, from, to, length), java.nio.charset.StandardCharsets.ISO_8859_1);
            long v = digits(s, 0, s.length());
            if (v >= 0) {
                return v;
            }
            throw notANumber(name, s);
        }
        throw notANumber(name, q.substring(from, to));
    }

    private static QueryString.BadRequest notANumber(String name, String v) {
        return new QueryString.BadRequest(name + " is not a number: '" + (v.length() > 20 ? v.substring(0, 20) + "..." : v) + "'");
    }

    /** The value of the decimal digits [from, to), or -1 if empty, longer than 19 not all digits or too large for a long. */
    private static long digits(String s, int from, int to) {
        if (to == from || to - from > 19) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9' || v > (Long.MAX_VALUE - (c - '0')) / 10) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
