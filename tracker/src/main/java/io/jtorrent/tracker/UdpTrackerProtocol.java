package io.jtorrent.tracker;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The UDP tracker protocol's packets (BEP 15), shared by the client and the server. Every parser
 * checks lengths before reading and throws {@link TrackerException} on anything malformed.
 */
public final class UdpTrackerProtocol {
    public static final long PROTOCOL_ID = 0x41727101980L;
    public static final int CONNECT = 0;
    public static final int ANNOUNCE = 1;
    public static final int SCRAPE = 2;
    public static final int ERROR = 3;
    /** The most info-hashes one scrape packet may carry (BEP 15: about 74 fit a safe datagram). */
    public static final int MAX_SCRAPE_HASHES = 74;

    private UdpTrackerProtocol() {}

    /** An announce as it travels over UDP. {@code event}: 0 none, 1 completed, 2 started, 3 stopped. */
    public record Announce(long connectionId, int transactionId, byte[] infoHash, byte[] peerId, long downloaded,
                           long left, long uploaded, int event, int ip, int key, int numWant, int port) {}

    public record AnnounceReply(int transactionId, int interval, int leechers, int seeders, List<InetSocketAddress> peers) {}

    public record ScrapeEntry(int seeders, int completed, int leechers) {}

    public static byte[] connectRequest(int transactionId) {
        return ByteBuffer.allocate(16).putLong(PROTOCOL_ID).putInt(CONNECT).putInt(transactionId).array();
    }

    public static byte[] connectReply(int transactionId, long connectionId) {
        return ByteBuffer.allocate(16).putInt(CONNECT).putInt(transactionId).putLong(connectionId).array();
    }

    public static byte[] announceRequest(Announce a) {
        return ByteBuffer.allocate(98).putLong(a.connectionId()).putInt(ANNOUNCE).putInt(a.transactionId())
                .put(a.infoHash()).put(a.peerId()).putLong(a.downloaded()).putLong(a.left()).putLong(a.uploaded())
                .putInt(a.event()).putInt(a.ip()).putInt(a.key()).putInt(a.numWant()).putShort((short) a.port()).array();
    }

    /** Parses an announce request (at least 98 bytes; BEP 41 options after them are ignored). */
    public static Announce parseAnnounce(ByteBuffer b) throws TrackerException {
        if (b.remaining() < 98) {
            throw new TrackerException("announce packet of " + b.remaining() + " bytes, at least 98 expected", false);
        }
        long connectionId = b.getLong();
        b.getInt();
        int transactionId = b.getInt();
        byte[] hash = new byte[20];
        byte[] peerId = new byte[20];
        b.get(hash).get(peerId);
        return new Announce(connectionId, transactionId, hash, peerId, b.getLong(), b.getLong(), b.getLong(), b.getInt(),
                b.getInt(), b.getInt(), b.getInt(), Short.toUnsignedInt(b.getShort()));
    }

    public static byte[] announceReply(int transactionId, int interval, int leechers, int seeders, List<byte[]> compactPeers) {
        int size = compactPeers.stream().mapToInt(p -> p.length).sum();
        ByteBuffer b = ByteBuffer.allocate(20 + size).putInt(ANNOUNCE).putInt(transactionId).putInt(interval)
                .putInt(leechers).putInt(seeders);
        compactPeers.forEach(b::put);
        return b.array();
    }

    /** Parses an announce reply; peers are 6 bytes each (IPv4) or 18 (IPv6), as {@code addressLength} says. */
    public static AnnounceReply parseAnnounceReply(ByteBuffer b, int addressLength) throws TrackerException {
        if (b.remaining() < 20) {
            throw new TrackerException("announce reply of " + b.remaining() + " bytes, at least 20 expected", false);
        }
        b.getInt();
        int tx = b.getInt();
        int interval = b.getInt();
        int leechers = b.getInt();
        int seeders = b.getInt();
        byte[] rest = new byte[b.remaining()];
        b.get(rest);
        List<InetSocketAddress> peers = new ArrayList<>();
        HttpAnnounce.compactPeers(rest, addressLength, peers);
        return new AnnounceReply(tx, interval, leechers, seeders, peers);
    }

    public static byte[] scrapeRequest(long connectionId, int transactionId, List<byte[]> infoHashes) {
        ByteBuffer b = ByteBuffer.allocate(16 + 20 * infoHashes.size()).putLong(connectionId).putInt(SCRAPE).putInt(transactionId);
        infoHashes.forEach(b::put);
        return b.array();
    }

    public static byte[] scrapeReply(int transactionId, List<ScrapeEntry> entries) {
        ByteBuffer b = ByteBuffer.allocate(8 + 12 * entries.size()).putInt(SCRAPE).putInt(transactionId);
        entries.forEach(e -> b.putInt(e.seeders()).putInt(e.completed()).putInt(e.leechers()));
        return b.array();
    }

    public static List<ScrapeEntry> parseScrapeReply(ByteBuffer b) throws TrackerException {
        if (b.remaining() < 8 || (b.remaining() - 8) % 12 != 0) {
            throw new TrackerException("scrape reply of " + b.remaining() + " bytes is malformed", false);
        }
        b.getInt();
        b.getInt();
        List<ScrapeEntry> out = new ArrayList<>();
        while (b.hasRemaining()) {
            out.add(new ScrapeEntry(b.getInt(), b.getInt(), b.getInt()));
        }
        return out;
    }

    public static byte[] error(int transactionId, String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + m.length).putInt(ERROR).putInt(transactionId).put(m).array();
    }

    /** The compact form of a peer: 4 or 16 address bytes and a 2-byte port. */
    public static byte[] compact(InetAddress address, int port) {
        byte[] a = address.getAddress();
        return ByteBuffer.allocate(a.length + 2).put(a).putShort((short) port).array();
    }

    static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
