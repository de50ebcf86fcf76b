package io.jtorrent.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * 500 real nodes over an in-memory network: every get_peers for an announced info-hash finds the
 * announcer, lookups take few rounds, and after 20% of the nodes are replaced no routing table
 * holds duplicates or bad nodes.
 */
class DhtSimulationTest {
    private static final int N = 500;
    private static final long S = DhtNode.SECOND;

    @Test
    void fiveHundredNodes() {
        SimulatedNetwork net = new SimulatedNetwork(7);
        List<DhtNode> nodes = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            nodes.add(net.add(20000 + i));
        }
        // each node joins through a few nodes that joined before it
        Random r = new Random(3);
        for (int i = 1; i < N; i++) {
            List<InetSocketAddress> boot = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                boot.add(net.addressOf(nodes.get(r.nextInt(i))));
            }
            nodes.get(i).bootstrap(boot, l -> { });
            net.run(S / 5);
        }
        net.run(60 * S);
        for (DhtNode n : nodes) {
            assertThat(n.table().size()).as("routing table size").isGreaterThan(8);
        }

        // 40 nodes announce 40 info-hashes; 40 others look each up
        List<Integer> rounds = new ArrayList<>();
        int found = 0;
        for (int i = 0; i < 40; i++) {
            NodeId hash = NodeId.random(r);
            DhtNode announcer = nodes.get(r.nextInt(N));
            int port = 30000 + i;
            announcer.announce(hash, port, l -> { });
            net.run(10 * S);
            DhtNode seeker = nodes.get(r.nextInt(N));
            AtomicReference<DhtNode.Lookup> result = new AtomicReference<>();
            seeker.getPeers(hash, result::set);
            assertThat(net.runUntil(30 * S, () -> result.get() != null)).as("lookup ends").isTrue();
            InetSocketAddress expected = new InetSocketAddress(net.addressOf(announcer).getAddress(), port);
            if (result.get().peers().contains(expected)) {
                found++;
            }
            rounds.add(result.get().rounds());
        }
        assertThat(found).as("lookups that found the announcer").isEqualTo(40);
        rounds.sort(null);
        double median = rounds.get(rounds.size() / 2);
        double bound = Math.log(N) / Math.log(2) / 3 + 2;
        assertThat(median).as("median lookup rounds (bound %.2f)", bound).isLessThanOrEqualTo(bound);

        // churn: 20% die, as many join; after the 15-minute rule has run its course, no table holds
        // a bad node or a duplicate
        List<InetSocketAddress> dead = new ArrayList<>();
        for (int i = 0; i < N / 5; i++) {
            DhtNode victim = nodes.remove(r.nextInt(nodes.size()));
            InetSocketAddress a = net.addressOf(victim);
            net.kill(a);
            dead.add(a);
        }
        for (int i = 0; i < N / 5; i++) {
            DhtNode joiner = net.add(40000 + i);
            joiner.bootstrap(List.of(net.addressOf(nodes.get(r.nextInt(nodes.size())))), l -> { });
            nodes.add(joiner);
            net.run(S / 5);
        }
        net.run(20 * 60 * S);
        for (DhtNode n : nodes) {
            Set<NodeId> ids = new HashSet<>();
            Set<InetSocketAddress> addresses = new HashSet<>();
            for (RoutingTable.Entry e : n.table().entries()) {
                assertThat(ids.add(e.node().id())).as("duplicate id").isTrue();
                assertThat(addresses.add(e.node().address())).as("duplicate address").isTrue();
                assertThat(e.bad()).as("bad node in a table").isFalse();
                assertThat(dead).as("a dead node still in a table").doesNotContain(e.node().address());
            }
        }
        System.out.printf("DHT simulation: %d nodes, median rounds %.0f, %d datagrams%n", N, median, net.datagrams());
    }

    /**
     * Dead nodes left in the tables (the six closest the seeker knows just died) do not hold a lookup up: a
     * query unanswered for a second gives its place to the next node, and the peers of each answer
     * are handed over at once, long before the lookup's end (which waits out the dead ones' timeouts).
     */
    @Test
    void deadNodesDoNotHoldUpALookupAndPeersComeEarly() {
        SimulatedNetwork net = new SimulatedNetwork(11);
        List<DhtNode> nodes = new ArrayList<>();
        Random r = new Random(5);
        for (int i = 0; i < 120; i++) {
            nodes.add(net.add(21000 + i));
            if (i > 0) {
                nodes.get(i).bootstrap(List.of(net.addressOf(nodes.get(r.nextInt(i)))), l -> { });
            }
            net.run(S / 5);
        }
        net.run(60 * S);
        NodeId hash = NodeId.random(r);
        DhtNode announcer = nodes.get(0);
        announcer.announce(hash, 30000, l -> { });
        net.run(10 * S);
        DhtNode seeker = nodes.get(1);
        // the six nodes the seeker would ask first die, still in its table (and others' tables)
        for (NodeInfo n : seeker.table().closest(hash, 6)) {
            if (!n.address().equals(net.addressOf(announcer))) {
                net.kill(n.address());
            }
        }
        long start = net.now();
        AtomicReference<Long> firstPeerAt = new AtomicReference<>();
        AtomicReference<DhtNode.Lookup> result = new AtomicReference<>();
        seeker.announce(hash, 30001, peers -> firstPeerAt.compareAndSet(null, net.now()), result::set);
        assertThat(net.runUntil(60 * S, () -> result.get() != null)).as("the lookup ends").isTrue();
        InetSocketAddress expected = new InetSocketAddress(net.addressOf(announcer).getAddress(), 30000);
        assertThat(result.get().peers()).contains(expected);
        assertThat(firstPeerAt.get()).as("peers handed over early").isNotNull();
        double first = (firstPeerAt.get() - start) / (double) S;
        double end = (net.now() - start) / (double) S;
        System.out.printf("DHT with dead nodes: first peer after %.2f s, lookup ended after %.2f s%n", first, end);
        assertThat(first).as("seconds to the first peer").isLessThan(3.0);
    }
}
