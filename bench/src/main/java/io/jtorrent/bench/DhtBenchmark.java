package io.jtorrent.bench;

import io.jtorrent.dht.DhtNode;
import io.jtorrent.dht.KrpcCodec;
import io.jtorrent.dht.KrpcMessage;
import io.jtorrent.dht.NodeId;
import io.jtorrent.dht.SimulatedNetwork;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * DHT figures: (1) lookups in a simulated network of N real nodes over an in-memory transport
 * (5-50 ms per datagram): rounds, queries and virtual latency per get_peers; (2) the CPU one node
 * spends answering queries (decode, routing-table update, answer, encode), as CPU-seconds per
 * 1,000 queries — that is, the share of a core 1,000 incoming queries a second cost (UDP socket
 * costs not included).
 *
 * <pre>DhtBenchmark [NODES=500] [LOOKUPS=200] [QUERIES=200000]</pre>
 */
public final class DhtBenchmark {
    private DhtBenchmark() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int lookups = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int queries = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        simulate(n, lookups);
        cpuPerQuery(queries);
    }

    private static void simulate(int n, int lookups) {
        Random r = new Random(11);
        SimulatedNetwork net = new SimulatedNetwork(11);
        List<DhtNode> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(net.add(20000 + i));
        }
        for (int i = 1; i < n; i++) {
            list.get(i).bootstrap(List.of(net.addressOf(list.get(r.nextInt(i))), net.addressOf(list.get(r.nextInt(i)))), l -> { });
            net.run(200_000_000L);
        }
        net.run(60_000_000_000L);
        List<Integer> rounds = new ArrayList<>();
        List<Integer> messages = new ArrayList<>();
        List<Long> latencies = new ArrayList<>();
        for (int k = 0; k < lookups; k++) {
            DhtNode node = list.get(r.nextInt(n));
            long start = net.now();
            DhtNode.Lookup[] out = new DhtNode.Lookup[1];
            long[] doneAt = {0};
            node.getPeers(NodeId.random(r), l -> {
                out[0] = l;
                doneAt[0] = net.now();
            });
            net.runUntil(60_000_000_000L, () -> out[0] != null);
            rounds.add(out[0].rounds());
            messages.add(out[0].messages());
            latencies.add(doneAt[0] - start);
        }
        rounds.sort(null);
        messages.sort(null);
        latencies.sort(null);
        System.out.printf(Locale.ROOT, "simulation: %d nodes, %d get_peers lookups: rounds median %d p90 %d; queries per lookup median %d p90 %d; "
                        + "latency median %.0f ms p90 %.0f ms (5-50 ms per datagram)%n",
                n, lookups, rounds.get(lookups / 2), rounds.get(lookups * 9 / 10), messages.get(lookups / 2),
                messages.get(lookups * 9 / 10), latencies.get(lookups / 2) / 1e6, latencies.get(lookups * 9 / 10) / 1e6);
    }

    private static void cpuPerQuery(int queries) {
        Random r = new Random(12);
        long[] clock = {0};
        DhtNode node = new DhtNode(NodeId.random(r), (d, to) -> { }, () -> clock[0], new Random(1));
        // a populated table first
        for (int i = 0; i < 300; i++) {
            InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 30000 + i);
            node.receive(KrpcCodec.encode(KrpcMessage.Query.ping(new byte[] {1, 1}, NodeId.random(r))), a);
        }
        byte[][] packets = new byte[1024][];
        InetSocketAddress[] from = new InetSocketAddress[1024];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = KrpcCodec.encode(i % 2 == 0 ? KrpcMessage.Query.getPeers(new byte[] {2, (byte) i}, NodeId.random(r), NodeId.random(r))
                    : KrpcMessage.Query.findNode(new byte[] {3, (byte) i}, NodeId.random(r), NodeId.random(r)));
            from[i] = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000 + i);
        }
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) { // the first round warms the JIT
            long cpu0 = bean.getCurrentThreadCpuTime();
            for (int i = 0; i < queries; i++) {
                clock[0] += 10_000_000L; // 10 ms apart: within every source's query budget, so all are answered
                node.receive(packets[i & 1023], from[i & 1023]);
            }
            double cpu = (bean.getCurrentThreadCpuTime() - cpu0) / 1e9;
            if (node.queriesDropped() > 0) {
                throw new IllegalStateException(node.queriesDropped() + " queries dropped: the measurement would be of drops");
            }
            if (round == 1) {
                System.out.printf(Locale.ROOT, "one node: %d queries (get_peers and find_node) answered in %.2f CPU-s: "
                        + "%.1f us each, %.3f CPU-s per 1,000 queries (%.1f%% of a core at 1,000 queries/s)%n",
                        queries, cpu, cpu * 1e6 / queries, cpu * 1000 / queries, cpu * 100_000 / queries);
            }
        }
    }
}
