package io.jtorrent.metainfo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A magnet link (BEP 9): {@code magnet:?xt=urn:btih:HASH&dn=NAME&tr=TRACKER&x.pe=HOST:PORT&ws=URL&so=0,2-4}.
 *
 * <p>The info-hash may be 40 hex digits or 32 base32 characters ({@code urn:btih:}), a v2 hash
 * ({@code urn:btmh:1220...}, BEP 52), or both (a hybrid torrent). Parameters may carry an index
 * suffix ({@code tr.1=}), as some generators write. Unknown parameters are ignored.
 *
 * <pre>{@code
 * MagnetUri m = MagnetUri.parse("magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=demo");
 * m.infoHash().hex();   // "c12fe1c0..."
 * m.toString();         // the canonical form
 * }</pre>
 *
 * @param infoHash the hash that names the torrent: the v1 info-hash, or the v2 one for a v2-only link
 * @param v2InfoHash the v2 info-hash, if the link has one (hybrid and v2-only links)
 * @param displayName {@code dn}, if present
 * @param trackers {@code tr}, in order, without duplicates
 * @param peers {@code x.pe}: {@code host:port} or {@code [v6]:port}
 * @param webSeeds {@code ws}
 * @param selectOnly {@code so} (BEP 53): the file indices to download, ranges expanded; empty means all
 */
