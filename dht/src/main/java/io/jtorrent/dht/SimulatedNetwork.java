package io.jtorrent.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * An in-memory network for DHT simulations (tests and the DHT benchmark): nodes exchange datagrams through a queue ordered by a
 * virtual clock, with a random delay each. Nothing touches a real socket; addresses are labels
 * (127.0.0.1 and a port per node). Deterministic for a given seed.
 */
public final class SimulatedNetwork {
    private record Delivery(long at, long seq, byte[] datagram, InetSocketAddress from, InetSocketAddress to) {}

    private final PriorityQueue<Delivery> queue = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final Map<InetSocketAddress, DhtNode> nodes = new HashMap<>();
    private final Random random;
    private long now;
    private long seq;
    private long datagrams;

    /** Datagrams sent so far. */
    public long datagrams() {
        return datagrams;
    }

    public SimulatedNetwork(long seed) {
        this.random = new Random(seed);
    }

    public long now() {
        return now;
    }

    /** A new node at 127.0.0.1:{@code port} (a label: no socket is opened). */
    public DhtNode add(int port) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        DhtNode node = new DhtNode(NodeId.random(random), (d, to) -> send(d, address, to), this::now, new Random(random.nextLong()));
        nodes.put(address, node);
        return node;
    }

    /** The node at {@code address} stops: datagrams to it are lost. */
    public void kill(InetSocketAddress address) {
        nodes.remove(address);
    }

    public InetSocketAddress addressOf(DhtNode n) {
        for (var e : nodes.entrySet()) {
            if (e.getValue() == n) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("not in the network");
    }

    private void send(byte[] datagram, InetSocketAddress from, InetSocketAddress to) {
        datagrams++;
        long delay = 5_000_000L + (long) (random.nextDouble() * 45_000_000L); // 5..50 ms
        queue.add(new Delivery(now + delay, seq++, datagram, from, to));
    }

    /** Runs the network for {@code nanos} of virtual time, ticking every node once a virtual second. */
    public void run(long nanos) {
        long end = now + nanos;
        long nextTick = (now / DhtNode.TICK + 1) * DhtNode.TICK;
        while (true) {
            Delivery d = queue.peek();
            long next = Math.min(d == null ? Long.MAX_VALUE : d.at, nextTick);
            if (next > end) {
                now = end;
                return;
            }
            now = next;
            if (d != null && d.at == next) {
                queue.poll();
                DhtNode target = nodes.get(d.to);
                if (target != null) {
                    target.receive(d.datagram, d.from);
                }
            } else {
                for (DhtNode n : nodes.values().toArray(new DhtNode[0])) {
                    n.tick();
                }
                nextTick += DhtNode.TICK;
            }
        }
    }

    /** Runs until {@code condition} holds, at most {@code nanos}. */
    public boolean runUntil(long nanos, java.util.function.BooleanSupplier condition) {
        long end = now + nanos;
        while (now < end) {
            run(Math.min(DhtNode.SECOND / 10, end - now));
            if (condition.getAsBoolean()) {
                return true;
            }
        }
        return condition.getAsBoolean();
    }

    public java.util.Collection<DhtNode> nodes() {
        return nodes.values();
    }
}
