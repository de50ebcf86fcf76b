package io.jtorrent.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private final Random r = new Random(5);
    private final NodeId self = NodeId.random(r);
    private int port = 1;

    private NodeInfo node(NodeId id) {
        return new NodeInfo(id, new InetSocketAddress("127.0.0.1", port++));
    }

    @Test
    void farBucketsHoldKAndTheRestWaitsInTheReplacementCache() {
        RoutingTable t = new RoutingTable(self);
        // 12 nodes sharing no prefix bit with us: one bucket of 8 after the splits
        for (int i = 0; i < 12; i++) {
            t.heardFrom(node(self.randomWithPrefix(0, r)), 0);
        }
        assertThat(t.closest(self.randomWithPrefix(0, r), 100)).hasSize(RoutingTable.K);
        // nodes near us split our bucket and all fit
        for (int i = 1; i <= 20; i++) {
            t.heardFrom(node(self.randomWithPrefix(i, r)), 0);
        }
        assertThat(t.size()).isEqualTo(RoutingTable.K + 20);
        assertThat(t.bucketCount()).isGreaterThan(10);
    }

    @Test
    void aNodeThatFailsTwiceLeavesAndAWaitingOneTakesItsPlace() {
        RoutingTable t = new RoutingTable(self);
        List<NodeInfo> far = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            NodeInfo n = node(self.randomWithPrefix(0, r));
            far.add(n);
            t.heardFrom(n, 0);
        }
        NodeInfo first = t.closest(far.get(0).id(), 100).stream().filter(far::contains).findFirst().orElseThrow();
        t.failed(first);
        assertThat(t.entries()).anyMatch(e -> e.node().equals(first));
        t.failed(first);
        assertThat(t.entries()).noneMatch(e -> e.node().equals(first));
        assertThat(t.entries()).anyMatch(e -> e.node().equals(far.get(8))).as("the waiting node took the place");
    }

    @Test
    void duplicatesAndOurselvesAreRefused() {
        RoutingTable t = new RoutingTable(self);
        NodeInfo a = node(NodeId.random(r));
        t.heardFrom(a, 0);
        t.heardFrom(new NodeInfo(a.id(), new InetSocketAddress("127.0.0.1", 9999)), 0); // same id, other address
        t.heardFrom(new NodeInfo(NodeId.random(r), a.address()), 0);                    // same address, other id
        t.heardFrom(new NodeInfo(self, new InetSocketAddress("127.0.0.1", 7)), 0);
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void silentNodesArePingedOnceAMinuteAndStaleBucketsRefreshed() {
        RoutingTable t = new RoutingTable(self);
        t.heardFrom(node(NodeId.random(r)), 0);
        long later = RoutingTable.QUESTIONABLE_NANOS + 1;
        assertThat(t.toPing(later)).hasSize(1);
        assertThat(t.toPing(later + 1)).isEmpty();
        assertThat(t.staleBucketTarget(later, r)).isNotNull();
        assertThat(t.staleBucketTarget(later, r)).as("refreshed now").isNull();
    }
}