public record MagnetUri(InfoHash infoHash, Optional<InfoHash> v2InfoHash, Optional<String> displayName,
                        List<String> trackers, List<String> peers, List<String> webSeeds,
                        List<Integer> selectOnly) {

    /** Longer links are refused. */
    public static final int MAX_LENGTH = 64 * 1024;
    /** A {@code so} range that would name more files than this is refused. */
    public static final int MAX_SELECTED_FILES = 100_000;

    public MagnetUri {
        if (v2InfoHash.isPresent() && v2InfoHash.get().version() != InfoHash.Version.V2) {
            throw new IllegalArgumentException("v2InfoHash must be a v2 hash");
        }
        if (infoHash.version() == InfoHash.Version.V2 && !v2InfoHash.equals(Optional.of(infoHash))) {
            throw new IllegalArgumentException("a v2-only link's v2InfoHash is its infoHash");
        }
        trackers = List.copyOf(trackers);
        peers = List.copyOf(peers);
        webSeeds = List.copyOf(webSeeds);
        selectOnly = List.copyOf(selectOnly);
    }

    /** A link with just a hash, name and trackers. */
    public static MagnetUri of(InfoHash infoHash, String displayName, List<String> trackers) {
        return new MagnetUri(infoHash, infoHash.version() == InfoHash.Version.V2 ? Optional.of(infoHash) : Optional.empty(), Optional.ofNullable(displayName), trackers, List.of(),
                List.of(), List.of());
    }

    /** The link for a torrent: its hash, name, trackers and web seeds. */
    public static MagnetUri of(Metainfo m) {
        return new MagnetUri(m.infoHash(), m.infoHashV2(), Optional.of(m.info().name()), m.trackers(),
                List.of(), m.webSeeds(), List.of());
    }

    private static boolean allDigits(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public static boolean looksLikeMagnet(String s) {
        return s.regionMatches(true, 0, "magnet:", 0, 7);
    }

    /** Parses a magnet link; the message of the exception names the parameter at fault. */
    public static MagnetUri parse(String uri) throws MetainfoException {
        if (uri.length() > MAX_LENGTH) {
            throw new MetainfoException("magnet link is " + uri.length() + " characters, more than the limit of " + MAX_LENGTH);
        }
        if (!uri.regionMatches(true, 0, "magnet:?", 0, 8)) {
            throw new MetainfoException("not a magnet link: it must start with 'magnet:?'");
        }
        InfoHash v1 = null;
        InfoHash v2 = null;
        String dn = null;
        Set<String> trackers = new LinkedHashSet<>();
        Set<String> peers = new LinkedHashSet<>();
        Set<String> webSeeds = new LinkedHashSet<>();
        List<Integer> so = new ArrayList<>();
        for (String param : uri.substring(8).split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            if (eq <= 0) {
                throw new MetainfoException("magnet link: parameter '" + param + "' has no value");
            }
            String key = param.substring(0, eq).toLowerCase(java.util.Locale.ROOT);
            int dot = key.lastIndexOf('.');
            if (dot > 0 && allDigits(key, dot + 1)) {
                key = key.substring(0, dot); // tr.1 -> tr
            }
            String value = decode(param.substring(eq + 1), key.equals("dn"), key);
            switch (key) {
                case "xt" -> {
                    String lower = value.toLowerCase(java.util.Locale.ROOT);
                    if (lower.startsWith("urn:btih:")) {
                        if (v1 != null) {
                            throw new MetainfoException("magnet link: more than one urn:btih info-hash");
                        }
                        try {
                            v1 = InfoHash.parse(value.substring(9));
                        } catch (IllegalArgumentException e) {
                            throw new MetainfoException("magnet link: xt: " + e.getMessage());
                        }
                        if (v1.version() != InfoHash.Version.V1) {
                            throw new MetainfoException("magnet link: xt: urn:btih takes a 40-digit hex or 32-character base32 hash");
                        }
                    } else if (lower.startsWith("urn:btmh:")) {
                        if (v2 != null) {
                            throw new MetainfoException("magnet link: more than one urn:btmh info-hash");
                        }
                        v2 = parseMultihash(value.substring(9));
                    }
                }
                case "dn" -> dn = value;
                case "tr" -> trackers.add(value);
                case "x.pe" -> peers.add(checkPeer(value));
                case "ws" -> webSeeds.add(value);
                case "so" -> parseSelection(value, so);
                default -> { /* unknown parameters are allowed (BEP 9) */ }
            }
        }
        if (v1 == null && v2 == null) {
            throw new MetainfoException("magnet link: no info-hash (xt=urn:btih:... or xt=urn:btmh:1220...)");
        }
        return new MagnetUri(v1 != null ? v1 : v2, Optional.ofNullable(v2), Optional.ofNullable(dn), List.copyOf(trackers),
                List.copyOf(peers), List.copyOf(webSeeds), so);
    }

    /** The canonical text of the link: hash in hex, then dn, tr, ws, x.pe and so, each encoded. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("magnet:?");
        if (infoHash.version() == InfoHash.Version.V1) {
            b.append("xt=urn:btih:").append(infoHash.hex());
            if (v2InfoHash.isPresent()) {
                b.append("&xt=urn:btmh:1220").append(v2InfoHash.get().hex());
            }
        } else {
            b.append("xt=urn:btmh:1220").append(infoHash.hex());
        }
        if (displayName.isPresent()) {
            b.append("&dn=").append(encode(displayName.get()));
        }
        for (String t : trackers) {
            b.append("&tr=").append(encode(t));
        }
        for (String w : webSeeds) {
            b.append("&ws=").append(encode(w));
        }
        for (String p : peers) {
            b.append("&x.pe=").append(encode(p));
        }
        if (!selectOnly.isEmpty()) {
            b.append("&so=").append(formatSelection(selectOnly));
        }
        return b.toString();
    }

    private static InfoHash parseMultihash(String hex) throws MetainfoException {
        // multihash: 0x12 (sha2-256), 0x20 (32 bytes), digest
        if (hex.length() != 68 || !hex.regionMatches(true, 0, "1220", 0, 4)) {
            throw new MetainfoException("magnet link: xt: urn:btmh must be 1220 followed by 64 hex digits");
        }
        try {
            return InfoHash.parse(hex.substring(4));
        } catch (IllegalArgumentException e) {
            throw new MetainfoException("magnet link: xt: " + e.getMessage());
        }
    }

    private static String checkPeer(String peer) throws MetainfoException {
        int colon = peer.lastIndexOf(':');
        boolean ok = colon > 0 && colon < peer.length() - 1;
        if (ok) {
            String host = peer.substring(0, colon);
            if (host.startsWith("[") != host.endsWith("]")) {
                ok = false;
            }
            try {
                int port = Integer.parseInt(peer.substring(colon + 1));
                ok &= port > 0 && port < 65536;
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new MetainfoException("magnet link: x.pe: '" + peer + "' is not HOST:PORT");
        }
        return peer;
    }

    private static void parseSelection(String value, List<Integer> out) throws MetainfoException {
        for (String part : value.split(",")) {
            try {
                int dash = part.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
                if (from < 0 || to < from || out.size() + (long) (to - from) + 1 > MAX_SELECTED_FILES) {
                    throw new NumberFormatException();
                }
                for (int i = from; i <= to; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                throw new MetainfoException("magnet link: so: '" + part + "' is not a file index or range like 2-5");
            }
        }
    }

    private static String formatSelection(List<Integer> indices) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < indices.size()) {
            int start = indices.get(i);
            int end = start;
            while (i + 1 < indices.size() && indices.get(i + 1) == end + 1) {
                end = indices.get(++i);
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(start);
            if (end != start) {
                b.append('-').append(end);
            }
            i++;
        }
        return b.toString();
    }

    /** Percent-decoding; {@code +} means a space in the display name, as browsers write it. */
    private static String decode(String s, boolean plusIsSpace, String key) throws MetainfoException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw new MetainfoException("magnet link: " + key + ": bad percent-escape at position " + i + " of '" + s + "'");
                }
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp) - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~:/[]@".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }
}
