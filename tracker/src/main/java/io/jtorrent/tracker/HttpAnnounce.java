package io.jtorrent.tracker;

import io.jtorrent.bencode.BBytes;
import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BInteger;
import io.jtorrent.bencode.BList;
import io.jtorrent.bencode.BValue;
import io.jtorrent.bencode.BencodeDecoder;
import io.jtorrent.bencode.BencodeException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP tracker protocol's formats (BEP 3, 7, 23): the announce query string, and the
 * bencoded response with compact IPv4 {@code peers}, compact IPv6 {@code peers6} or the
 * dictionary model. Shared by the client and the server.
 *
 * <p>Limits on a response: at most 1 MiB (enforced by the transport), at most
 * {@value #MAX_PEERS} peers kept, depth and value limits of the bencode decoder.
 */
public final class HttpAnnounce {
    public static final int MAX_PEERS = 2000;
    private static final BencodeDecoder DECODER = new BencodeDecoder(BencodeDecoder.Limits.DEFAULT
            .withMaxInputBytes(1 << 20).withMaxDepth(8).withMaxTokens(50_000).withLenientKeyOrder(true));

    private HttpAnnounce() {}

    /** The announce URL with the request's parameters appended (the URL may carry its own query). */
    public static String url(String announceUrl, AnnounceRequest r) {
        StringBuilder b = new StringBuilder(announceUrl);
        b.append(announceUrl.indexOf('?') >= 0 ? '&' : '?');
        b.append("info_hash=").append(percentEncode(r.infoHash().truncated20()));
        b.append("&peer_id=").append(percentEncode(r.peerId()));
        b.append("&port=").append(r.port());
        b.append("&uploaded=").append(r.uploaded());
        b.append("&downloaded=").append(r.downloaded());
        b.append("&left=").append(r.left());
        b.append("&compact=1");
        if (r.event() != AnnounceRequest.Event.NONE) {
            b.append("&event=").append(r.event().text());
        }
        if (r.numWant() >= 0) {
            b.append("&numwant=").append(r.numWant());
        }
        b.append("&key=").append(Integer.toHexString(r.key()));
        if (r.trackerId() != null) {
            b.append("&trackerid=").append(percentEncode(r.trackerId().getBytes(StandardCharsets.UTF_8)));
        }
        return b.toString();
    }

    /**
     * The scrape URL of an announce URL (BEP 48's convention): the last path element
     * {@code announce...} becomes {@code scrape...}; empty if the tracker cannot scrape.
     */
    public static java.util.Optional<String> scrapeUrl(String announceUrl) {
        int q = announceUrl.indexOf('?');
        String path = q < 0 ? announceUrl : announceUrl.substring(0, q);
        int slash = path.lastIndexOf('/');
        if (slash < 0 || !path.startsWith("announce", slash + 1)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(path.substring(0, slash + 1) + "scrape" + path.substring(slash + 1 + "announce".length())
                + (q < 0 ? "" : announceUrl.substring(q)));
    }

    /**
     * Decodes a tracker's answer ({@code what} names it in errors): a dictionary, unless it carries
     * a {@code failure reason}, which is thrown as the tracker's own refusal.
     */
    private static BDictionary dictionary(byte[] body, String what) throws TrackerException {
        BValue v;
        try {
            v = DECODER.decodePrefix(body, 0, body.length).value();
        } catch (BencodeException e) {
            throw new TrackerException("malformed " + what + ": " + e.getMessage(), false);
        }
        if (!(v instanceof BDictionary d)) {
            throw new TrackerException("malformed " + what + ": not a dictionary", false);
        }
        if (d.get("failure reason").orElse(null) instanceof BBytes reason) {
            throw new TrackerException(reason.asString(), true);
        }
        return d;
    }

    /** Parses a scrape response: the counts of {@code infoHash}, if the tracker listed it. */
    public static ScrapeResult parseScrape(byte[] body, byte[] infoHash) throws TrackerException {
        BDictionary d = dictionary(body, "scrape response");
        if (d.get("files").orElse(null) instanceof BDictionary files
                && files.get(BBytes.of(infoHash)).orElse(null) instanceof BDictionary f) {
            return new ScrapeResult((int) integer(f, "complete", 0), (int) integer(f, "incomplete", 0),
                    (int) integer(f, "downloaded", 0));
        }
        throw new TrackerException("the scrape response does not list the torrent", false);
    }

    /** Percent-encodes every byte but RFC 3986's unreserved characters. */
    public static String percentEncode(byte[] bytes) {
        StringBuilder b = new StringBuilder(bytes.length * 3);
        for (byte x : bytes) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    /** Parses a tracker's response body. */
    public static AnnounceResponse parseResponse(byte[] body) throws TrackerException {
        BDictionary d = dictionary(body, "tracker response");
        int interval = (int) Math.min(Integer.MAX_VALUE, integer(d, "interval", 1800));
        if (interval <= 0) {
            interval = 1800;
        }
        List<InetSocketAddress> peers = new ArrayList<>();
        Optional<BValue> p4 = d.get("peers");
        if (p4.isPresent() && p4.get() instanceof BBytes compact) {
            compactPeers(compact.bytes(), 4, peers);
        } else if (p4.isPresent() && p4.get() instanceof BList list) {
            for (BValue item : list) {
                if (peers.size() >= MAX_PEERS) {
                    break;
                }
                if (item instanceof BDictionary peer && peer.get("ip").orElse(null) instanceof BBytes ip
                        && peer.get("port").orElse(null) instanceof BInteger port && port.value() > 0 && port.value() < 65536) {
                    InetSocketAddress a = literal(ip.asString(), (int) port.value());
                    if (a != null) {
                        peers.add(a);
                    }
                }
            }
        }
        if (d.get("peers6").orElse(null) instanceof BBytes compact6) {
            compactPeers(compact6.bytes(), 16, peers);
        }
        return new AnnounceResponse(interval, (int) integer(d, "min interval", 0),
                d.get("tracker id").orElse(null) instanceof BBytes id ? Optional.of(id.asString()) : Optional.empty(),
                (int) integer(d, "complete", -1), (int) integer(d, "incomplete", -1), peers,
                d.get("warning message").orElse(null) instanceof BBytes w ? Optional.of(w.asString()) : Optional.empty());
    }

    private static long integer(BDictionary d, String key, long fallback) {
        return d.get(key).orElse(null) instanceof BInteger i ? i.value() : fallback;
    }

    /** Compact peers: address bytes then a big-endian port, repeated (BEP 23 and BEP 7). */
    public static void compactPeers(byte[] bytes, int addressLength, List<InetSocketAddress> out) {
        int entry = addressLength + 2;
        for (int i = 0; i + entry <= bytes.length && out.size() < MAX_PEERS; i += entry) {
            int port = ((bytes[i + addressLength] & 0xff) << 8) | (bytes[i + addressLength + 1] & 0xff);
            if (port == 0) {
                continue;
            }
            try {
                byte[] addr = java.util.Arrays.copyOfRange(bytes, i, i + addressLength);
                out.add(new InetSocketAddress(InetAddress.getByAddress(addr), port));
            } catch (UnknownHostException e) {
                throw new AssertionError("4 or 16 bytes are always an address", e);
            }
        }
    }

    /** An address from an IP literal, never a DNS lookup (a tracker's dictionary peers could name hosts). */
    private static InetSocketAddress literal(String ip, int port) {
        byte[] addr = parseIpLiteral(ip);
        if (addr == null) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(addr), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static byte[] parseIpLiteral(String ip) {
        String[] parts = ip.split("\\.", -1);
        if (parts.length == 4) {
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                    return null;
                }
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            }
            return b;
        }
        if (ip.indexOf(':') >= 0 && ip.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':')) {
            try {
                return InetAddress.getByName(ip).getAddress(); // a v6 literal: no lookup happens
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }
}
