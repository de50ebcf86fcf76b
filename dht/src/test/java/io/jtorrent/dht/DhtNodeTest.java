package io.jtorrent.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One node driven by hand: spoofed replies, floods, bad tokens, malformed queries. */
class DhtNodeTest {
    private final Random r = new Random(9);
    private final List<byte[]> sent = new ArrayList<>();
    private final List<InetSocketAddress> to = new ArrayList<>();
    private long now;
    private final DhtNode node = new DhtNode(NodeId.random(r), (d, a) -> {
        sent.add(d);
        to.add(a);
    }, () -> now, new Random(1));
    private final InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 5000);
    private final InetSocketAddress other = new InetSocketAddress("127.0.0.1", 5001);

    private KrpcMessage lastSent() throws KrpcException {
        return KrpcCodec.decode(sent.get(sent.size() - 1));
    }

    @Test
    void aReplyFromAnotherAddressThanTheQueriedOneIsIgnored() throws Exception {
        NodeId peerId = NodeId.random(r);
        List<DhtNode.Lookup> done = new ArrayList<>();
        node.bootstrap(List.of(peer), done::add);
        KrpcMessage.Query q = (KrpcMessage.Query) lastSent();
        // the right transaction id, from the wrong address: dropped
        node.receive(KrpcCodec.encode(new KrpcMessage.Response(q.transactionId(), NodeId.random(r), List.of(), List.of(), null, null)), other);
        assertThat(node.table().size()).isZero();
        // from the queried address: taken
        node.receive(KrpcCodec.encode(new KrpcMessage.Response(q.transactionId(), peerId, List.of(), List.of(), null, null)), peer);
        assertThat(node.table().size()).isEqualTo(1);
        // a replay of the same reply matches nothing any more
        node.receive(KrpcCodec.encode(new KrpcMessage.Response(q.transactionId(), NodeId.random(r), List.of(), List.of(), null, null)), peer);
        assertThat(node.table().size()).isEqualTo(1);
    }

    @Test
    void announcesNeedTheTokenGivenToThatAddress() throws Exception {
        NodeId hash = NodeId.random(r);
        node.receive(KrpcCodec.encode(KrpcMessage.Query.getPeers(new byte[] {1}, NodeId.random(r), hash)), peer);
        byte[] token = ((KrpcMessage.Response) lastSent()).token();
        // tokens bind the querier's IP (BEP 5); a forged one is refused
        node.receive(KrpcCodec.encode(KrpcMessage.Query.announcePeer(new byte[] {3}, NodeId.random(r), hash, 7000, new byte[] {9}, false)), peer);
        assertThat(((KrpcMessage.Error) lastSent()).code()).isEqualTo(203);
        node.receive(KrpcCodec.encode(KrpcMessage.Query.announcePeer(new byte[] {4}, NodeId.random(r), hash, 7000, token, false)), peer);
        assertThat(lastSent()).isInstanceOf(KrpcMessage.Response.class);
        node.receive(KrpcCodec.encode(KrpcMessage.Query.getPeers(new byte[] {5}, NodeId.random(r), hash)), other);
        assertThat(((KrpcMessage.Response) lastSent()).values()).containsExactly(new InetSocketAddress("127.0.0.1", 7000));
    }

    @Test
    void malformedQueriesGetErrorsAndFloodsAreCutOff() throws Exception {
        node.receive("d1:ad2:id20:abcdefghij0123456789e1:q4:vote1:t2:zz1:y1:qe".getBytes(), peer);
        assertThat(((KrpcMessage.Error) lastSent()).code()).isEqualTo(204);
        int before = sent.size();
        node.receive("not bencode at all".getBytes(), peer);
        assertThat(sent).hasSize(before); // nothing to answer to
        for (int i = 0; i < 1000; i++) {
            node.receive(KrpcCodec.encode(KrpcMessage.Query.ping(new byte[] {(byte) i, 1}, NodeId.random(r))), other);
        }
        assertThat(node.queriesDropped()).isGreaterThan(700);
        now += 10 * DhtNode.SECOND; // the budget refills
        int count = sent.size();
        node.receive(KrpcCodec.encode(KrpcMessage.Query.ping(new byte[] {7, 7}, NodeId.random(r))), other);
        assertThat(sent).hasSize(count + 1);
    }

    @Test
    void withVerificationNodesWhoseIdsDoNotMatchTheirAddressesStayOutOfTheTable() throws Exception {
        node.verifyNodeIds(true);
        InetSocketAddress publicPeer = new InetSocketAddress(java.net.InetAddress.getByName("124.31.75.21"), 6881);
        node.receive(KrpcCodec.encode(KrpcMessage.Query.ping(new byte[] {1}, NodeId.random(r))), publicPeer);
        assertThat(node.table().size()).isZero();
        assertThat(lastSent()).isInstanceOf(KrpcMessage.Response.class); // still answered
        node.receive(KrpcCodec.encode(KrpcMessage.Query.ping(new byte[] {2},
                NodeId.bep42(publicPeer.getAddress(), r))), publicPeer);
        assertThat(node.table().size()).isEqualTo(1);
        node.receive(KrpcCodec.encode(KrpcMessage.Query.ping(new byte[] {3}, NodeId.random(r))), peer); // loopback exempt
        assertThat(node.table().size()).isEqualTo(2);
    }

    /** Answers a node gives to {@code queries} pings spread over {@code ports} source ports of one public address. */
    private static int answersTo(int ports, int queries, boolean malformed) throws Exception {
        List<byte[]> out = new ArrayList<>();
        Random rr = new Random(5);
        DhtNode n = new DhtNode(NodeId.random(rr), (d, a) -> out.add(d), () -> 0L, new Random(1));
        java.net.InetAddress attacker = java.net.InetAddress.getByName("198.51.100.7"); // no packet leaves: the transport is a list
        for (int i = 0; i < queries; i++) {
            InetSocketAddress from = new InetSocketAddress(attacker, 40000 + i % ports);
            byte[] q = malformed ? ("d1:ad2:id20:abcdefghij0123456789e1:q4:vote1:t2:" + (char) ('a' + i % 26) + "z1:y1:qe").getBytes()
                    : KrpcCodec.encode(KrpcMessage.Query.ping(new byte[] {(byte) i, (byte) (i >> 8)}, NodeId.random(rr)));
            n.receive(q, from);
        }
        return out.size();
    }

    @Test
    void twelveSourcePortsOfOneAddressGetNoMoreAnswersThanOne() throws Exception {
        int onePort = answersTo(1, 1000, false);
        int twelvePorts = answersTo(12, 1000, false);
        assertThat(onePort).isLessThanOrEqualTo(2 * DhtNode.QUERIES_PER_SECOND_PER_SOURCE);
        assertThat(twelvePorts).isEqualTo(onePort);
        // malformed queries are answered with errors out of the same budget
        assertThat(answersTo(12, 1000, true)).isEqualTo(onePort);
    }

    @Test
    void oneAddressCannotFillTheRoutingTableNorOneNetwork() throws Exception {
        RoutingTable t = new RoutingTable(NodeId.random(r));
        for (int port = 1; port <= 50; port++) {
            t.heardFrom(new NodeInfo(NodeId.random(r), new InetSocketAddress(java.net.InetAddress.getByName("203.0.113.5"), port)), 0);
        }
        assertThat(t.size()).isEqualTo(RoutingTable.MAX_PER_ADDRESS);
        for (int host = 6; host < 60; host++) {
            t.heardFrom(new NodeInfo(NodeId.random(r), new InetSocketAddress(java.net.InetAddress.getByName("203.0.113." + host), 6881)), 0);
        }
        assertThat(t.size()).isEqualTo(RoutingTable.MAX_PER_NETWORK);
        t.heardFrom(new NodeInfo(NodeId.random(r), new InetSocketAddress(java.net.InetAddress.getByName("192.0.2.1"), 6881)), 0);
        assertThat(t.size()).isEqualTo(RoutingTable.MAX_PER_NETWORK + 1);
    }

    @Test
    void junkAnnouncesFromOneAddressAreRateLimitedAndCannotLockOutOthers() throws Exception {
        InetSocketAddress junk = new InetSocketAddress(java.net.InetAddress.getByName("198.51.100.9"), 6881);
        int stored = 0;
        for (int i = 0; i < 100; i++) {
            NodeId hash = NodeId.random(r);
            node.receive(KrpcCodec.encode(KrpcMessage.Query.getPeers(new byte[] {1, (byte) i}, NodeId.random(r), hash)), junk);
            byte[] token = ((KrpcMessage.Response) lastSent()).token();
            node.receive(KrpcCodec.encode(KrpcMessage.Query.announcePeer(new byte[] {2, (byte) i}, NodeId.random(r), hash, 7000,
                    token, false)), junk);
            if (lastSent() instanceof KrpcMessage.Response) {
                stored++;
            }
        }
        assertThat(stored).isEqualTo(2 * DhtNode.ANNOUNCES_PER_MINUTE_PER_SOURCE);
        // an honest announce from elsewhere is stored and found
        NodeId real = NodeId.random(r);
        node.receive(KrpcCodec.encode(KrpcMessage.Query.getPeers(new byte[] {3}, NodeId.random(r), real)), peer);
        byte[] token = ((KrpcMessage.Response) lastSent()).token();
        node.receive(KrpcCodec.encode(KrpcMessage.Query.announcePeer(new byte[] {4}, NodeId.random(r), real, 7001, token, false)), peer);
        assertThat(lastSent()).isInstanceOf(KrpcMessage.Response.class);
        node.receive(KrpcCodec.encode(KrpcMessage.Query.getPeers(new byte[] {5}, NodeId.random(r), real)), other);
        assertThat(((KrpcMessage.Response) lastSent()).values()).containsExactly(new InetSocketAddress("127.0.0.1", 7001));
    }
}
