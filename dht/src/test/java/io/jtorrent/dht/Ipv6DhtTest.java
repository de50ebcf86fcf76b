package io.jtorrent.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** BEP 32: an IPv6 node beside the IPv4 one, and {@code want} answered from the other table. */
class Ipv6DhtTest {
    @Test
    void wantIsAnsweredFromTheOtherFamilysTable() throws Exception {
        Random r = new Random(3);
        List<byte[]> sent = new ArrayList<>();
        DhtNode v4 = new DhtNode(NodeId.random(r), (d, to) -> sent.add(d), () -> 0, new Random(1));
        DhtNode v6 = new DhtNode(v4.id(), (d, to) -> sent.add(d), () -> 0, new Random(2));
        v6.ipv6(true);
        DhtNode.siblings(v4, v6);
        InetSocketAddress v6peer = new InetSocketAddress(InetAddress.getByName("::1"), 7000);
        v6.receive(KrpcCodec.encode(KrpcMessage.Query.ping(new byte[] {1}, NodeId.random(r))), v6peer);
        assertThat(v6.table().size()).isEqualTo(1);
        InetSocketAddress v4querier = new InetSocketAddress("127.0.0.1", 7001);
        v4.receive(KrpcCodec.encode(KrpcMessage.Query.findNode(new byte[] {2}, NodeId.random(r), NodeId.random(r))
                .wanting(KrpcMessage.Query.WANT_N4 | KrpcMessage.Query.WANT_N6)), v4querier);
        KrpcMessage.Response reply = (KrpcMessage.Response) KrpcCodec.decode(sent.get(sent.size() - 1));
        assertThat(reply.nodes()).extracting(NodeInfo::address).contains(v6peer);
        // without want, an IPv4 querier gets IPv4 nodes only
        v4.receive(KrpcCodec.encode(KrpcMessage.Query.findNode(new byte[] {3}, NodeId.random(r), NodeId.random(r))), v4querier);
        KrpcMessage.Response plain = (KrpcMessage.Response) KrpcCodec.decode(sent.get(sent.size() - 1));
        assertThat(plain.nodes()).extracting(NodeInfo::address).doesNotContain(v6peer);
    }

    @Test
    void peersAreFoundOverBothFamilies() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        Random r = new Random(4);
        try (DhtServer a = new DhtServer(v4, v6, NodeId.random(r));
             DhtServer b = new DhtServer(v4, v6, NodeId.random(r));
             DhtServer c = new DhtServer(v4, v6, NodeId.random(r))) {
            List<InetSocketAddress> viaA = List.of(a.address(), a.addressV6());
            b.bootstrap(viaA).get(20, TimeUnit.SECONDS);
            c.bootstrap(viaA).get(20, TimeUnit.SECONDS);
            NodeId hash = NodeId.random(r);
            b.announce(hash, 6881).get(20, TimeUnit.SECONDS);
            Thread.sleep(200); // the announce_peer messages are sent as the lookup ends
            DhtNode.Lookup found = c.getPeers(hash).get(20, TimeUnit.SECONDS);
            assertThat(found.peers()).contains(new InetSocketAddress(InetAddress.getLoopbackAddress(), 6881),
                    new InetSocketAddress(InetAddress.getByName("::1"), 6881));
            assertThat(a.status().get().nodes()).isGreaterThanOrEqualTo(4); // two peers in each family's table
        }
    }
}
