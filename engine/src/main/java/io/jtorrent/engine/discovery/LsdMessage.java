package io.jtorrent.engine.discovery;

import io.jtorrent.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A Local Service Discovery announce (BEP 14): an HTTP-like {@code BT-SEARCH} datagram naming
 * the sender's TCP port and the info-hashes it serves, with a cookie so a client can recognise
 * its own announces looped back.
 *
 * <p>Limits when parsing: at most {@value #MAX_BYTES} bytes, the {@code BT-SEARCH * HTTP/1.1}
 * request line, a port in 1..65535, at most {@value #MAX_HASHES} info-hashes of 40 hex digits
 * each (others are skipped); anything else is refused with a message saying what.
 *
 * @param port the sender's peer port
 * @param infoHashes the torrents it announces
 * @param cookie its cookie, or "" if none
 */
public record LsdMessage(int port, List<InfoHash> infoHashes, String cookie) {
    public static final String GROUP = "239.192.152.143";
    public static final int PORT = 6771;
    public static final int MAX_BYTES = 1400;
    public static final int MAX_HASHES = 20;

    public LsdMessage {
        infoHashes = List.copyOf(infoHashes);
    }

    public byte[] encode() {
        StringBuilder s = new StringBuilder("BT-SEARCH * HTTP/1.1\r\nHost: " + GROUP + ":" + PORT + "\r\nPort: " + port + "\r\n");
        for (InfoHash h : infoHashes) {
            s.append("Infohash: ").append(h.hex()).append("\r\n");
        }
        if (!cookie.isEmpty()) {
            s.append("cookie: ").append(cookie).append("\r\n");
        }
        return s.append("\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static LsdMessage parse(byte[] datagram, int length) {
        if (length > MAX_BYTES) {
            throw new IllegalArgumentException("LSD datagram of " + length + " bytes, more than " + MAX_BYTES);
        }
        String text = new String(datagram, 0, length, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        if (lines.length == 0 || !lines[0].equals("BT-SEARCH * HTTP/1.1")) {
            throw new IllegalArgumentException("not an LSD announce (first line \"" + (lines.length == 0 ? "" : abbreviate(lines[0])) + "\")");
        }
        int port = -1;
        String cookie = "";
        List<InfoHash> hashes = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "port" -> {
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("LSD announce: port \"" + abbreviate(value) + "\" is not a number");
                    }
                }
                case "infohash" -> {
                    if (value.length() == 40 && hashes.size() < MAX_HASHES && value.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                        hashes.add(InfoHash.v1(HexFormat.of().parseHex(value)));
                    }
                }
                case "cookie" -> cookie = abbreviate(value);
                default -> { }
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("LSD announce without a valid port (" + port + ")");
        }
        return new LsdMessage(port, hashes, cookie);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) : s;
    }
}
