package io.jtorrent.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Kademlia routing table (BEP 5): buckets of at most {@value #K} nodes by the length of the
 * prefix they share with our id. Bucket i holds nodes sharing exactly i bits; the last bucket holds
 * the rest (our neighbourhood) and splits when it is full, so the table is finest near us.
 *
 * <p>Node states by BEP 5's rules: good (answered us within 15 minutes), questionable (silent
 * longer), bad (failed {@value #BAD_AFTER_FAILURES} queries in a row). A full bucket takes a
 * newcomer only in place of a bad node; otherwise the newcomer waits in the bucket's replacement
 * cache (at most {@value #K}) and the node pings its questionable nodes. Pure data: times are
 * passed in; the node's loop owns it.
 */
public final class RoutingTable {
    public static final int K = 8;
    public static final int BAD_AFTER_FAILURES = 2;
    public static final long QUESTIONABLE_NANOS = 15L * 60 * 1_000_000_000L;

    /** A node in the table with what we know of it. */
    public static final class Entry {
        final NodeInfo node;
        long lastResponse;
        long lastPinged = Long.MIN_VALUE / 2;
        int failures;

        Entry(NodeInfo node, long now) {
            this.node = node;
            this.lastResponse = now;
        }

        public NodeInfo node() {
            return node;
        }

        public boolean bad() {
            return failures >= BAD_AFTER_FAILURES;
        }

        public boolean questionable(long now) {
            return now - lastResponse > QUESTIONABLE_NANOS;
        }
    }

    private static final class Bucket {
        final List<Entry> entries = new ArrayList<>(K);
        final List<Entry> replacements = new ArrayList<>(K);
        long lastChanged;
    }

    private final NodeId self;
    private final List<Bucket> buckets = new ArrayList<>();

    public RoutingTable(NodeId self) {
        this.self = self;
        buckets.add(new Bucket());
    }

    public NodeId self() {
        return self;
    }

    private int bucketIndex(NodeId id) {
        return Math.min(self.commonPrefixLength(id), buckets.size() - 1);
    }

    /**
     * A node answered us (or queried us and is not read-only): add or refresh it.
     *
     * @return a questionable node of the full bucket to ping, or null
     */
    public NodeInfo heardFrom(NodeInfo node, long now) {
        if (node.id().equals(self)) {
            return null;
        }
        while (true) {
            int i = bucketIndex(node.id());
            Bucket b = buckets.get(i);
            Entry existing = find(b.entries, node);
            if (existing != null) {
                existing.lastResponse = now;
                existing.failures = 0;
                return null;
            }
            if (conflicts(b, node)) {
                return null; // the same id at another address, or another id at this address: keep the one we know
            }
            if (crowded(node)) {
                return null; // one host (or one network) cannot fill the table
            }
            if (b.entries.size() < K) {
                b.entries.add(new Entry(node, now));
                b.lastChanged = now;
                b.replacements.removeIf(e -> e.node.id().equals(node.id()));
                return null;
            }
            for (int k = 0; k < b.entries.size(); k++) {
                if (b.entries.get(k).bad()) {
                    b.entries.set(k, new Entry(node, now));
                    b.lastChanged = now;
                    return null;
                }
            }
            if (i == buckets.size() - 1 && buckets.size() < NodeId.BITS) {
                split();
                continue;
            }
            Entry waiting = find(b.replacements, node);
            if (waiting != null) {
                waiting.lastResponse = now;
            } else {
                if (b.replacements.size() >= K) {
                    b.replacements.remove(0);
                }
                b.replacements.add(new Entry(node, now));
            }
            for (Entry e : b.entries) {
                if (e.questionable(now)) {
                    return e.node;
                }
            }
            return null;
        }
    }

    /** Nodes one IP address may have in the table (libtorrent's {@code restrict_routing_ips}). */
    public static final int MAX_PER_ADDRESS = 1;
    /** Nodes one /24 (IPv4) or /64 (IPv6) network may have in the table. */
    public static final int MAX_PER_NETWORK = 3;

    /**
     * Whether the table already holds as many nodes from this node's address, or its network, as
     * it may. Loopback nodes are exempt: they are this machine's own (and tests run many there).
     */
    private boolean crowded(NodeInfo node) {
        java.net.InetAddress a = node.address().getAddress();
        if (a.isLoopbackAddress()) {
            return false;
        }
        byte[] bytes = a.getAddress();
        int prefix = bytes.length == 4 ? 3 : 8;
        int sameAddress = 0;
        int sameNetwork = 0;
        for (Bucket b : buckets) {
            for (Entry e : b.entries) {
                byte[] other = e.node.address().getAddress().getAddress();
                if (other.length != bytes.length) {
                    continue;
                }
                if (java.util.Arrays.equals(other, bytes)) {
                    sameAddress++;
                }
                if (java.util.Arrays.equals(other, 0, prefix, bytes, 0, prefix)) {
                    sameNetwork++;
                }
            }
        }
        return sameAddress >= MAX_PER_ADDRESS || sameNetwork >= MAX_PER_NETWORK;
    }

    private static boolean conflicts(Bucket b, NodeInfo node) {
        for (Entry e : b.entries) {
            if (e.node.id().equals(node.id()) || e.node.address().equals(node.address())) {
                return true;
            }
        }
        return false;
    }

    private static Entry find(List<Entry> list, NodeInfo node) {
        for (Entry e : list) {
            if (e.node.equals(node)) {
                return e;
            }
        }
        return null;
    }

    /** Splits the last bucket: nodes sharing one more bit with us move to a new last bucket. */
    private void split() {
        Bucket last = buckets.get(buckets.size() - 1);
        Bucket next = new Bucket();
        int depth = buckets.size() - 1;
        buckets.add(next);
        for (List<Entry> list : List.of(last.entries, last.replacements)) {
            List<Entry> move = new ArrayList<>();
            for (Entry e : list) {
                if (self.commonPrefixLength(e.node.id()) > depth) {
                    move.add(e);
                }
            }
            list.removeAll(move);
            (list == last.entries ? next.entries : next.replacements).addAll(move);
        }
        // the old bucket has room again: promote waiting nodes
        while (last.entries.size() < K && !last.replacements.isEmpty()) {
            last.entries.add(last.replacements.remove(last.replacements.size() - 1));
        }
    }

    /**
     * A query to {@code node} timed out. A node that turns bad leaves the table at once, its place
     * taken by the freshest node waiting in the bucket's replacement cache, if any.
     */
    public void failed(NodeInfo node) {
        Bucket b = buckets.get(bucketIndex(node.id()));
        Entry e = find(b.entries, node);
        if (e == null) {
            b.replacements.removeIf(r -> r.node.equals(node));
            return;
        }
        e.failures++;
        if (e.bad()) {
            b.entries.remove(e);
            if (!b.replacements.isEmpty()) {
                b.entries.add(b.replacements.remove(b.replacements.size() - 1));
            }
        }
    }

    /** The {@code count} good-or-questionable nodes closest to {@code target}. */
    public List<NodeInfo> closest(NodeId target, int count) {
        List<Entry> all = new ArrayList<>();
        for (Bucket b : buckets) {
            for (Entry e : b.entries) {
                if (!e.bad()) {
                    all.add(e);
                }
            }
        }
        all.sort(Comparator.comparing(e -> e.node.id(), target::compareDistance));
        List<NodeInfo> out = new ArrayList<>(Math.min(count, all.size()));
        for (int i = 0; i < all.size() && i < count; i++) {
            out.add(all.get(i).node);
        }
        return out;
    }

    /**
     * Nodes silent for 15 minutes and not pinged in the last minute: to ping now (they are marked
     * pinged), so that dead ones are found and replaced.
     */
    public List<NodeInfo> toPing(long now) {
        List<NodeInfo> out = new ArrayList<>();
        for (Bucket b : buckets) {
            for (Entry e : b.entries) {
                if (e.questionable(now) && now - e.lastPinged > 60_000_000_000L) {
                    e.lastPinged = now;
                    out.add(e.node);
                }
            }
        }
        return out;
    }

    /**
     * A random id in the first bucket not changed for 15 minutes, to look up so that the bucket is
     * refreshed; the bucket counts as refreshed from now. Null when none is stale.
     */
    public NodeId staleBucketTarget(long now, java.util.Random random) {
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            if (now - b.lastChanged > QUESTIONABLE_NANOS) {
                b.lastChanged = now;
                return self.randomWithPrefix(i, random);
            }
        }
        return null;
    }

    public int size() {
        int n = 0;
        for (Bucket b : buckets) {
            n += b.entries.size();
        }
        return n;
    }

    public int bucketCount() {
        return buckets.size();
    }

    /** Nodes per bucket, for the status line. */
    public int[] bucketSizes() {
        int[] out = new int[buckets.size()];
        for (int i = 0; i < buckets.size(); i++) {
            out[i] = buckets.get(i).entries.size();
        }
        return out;
    }

    /** Every entry, for checks. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        buckets.forEach(b -> out.addAll(b.entries));
        return out;
    }

    public boolean contains(InetSocketAddress address) {
        for (Bucket b : buckets) {
            for (Entry e : b.entries) {
                if (e.node.address().equals(address)) {
                    return true;
                }
            }
        }
        return false;
    }
}
