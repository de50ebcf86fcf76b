package io.jtorrent.dht;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

/**
 * A KRPC message (BEP 5): a query, a response or an error, each with the transaction id the
 * querier chose. Immutable records validated in their constructors.
 */
public sealed interface KrpcMessage {
    /** Transaction ids are at most this long; longer ones are refused (they cost memory). */
    int MAX_TRANSACTION_ID = 16;

    byte[] transactionId();

    enum Method {
        PING("ping"), FIND_NODE("find_node"), GET_PEERS("get_peers"), ANNOUNCE_PEER("announce_peer");

        final String wire;

        Method(String wire) {
            this.wire = wire;
        }

        static Method of(String name) {
            for (Method m : values()) {
                if (m.wire.equals(name)) {
                    return m;
                }
            }
            return null;
        }
    }

    /**
     * @param target for find_node; the info-hash for get_peers and announce_peer
     * @param port for announce_peer
     * @param token for announce_peer, as get_peers gave it
     * @param impliedPort announce_peer's {@code implied_port}: use the packet's source port
     * @param readOnly BEP 43: the querier must not be added to routing tables
     * @param want BEP 32: which families of nodes to return, {@link #WANT_N4} and/or {@link #WANT_N6};
     *     0 for the querier's own family
     */
    record Query(byte[] transactionId, Method method, NodeId sender, NodeId target, int port, byte[] token,
                 boolean impliedPort, boolean readOnly, int want) implements KrpcMessage {
        public static final int WANT_N4 = 1;
        public static final int WANT_N6 = 2;

        public Query(byte[] transactionId, Method method, NodeId sender, NodeId target, int port, byte[] token,
                     boolean impliedPort, boolean readOnly) {
            this(transactionId, method, sender, target, port, token, impliedPort, readOnly, 0);
        }

        /** The same query asking for these families of nodes. */
        public Query wanting(int families) {
            return new Query(transactionId, method, sender, target, port, token, impliedPort, readOnly, families);
        }

        public Query {
            checkTid(transactionId);
            if ((method == Method.FIND_NODE || method == Method.GET_PEERS || method == Method.ANNOUNCE_PEER) && target == null) {
                throw new IllegalArgumentException(method.wire + " needs a target");
            }
        }

        public static Query ping(byte[] tid, NodeId sender) {
            return new Query(tid, Method.PING, sender, null, 0, null, false, false);
        }

        public static Query findNode(byte[] tid, NodeId sender, NodeId target) {
            return new Query(tid, Method.FIND_NODE, sender, target, 0, null, false, false);
        }

        public static Query getPeers(byte[] tid, NodeId sender, NodeId infoHash) {
            return new Query(tid, Method.GET_PEERS, sender, infoHash, 0, null, false, false);
        }

        public static Query announcePeer(byte[] tid, NodeId sender, NodeId infoHash, int port, byte[] token, boolean implied) {
            return new Query(tid, Method.ANNOUNCE_PEER, sender, infoHash, port, token, implied, false);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Query q && Arrays.equals(q.transactionId, transactionId) && q.method == method
                    && q.sender.equals(sender) && java.util.Objects.equals(q.target, target) && q.port == port
                    && Arrays.equals(q.token, token) && q.impliedPort == impliedPort && q.readOnly == readOnly
                    && q.want == want;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(transactionId) * 31 + method.hashCode();
        }
    }

    /**
     * @param nodes closer nodes (find_node, get_peers)
     * @param values peers for the info-hash (get_peers)
     * @param token to announce with (get_peers)
     * @param yourIp the address the responder saw us at ({@code ip}, BEP 42), or null
     */
    record Response(byte[] transactionId, NodeId sender, List<NodeInfo> nodes, List<InetSocketAddress> values,
                    byte[] token, InetSocketAddress yourIp) implements KrpcMessage {
        public Response {
            checkTid(transactionId);
            nodes = List.copyOf(nodes);
            values = List.copyOf(values);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Response r && Arrays.equals(r.transactionId, transactionId) && r.sender.equals(sender)
                    && r.nodes.equals(nodes) && r.values.equals(values) && Arrays.equals(r.token, token);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(transactionId) * 31 + sender.hashCode();
        }
    }

    record Error(byte[] transactionId, int code, String message) implements KrpcMessage {
        public Error {
            checkTid(transactionId);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Error e && Arrays.equals(e.transactionId, transactionId) && e.code == code
                    && e.message.equals(message);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(transactionId) * 31 + code;
        }
    }

    private static void checkTid(byte[] tid) {
        if (tid == null || tid.length == 0 || tid.length > MAX_TRANSACTION_ID) {
            throw new IllegalArgumentException("transaction id must be 1.." + MAX_TRANSACTION_ID + " bytes");
        }
    }
}
