package io.jtorrent.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A DHT node: its id and UDP address. Compact form (BEP 5): 26 bytes for IPv4, 38 for IPv6 (BEP 32). */
public record NodeInfo(NodeId id, InetSocketAddress address) {

    public static byte[] compact(List<NodeInfo> nodes) {
        int size = 0;
        for (NodeInfo n : nodes) {
            size += 20 + n.address.getAddress().getAddress().length + 2;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        for (NodeInfo n : nodes) {
            b.put(n.id.bytes()).put(n.address.getAddress().getAddress()).putShort((short) n.address.getPort());
        }
        return b.array();
    }

    /**
     * Parses compact node infos of {@code addressLength} (4 or 16) bytes each; a field whose
     * length is not a multiple of the entry size is malformed.
     */
    public static List<NodeInfo> parseCompact(byte[] data, int addressLength, int max) throws KrpcException {
        int entry = 20 + addressLength + 2;
        if (data.length % entry != 0) {
            throw new KrpcException(203, "nodes field of " + data.length + " bytes is not a multiple of " + entry);
        }
        List<NodeInfo> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining() && out.size() < max) {
            byte[] id = new byte[20];
            byte[] addr = new byte[addressLength];
            b.get(id).get(addr);
            int port = Short.toUnsignedInt(b.getShort());
            if (port == 0) {
                continue;
            }
            try {
                out.add(new NodeInfo(NodeId.of(id), new InetSocketAddress(InetAddress.getByAddress(addr), port)));
            } catch (UnknownHostException e) {
                throw new KrpcException(203, "bad address in nodes");
            }
        }
        return out;
    }
}
