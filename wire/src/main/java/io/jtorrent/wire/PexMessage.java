package io.jtorrent.wire;

import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BencodeEncoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A peer exchange message ({@code ut_pex}, BEP 11): peers the sender connected to and dropped
 * since its last message, in compact form ({@code added}/{@code added6}, 6 or 18 bytes each, with
 * one flag byte each in {@code added.f}/{@code added6.f}; {@code dropped}/{@code dropped6}).
 *
 * <p>Limits checked when decoding: each list a whole number of entries, at most
 * {@value #MAX_PEERS} peers per list (BEP 11 asks senders for at most 50 added and 50 dropped),
 * no port 0. A flags list of the wrong length is ignored (flags are hints).
 *
 * @param added peers connected since the last message, with their flags
 * @param dropped peers disconnected since the last message
 */
public record PexMessage(List<Peer> added, List<InetSocketAddress> dropped) {
    public static final int MAX_PEERS = 200;
    /** The peer prefers encrypted connections. */
    public static final int FLAG_ENCRYPTION = 0x01;
    /** The peer is a seed or only uploads. */
    public static final int FLAG_SEED = 0x02;
    /** The peer supports uTP. */
    public static final int FLAG_UTP = 0x04;
    /** The peer supports the holepunch extension. */
    public static final int FLAG_HOLEPUNCH = 0x08;
    /** The sender's connection to the peer was outgoing: the address is reachable. */
    public static final int FLAG_REACHABLE = 0x10;

    /** A peer and its flags. */
    public record Peer(InetSocketAddress address, int flags) {}

    public PexMessage {
        added = List.copyOf(added);
        dropped = List.copyOf(dropped);
    }

    public static PexMessage decode(byte[] payload) throws PeerProtocolException {
        BDictionary d = (BDictionary) ExtensionPayload.dictionary(payload, "ut_pex").value();
        List<Peer> added = new ArrayList<>();
        addAll(added, d, "added", 4);
        addAll(added, d, "added6", 16);
        List<InetSocketAddress> dropped = new ArrayList<>();
        for (Peer p : peers(d, "dropped", 4)) {
            dropped.add(p.address());
        }
        for (Peer p : peers(d, "dropped6", 16)) {
            dropped.add(p.address());
        }
        return new PexMessage(added, dropped);
    }

    private static void addAll(List<Peer> out, BDictionary d, String key, int addressLength) throws PeerProtocolException {
        List<Peer> peers = peers(d, key, addressLength);
        Optional<byte[]> flags = ExtensionPayload.bytes(d, key + ".f").filter(f -> f.length == peers.size());
        for (int i = 0; i < peers.size(); i++) {
            int f = flags.isPresent() ? flags.get()[i] & 0xff : 0;
            out.add(new Peer(peers.get(i).address(), f));
        }
    }

    private static List<Peer> peers(BDictionary d, String key, int addressLength) throws PeerProtocolException {
        if (d.get(key).isEmpty()) {
            return List.of();
        }
        byte[] b = ExtensionPayload.bytes(d, key)
                .orElseThrow(() -> new PeerProtocolException("ut_pex: " + key + " is not a byte string"));
        int entry = addressLength + 2;
        if (b.length % entry != 0) {
            throw new PeerProtocolException("ut_pex: " + key + " of " + b.length + " bytes is not a multiple of " + entry);
        }
        if (b.length / entry > MAX_PEERS) {
            throw new PeerProtocolException("ut_pex: " + key + " lists " + b.length / entry + " peers, more than " + MAX_PEERS);
        }
        List<Peer> out = new ArrayList<>();
        for (int off = 0; off < b.length; off += entry) {
            byte[] ip = java.util.Arrays.copyOfRange(b, off, off + addressLength);
            int port = ((b[off + addressLength] & 0xff) << 8) | (b[off + addressLength + 1] & 0xff);
            if (port == 0) {
                throw new PeerProtocolException("ut_pex: " + key + " has a peer with port 0");
            }
            try {
                out.add(new Peer(new InetSocketAddress(InetAddress.getByAddress(ip), port), 0));
            } catch (UnknownHostException e) {
                throw new AssertionError(e); // 4 or 16 bytes always make an address
            }
        }
        return out;
    }

    public byte[] encode() {
        java.io.ByteArrayOutputStream a4 = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream f4 = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream a6 = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream f6 = new java.io.ByteArrayOutputStream();
        for (Peer p : added) {
            boolean v4 = p.address().getAddress().getAddress().length == 4;
            compact(v4 ? a4 : a6, p.address());
            (v4 ? f4 : f6).write(p.flags());
        }
        java.io.ByteArrayOutputStream d4 = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream d6 = new java.io.ByteArrayOutputStream();
        for (InetSocketAddress a : dropped) {
            compact(a.getAddress().getAddress().length == 4 ? d4 : d6, a);
        }
        BDictionary.Builder b = BDictionary.builder();
        for (Map.Entry<String, java.io.ByteArrayOutputStream> e : Map.of("added", a4, "added.f", f4, "added6", a6,
                "added6.f", f6, "dropped", d4, "dropped6", d6).entrySet()) {
            b.put(e.getKey(), e.getValue().toByteArray());
        }
        return BencodeEncoder.encode(b.build());
    }

    private static void compact(java.io.ByteArrayOutputStream out, InetSocketAddress a) {
        out.writeBytes(a.getAddress().getAddress());
        out.write(a.getPort() >>> 8);
        out.write(a.getPort() & 0xff);
    }
}
