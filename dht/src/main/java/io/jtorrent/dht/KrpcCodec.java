package io.jtorrent.dht;

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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * KRPC over bencode (BEP 5, with BEP 32's {@code nodes6} and BEP 43's {@code ro}).
 *
 * <p>Limits: a datagram of at most {@value #MAX_DATAGRAM} bytes, bencode depth 8 and 2,000
 * values, at most {@value #MAX_NODES} nodes and {@value #MAX_VALUES} peer values kept from a
 * response; anything else malformed is a {@link KrpcException} with the code to answer with.
 */
public final class KrpcCodec {
    public static final int MAX_DATAGRAM = 1500;
    public static final int MAX_NODES = 64;
    public static final int MAX_VALUES = 200;
    private static final BencodeDecoder DECODER = new BencodeDecoder(BencodeDecoder.Limits.DEFAULT
            .withMaxInputBytes(MAX_DATAGRAM).withMaxDepth(8).withMaxTokens(2000).withLenientKeyOrder(true));
    /** The client version we put in {@code v}: "JT" and version 0.1. */
    private static final byte[] VERSION = {'J', 'T', 0, 1};

    private KrpcCodec() {}

    public static byte[] encode(KrpcMessage m) {
        BDictionary.Builder d = BDictionary.builder().put("t", m.transactionId()).put("v", VERSION);
        if (m instanceof KrpcMessage.Query q) {
            BDictionary.Builder a = BDictionary.builder().put("id", q.sender().bytes());
            switch (q.method()) {
                case FIND_NODE -> a.put("target", q.target().bytes());
                case GET_PEERS -> a.put("info_hash", q.target().bytes());
                case ANNOUNCE_PEER -> {
                    a.put("info_hash", q.target().bytes()).put("port", q.port()).put("token", q.token());
                    if (q.impliedPort()) {
                        a.put("implied_port", 1);
                    }
                }
                default -> { }
            }
            if (q.want() != 0) {
                List<BValue> want = new ArrayList<>();
                if ((q.want() & KrpcMessage.Query.WANT_N4) != 0) {
                    want.add(BBytes.of("n4"));
                }
                if ((q.want() & KrpcMessage.Query.WANT_N6) != 0) {
                    want.add(BBytes.of("n6"));
                }
                a.put("want", BList.of(want));
            }
            d.put("y", "q").put("q", q.method().wire).put("a", a.build());
            if (q.readOnly()) {
                d.put("ro", 1);
            }
        } else if (m instanceof KrpcMessage.Response r) {
            BDictionary.Builder rd = BDictionary.builder().put("id", r.sender().bytes());
            List<NodeInfo> v4 = new ArrayList<>();
            List<NodeInfo> v6 = new ArrayList<>();
            for (NodeInfo n : r.nodes()) {
                (n.address().getAddress().getAddress().length == 4 ? v4 : v6).add(n);
            }
            if (!v4.isEmpty()) {
                rd.put("nodes", NodeInfo.compact(v4));
            }
            if (!v6.isEmpty()) {
                rd.put("nodes6", NodeInfo.compact(v6));
            }
            if (!r.values().isEmpty()) {
                List<BValue> values = new ArrayList<>();
                for (InetSocketAddress a : r.values()) {
                    byte[] ip = a.getAddress().getAddress();
                    values.add(BBytes.of(ByteBuffer.allocate(ip.length + 2).put(ip).putShort((short) a.getPort()).array()));
                }
                rd.put("values", BList.of(values));
            }
            if (r.token() != null) {
                rd.put("token", r.token());
            }
            d.put("y", "r").put("r", rd.build());
            if (r.yourIp() != null) {
                byte[] ip = r.yourIp().getAddress().getAddress();
                d.put("ip", ByteBuffer.allocate(ip.length + 2).put(ip).putShort((short) r.yourIp().getPort()).array());
            }
        } else {
            KrpcMessage.Error e = (KrpcMessage.Error) m;
            d.put("y", "e").put("e", BList.of(BInteger.of(e.code()), BBytes.of(e.message())));
        }
        return d.build().encode();
    }

    /**
     * Decodes a datagram.
     *
     * @throws KrpcException with the code to answer (if the transaction id could be read, see
     *     {@link #transactionIdOf})
     */
    public static KrpcMessage decode(byte[] datagram) throws KrpcException {
        if (datagram.length > MAX_DATAGRAM) {
            throw new KrpcException(203, "datagram of " + datagram.length + " bytes");
        }
        BDictionary d;
        try {
            if (!(DECODER.decodePrefix(datagram, 0, datagram.length).value() instanceof BDictionary dict)) {
                throw new KrpcException(203, "not a dictionary");
            }
            d = dict;
        } catch (BencodeException e) {
            throw new KrpcException(203, "invalid bencode: " + e.getMessage());
        }
        byte[] tid = bytes(d, "t", "transaction id");
        if (tid.length == 0 || tid.length > KrpcMessage.MAX_TRANSACTION_ID) {
            throw new KrpcException(203, "transaction id of " + tid.length + " bytes");
        }
        String y = string(d, "y");
        switch (y) {
            case "q" -> {
                String name = string(d, "q");
                KrpcMessage.Method method = KrpcMessage.Method.of(name);
                if (method == null) {
                    throw new KrpcException(204, "method unknown: " + name);
                }
                if (!(d.get("a").orElse(null) instanceof BDictionary a)) {
                    throw new KrpcException(203, "query without arguments");
                }
                NodeId sender = id(a, "id");
                boolean ro = d.get("ro").orElse(null) instanceof BInteger i && i.value() == 1;
                int want = 0;
                if (a.get("want").orElse(null) instanceof BList w) {
                    for (BValue v : w) {
                        if (v.equals(BBytes.of("n4"))) {
                            want |= KrpcMessage.Query.WANT_N4;
                        } else if (v.equals(BBytes.of("n6"))) {
                            want |= KrpcMessage.Query.WANT_N6;
                        }
                    }
                }
                KrpcMessage.Query parsed = switch (method) {
                    case PING -> new KrpcMessage.Query(tid, method, sender, null, 0, null, false, ro);
                    case FIND_NODE -> new KrpcMessage.Query(tid, method, sender, id(a, "target"), 0, null, false, ro);
                    case GET_PEERS -> new KrpcMessage.Query(tid, method, sender, id(a, "info_hash"), 0, null, false, ro);
                    case ANNOUNCE_PEER -> {
                        long port = a.get("port").orElse(null) instanceof BInteger p ? p.value() : -1;
                        boolean implied = a.get("implied_port").orElse(null) instanceof BInteger ip && ip.value() == 1;
                        if (!implied && (port < 1 || port > 65535)) {
                            throw new KrpcException(203, "announce_peer with a bad port");
                        }
                        yield new KrpcMessage.Query(tid, method, sender, id(a, "info_hash"), (int) Math.max(0, port),
                                bytes(a, "token", "token"), implied, ro);
                    }
                };
                return want == 0 ? parsed : parsed.wanting(want);
            }
            case "r" -> {
                if (!(d.get("r").orElse(null) instanceof BDictionary r)) {
                    throw new KrpcException(203, "response without a body");
                }
                List<NodeInfo> nodes = new ArrayList<>();
                if (r.get("nodes").orElse(null) instanceof BBytes n) {
                    nodes.addAll(NodeInfo.parseCompact(n.bytes(), 4, MAX_NODES));
                }
                if (r.get("nodes6").orElse(null) instanceof BBytes n6) {
                    nodes.addAll(NodeInfo.parseCompact(n6.bytes(), 16, MAX_NODES));
                }
                List<InetSocketAddress> values = new ArrayList<>();
                if (r.get("values").orElse(null) instanceof BList vs) {
                    for (BValue v : vs) {
                        if (values.size() < MAX_VALUES && v instanceof BBytes b && (b.length() == 6 || b.length() == 18)) {
                            values.add(address(b.bytes()));
                        }
                    }
                }
                byte[] token = r.get("token").orElse(null) instanceof BBytes t ? t.bytes() : null;
                InetSocketAddress you = d.get("ip").orElse(null) instanceof BBytes ip && (ip.length() == 6 || ip.length() == 18)
                        ? address(ip.bytes()) : null;
                return new KrpcMessage.Response(tid, id(r, "id"), nodes, values, token, you);
            }
            case "e" -> {
                if (d.get("e").orElse(null) instanceof BList e && e.size() >= 2 && e.get(0) instanceof BInteger code
                        && e.get(1) instanceof BBytes msg) {
                    return new KrpcMessage.Error(tid, (int) code.value(), msg.asString());
                }
                throw new KrpcException(203, "malformed error message");
            }
            default -> throw new KrpcException(203, "unknown message type '" + y + "'");
        }
    }

    /** The transaction id of a datagram, if it can be read, to address an error reply. */
    public static byte[] transactionIdOf(byte[] datagram) {
        try {
            if (DECODER.decodePrefix(datagram, 0, Math.min(datagram.length, MAX_DATAGRAM)).value() instanceof BDictionary d
                    && d.get("t").orElse(null) instanceof BBytes t && t.length() > 0 && t.length() <= KrpcMessage.MAX_TRANSACTION_ID) {
                return t.bytes();
            }
        } catch (BencodeException e) {
            // unreadable: no reply
        }
        return null;
    }

    private static InetSocketAddress address(byte[] b) {
        try {
            byte[] ip = java.util.Arrays.copyOf(b, b.length - 2);
            int port = ((b[b.length - 2] & 0xff) << 8) | (b[b.length - 1] & 0xff);
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(BDictionary d, String key, String what) throws KrpcException {
        if (d.get(key).orElse(null) instanceof BBytes b) {
            return b.bytes();
        }
        throw new KrpcException(203, "missing or malformed " + what);
    }

    private static String string(BDictionary d, String key) throws KrpcException {
        return new String(bytes(d, key, "'" + key + "'"), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static NodeId id(BDictionary d, String key) throws KrpcException {
        byte[] b = bytes(d, key, "'" + key + "'");
        if (b.length != 20) {
            throw new KrpcException(203, "'" + key + "' must be 20 bytes, got " + b.length);
        }
        return NodeId.of(b);
    }
}
