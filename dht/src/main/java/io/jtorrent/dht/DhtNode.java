package io.jtorrent.dht;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A Kademlia DHT node (BEP 5) that does no I/O: datagrams come in through {@link #receive}, go
 * out through a {@link Transport}, and time comes from a clock and {@link #tick()} — so the same
 * code runs over UDP and in a simulation of hundreds of nodes. One thread owns it.
 *
 * <p>It answers ping, find_node, get_peers and announce_peer (tokens: a hash of the querier's IP
 * under a secret rotated every 5 minutes, the previous one still accepted); stores announced peers
 * for 30 minutes; runs iterative lookups with α = 3 queries in flight that end when the K closest
 * nodes have all answered; pings questionable nodes and refreshes stale buckets.
 *
 * <p>Limits: {@value #QUERIES_PER_SECOND_PER_SOURCE} queries a second from one source address
 * (bursts of twice that; the rest are dropped unanswered), {@value #MAX_OUTSTANDING} queries in flight (more wait), {@value #MAX_TORRENTS}
 * info-hashes and {@value #MAX_PEERS_PER_TORRENT} peers each stored, a reply must come from the
 * address the query went to (spoofed replies are dropped).
 */
public final class DhtNode {
    public static final int ALPHA = 3;
    public static final int MAX_OUTSTANDING = 512;
    public static final int MAX_TORRENTS = 2000;
    public static final int MAX_PEERS_PER_TORRENT = 200;
    static final long SECOND = 1_000_000_000L;
    static final long QUERY_TIMEOUT = 5 * SECOND;
    /** How often {@link #tick} is to run: query timeouts and slow lookup queries are noticed this soon. */
    public static final long TICK = SECOND / 8;
    /**
     * A lookup query unanswered this long no longer holds one of the α places, nor one of the K
     * closest the lookup waits for: the lookup asks the next node meanwhile (a late answer still
     * counts while it runs), so that a batch of dead nodes costs it half a second instead of the
     * whole timeout, and its announce is not held up by them.
     */
    static final long SLOW_QUERY = SECOND / 2;
    static final long TOKEN_ROTATION = 300 * SECOND;
    static final long PEER_TTL = 1800 * SECOND;

    /** Where datagrams go. */
    @FunctionalInterface
    public interface Transport {
        void send(byte[] datagram, InetSocketAddress to);
    }

    /**
     * The end of a lookup.
     *
     * @param peers peers found (get_peers)
     * @param closest the K closest nodes that answered
     * @param rounds the longest chain of queries that led to them
     * @param messages queries sent
     */
    public record Lookup(List<InetSocketAddress> peers, List<NodeInfo> closest, int rounds, int messages) {}

    private final NodeId id;
    private final Transport transport;
    private final LongSupplier clock;
    private final Random random;
    private final RoutingTable table;
    private final Map<ByteBuffer, Pending> pending = new HashMap<>();
    /** Peers stored for others, least recently announced or asked for first. */
    private final Map<NodeId, LinkedHashMap<InetSocketAddress, Long>> peers = new LinkedHashMap<>(16, 0.75f, true);
    private byte[] secret;
    private byte[] previousSecret;
    private long rotatedAt;
    private int nextTid;
    private long queriesIn;
    private long queriesOut;
    private long queriesDropped;
    private boolean verifyNodeIds;
    /** The node of the other address family (BEP 32), on the same thread, for {@code want}; or null. */
    private DhtNode sibling;
    /** The address family of our socket: nodes of the other family are never queried from this node. */
    private boolean ipv6;
    /** Per source address: {tokens, last refill ns}; bounded, oldest forgotten first. */
    /** Query budgets by source address (every port of an address together; loopback by address and port). */
    private final LinkedHashMap<Object, long[]> budgets = new LinkedHashMap<>(16, 0.75f, true);
    /** Announce budgets by source address: how fast one address can fill the peer store. */
    private final LinkedHashMap<Object, long[]> announceBudgets = new LinkedHashMap<>(16, 0.75f, true);
    /** Lookups under way (each ends by itself: every query it sends ends in an answer or a timeout). */
    private final java.util.Set<LookupTask> lookups = new java.util.LinkedHashSet<>();
    private long maintainedAt = Long.MIN_VALUE;

    private final class Pending {
        final InetSocketAddress to;
        final NodeId expected;
        final long sentAt;
        final Consumer<KrpcMessage> reply;
        final Runnable timeout;

        Pending(InetSocketAddress to, NodeId expected, long sentAt, Consumer<KrpcMessage> reply, Runnable timeout) {
            this.to = to;
            this.expected = expected;
            this.sentAt = sentAt;
            this.reply = reply;
            this.timeout = timeout;
        }
    }

    public DhtNode(NodeId id, Transport transport, LongSupplier nanoClock, Random random) {
        this.id = id;
        this.transport = transport;
        this.clock = nanoClock;
        this.random = random;
        this.table = new RoutingTable(id);
        this.secret = newSecret();
        this.previousSecret = secret;
        this.rotatedAt = nanoClock.getAsLong();
    }

    public NodeId id() {
        return id;
    }

    /**
     * Links the IPv4 and IPv6 nodes of one client (BEP 32): each answers {@code want} for the other
     * family from the other's table. Both must run on the same thread.
     */
    /** Declares this node's socket IPv6 (default IPv4). */
    public void ipv6(boolean on) {
        this.ipv6 = on;
    }

    private boolean sameFamily(InetSocketAddress a) {
        return (a.getAddress() instanceof java.net.Inet6Address) == ipv6;
    }

    public static void siblings(DhtNode a, DhtNode b) {
        a.sibling = b;
        b.sibling = a;
    }

    /** The closest nodes the querier wants: of the family it asked for, or of its own (BEP 32). */
    private List<NodeInfo> closestWanted(KrpcMessage.Query q, InetSocketAddress from) {
        boolean fromV6 = from.getAddress() instanceof java.net.Inet6Address;
        int own = fromV6 ? KrpcMessage.Query.WANT_N6 : KrpcMessage.Query.WANT_N4;
        int want = q.want() == 0 ? own : q.want();
        List<NodeInfo> out = new ArrayList<>();
        if ((want & own) != 0) {
            out.addAll(table.closest(q.target(), RoutingTable.K));
        }
        if ((want & ~own & (KrpcMessage.Query.WANT_N4 | KrpcMessage.Query.WANT_N6)) != 0 && sibling != null) {
            out.addAll(sibling.table.closest(q.target(), RoutingTable.K));
        }
        return out;
    }

    /**
     * BEP 42: keep out of the routing table nodes whose ids do not match their IP addresses
     * (local addresses exempt). They are still answered. Default off, as in libtorrent.
     */
    public void verifyNodeIds(boolean on) {
        this.verifyNodeIds = on;
    }

    private void heard(NodeInfo node, long now) {
        if (verifyNodeIds && !NodeId.bep42Valid(node.id(), node.address().getAddress())) {
            return;
        }
        NodeInfo toPing = table.heardFrom(node, now);
        if (toPing != null) {
            ping(toPing);
        }
    }

    public RoutingTable table() {
        return table;
    }

    public long queriesIn() {
        return queriesIn;
    }

    public long queriesOut() {
        return queriesOut;
    }

    /** Info-hashes and peers stored for others. */
    public int storedPeers() {
        return peers.values().stream().mapToInt(Map::size).sum();
    }

    // ---- incoming ----

    /** A datagram arrived from {@code from}. Malformed ones are answered with an error or dropped. */
    public void receive(byte[] datagram, InetSocketAddress from) {
        KrpcMessage m;
        try {
            m = KrpcCodec.decode(datagram);
        } catch (KrpcException e) {
            byte[] tid = KrpcCodec.transactionIdOf(datagram);
            if (tid != null && isQuery(datagram)) {
                // an error answer costs the same budget as any other: no free replies to a flood
                if (!withinBudget(from, clock.getAsLong())) {
                    queriesDropped++;
                    return;
                }
                transport.send(KrpcCodec.encode(new KrpcMessage.Error(tid, e.code(), e.getMessage())), from);
            }
            return;
        }
        if (m instanceof KrpcMessage.Query q) {
            answer(q, from);
        } else {
            Pending p = pending.get(ByteBuffer.wrap(m.transactionId()));
            if (p == null || !p.to.equals(from)) {
                return; // not ours, or spoofed from another address
            }
            pending.remove(ByteBuffer.wrap(m.transactionId()));
            if (m instanceof KrpcMessage.Response r) {
                if (p.expected != null && !p.expected.equals(r.sender())) {
                    table.failed(new NodeInfo(p.expected, from)); // another node answers at that address now
                }
                heard(new NodeInfo(r.sender(), from), clock.getAsLong());
            }
            p.reply.accept(m);
        }
    }

    private static boolean isQuery(byte[] datagram) {
        String s = new String(datagram, java.nio.charset.StandardCharsets.ISO_8859_1);
        return s.contains("1:y1:q");
    }

    /** Queries per second one source address may send, all its ports together (a burst of twice that). */
    public static final int QUERIES_PER_SECOND_PER_SOURCE = 100;
    /** Announces per minute one source address may have stored (a burst of twice that). */
    public static final int ANNOUNCES_PER_MINUTE_PER_SOURCE = 10;
    private static final int MAX_SOURCES = 10_000;
    /** Peer values in one get_peers answer: an unauthenticated query gets a bounded reply. */
    public static final int MAX_VALUES_PER_REPLY = 32;

    /**
     * Whose budget a datagram spends: its address, whatever the port (rotating source ports buys
     * nothing). Loopback sources, which are this machine's own programs (and tests running many
     * nodes on 127.0.0.1), are told apart by port.
     */
    static Object budgetKey(InetSocketAddress from) {
        return from.getAddress().isLoopbackAddress() ? from : from.getAddress();
    }

    /** Token bucket per source address: a flood from one address costs it its answers, not us our memory. */
    private boolean withinBudget(InetSocketAddress from, long now) {
        return spend(budgets, budgetKey(from), now, QUERIES_PER_SECOND_PER_SOURCE, SECOND);
    }

    private static boolean spend(LinkedHashMap<Object, long[]> buckets, Object key, long now, int rate, long per) {
        long[] b = buckets.get(key);
        if (b == null) {
            if (buckets.size() >= MAX_SOURCES) {
                buckets.remove(buckets.keySet().iterator().next());
            }
            b = new long[] {2L * rate, now};
            buckets.put(key, b);
        }
        long refill = (now - b[1]) * rate / per;
        if (refill > 0) {
            b[0] = Math.min(2L * rate, b[0] + refill);
            b[1] = now;
        }
        if (b[0] <= 0) {
            return false;
        }
        b[0]--;
        return true;
    }

    public long queriesDropped() {
        return queriesDropped;
    }

    private void answer(KrpcMessage.Query q, InetSocketAddress from) {
        long now = clock.getAsLong();
        if (!withinBudget(from, now)) {
            queriesDropped++;
            return;
        }
        queriesIn++;
        if (!q.readOnly()) {
            heard(new NodeInfo(q.sender(), from), now);
        }
        KrpcMessage reply = switch (q.method()) {
            case PING -> new KrpcMessage.Response(q.transactionId(), id, List.of(), List.of(), null, from);
            case FIND_NODE -> new KrpcMessage.Response(q.transactionId(), id, closestWanted(q, from), List.of(), null, from);
            case GET_PEERS -> {
                List<InetSocketAddress> values = storedPeersFor(q.target(), now);
                yield new KrpcMessage.Response(q.transactionId(), id,
                        values.isEmpty() ? closestWanted(q, from) : List.of(), values, token(from), from);
            }
            case ANNOUNCE_PEER -> {
                if (!validToken(q.token(), from)) {
                    yield new KrpcMessage.Error(q.transactionId(), 203, "bad token");
                }
                if (!spend(announceBudgets, budgetKey(from), now, ANNOUNCES_PER_MINUTE_PER_SOURCE, 60 * SECOND)) {
                    yield new KrpcMessage.Error(q.transactionId(), 202, "too many announces");
                }
                store(q.target(), new InetSocketAddress(from.getAddress(), q.impliedPort() ? from.getPort() : q.port()), now);
                yield new KrpcMessage.Response(q.transactionId(), id, List.of(), List.of(), null, from);
            }
        };
        transport.send(KrpcCodec.encode(reply), from);
    }

    // ---- peers stored for others ----

    private List<InetSocketAddress> storedPeersFor(NodeId infoHash, long now) {
        LinkedHashMap<InetSocketAddress, Long> s = peers.get(infoHash);
        if (s == null) {
            return List.of();
        }
        s.values().removeIf(expiry -> expiry < now);
        List<InetSocketAddress> all = new ArrayList<>(s.keySet());
        java.util.Collections.shuffle(all, random);
        return all.subList(0, Math.min(MAX_VALUES_PER_REPLY, all.size()));
    }

    /**
     * Stores an announce. A full store first drops expired peers and emptied info-hashes, then the
     * info-hash announced least recently: junk announces cannot lock real ones out.
     */
    private void store(NodeId infoHash, InetSocketAddress peer, long now) {
        LinkedHashMap<InetSocketAddress, Long> s = peers.get(infoHash);
        if (s == null) {
            if (peers.size() >= MAX_TORRENTS) {
                peers.values().removeIf(m -> {
                    m.values().removeIf(expiry -> expiry < now);
                    return m.isEmpty();
                });
            }
            if (peers.size() >= MAX_TORRENTS) {
                peers.remove(peers.keySet().iterator().next());
            }
            s = new LinkedHashMap<>();
            peers.put(infoHash, s);
        }
        s.remove(peer);
        if (s.size() >= MAX_PEERS_PER_TORRENT) {
            Iterator<InetSocketAddress> oldest = s.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        s.put(peer, now + PEER_TTL);
    }

    // ---- tokens ----

    private byte[] token(InetSocketAddress from) {
        return token(secret, from);
    }

    private boolean validToken(byte[] token, InetSocketAddress from) {
        return token != null && (java.util.Arrays.equals(token, token(secret, from))
                || java.util.Arrays.equals(token, token(previousSecret, from)));
    }

    private static byte[] token(byte[] secret, InetSocketAddress from) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(secret);
            sha1.update(from.getAddress().getAddress());
            return java.util.Arrays.copyOf(sha1.digest(), 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] newSecret() {
        byte[] s = new byte[16];
        random.nextBytes(s);
        return s;
    }

    // ---- outgoing ----

    private byte[] nextTid() {
        nextTid = (nextTid + 1) & 0xffff;
        return new byte[] {(byte) (nextTid >> 8), (byte) nextTid};
    }

    /** Sends a query; exactly one of {@code reply} and {@code timeout} runs later. False if too many are in flight. */
    private boolean query(KrpcMessage.Query q, InetSocketAddress to, NodeId expected, Consumer<KrpcMessage> reply, Runnable timeout) {
        if (pending.size() >= MAX_OUTSTANDING) {
            return false;
        }
        pending.put(ByteBuffer.wrap(q.transactionId()), new Pending(to, expected, clock.getAsLong(), reply, timeout));
        queriesOut++;
        transport.send(KrpcCodec.encode(q), to);
        return true;
    }

    private void ping(NodeInfo n) {
        query(KrpcMessage.Query.ping(nextTid(), id), n.address(), n.id(), r -> { }, () -> table.failed(n));
    }

    /**
     * Every {@link #TICK}: query timeouts and slow lookup queries; once a second of those, token
     * rotation, pings of questionable nodes and a bucket refresh.
     */
    public void tick() {
        long now = clock.getAsLong();
        List<Pending> expired = new ArrayList<>();
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (now - p.sentAt > QUERY_TIMEOUT) {
                it.remove();
                expired.add(p);
            }
        }
        expired.forEach(p -> p.timeout.run());
        for (LookupTask l : new ArrayList<>(lookups)) {
            l.passOverSlow(now);
        }
        if (maintainedAt != Long.MIN_VALUE && now - maintainedAt < SECOND - TICK / 2) {
            return;
        }
        maintainedAt = now;
        if (now - rotatedAt > TOKEN_ROTATION) {
            previousSecret = secret;
            secret = newSecret();
            rotatedAt = now;
        }
        if (pending.size() < MAX_OUTSTANDING / 2) {
            table.toPing(now).forEach(this::ping);
            NodeId stale = table.size() > 0 ? table.staleBucketTarget(now, random) : null;
            if (stale != null) {
                lookup(stale, false, l -> { }); // at most one bucket refresh a second
            }
        }
    }

    /** Joins the DHT through nodes whose ids we do not know yet, then looks ourselves up. */
    public void bootstrap(List<InetSocketAddress> nodes, Consumer<Lookup> done) {
        bootstrap(nodes, () -> { }, done);
    }

    /**
     * Joins the DHT through nodes whose ids we do not know yet, then looks ourselves up;
     * {@code seeded} runs when those nodes answered (or timed out), before that lookup: the table
     * holds what they told us, enough for a torrent's lookup to start.
     */
    public void bootstrap(List<InetSocketAddress> nodes, Runnable seeded, Consumer<Lookup> done) {
        int[] waiting = {nodes.size()};
        if (nodes.isEmpty()) {
            seeded.run();
            lookup(id, false, done);
            return;
        }
        for (InetSocketAddress a : nodes) {
            Runnable next = () -> {
                if (--waiting[0] == 0) {
                    seeded.run();
                    lookup(id, false, done);
                }
            };
            boolean sent = query(KrpcMessage.Query.findNode(nextTid(), id, id), a, null, m -> {
                if (m instanceof KrpcMessage.Response r) {
                    long now = clock.getAsLong();
                    for (NodeInfo n : r.nodes()) {
                        if (sameFamily(n.address())) {
                            table.heardFrom(n, now - RoutingTable.QUESTIONABLE_NANOS / 2); // heard of, not from
                        }
                    }
                }
                next.run();
            }, next);
            if (!sent) {
                next.run();
            }
        }
    }

    /** Looks up peers for {@code infoHash}. */
    public void getPeers(NodeId infoHash, Consumer<Lookup> done) {
        lookup(infoHash, true, done);
    }

    /** Announces that we have {@code infoHash} on TCP {@code port} to the K closest nodes that gave tokens. */
    public void announce(NodeId infoHash, int port, Consumer<Lookup> done) {
        announce(infoHash, port, peers -> { }, done);
    }

    /**
     * As {@link #announce(NodeId, int, Consumer)}, and {@code early} gets the peers of each answer
     * as it arrives (those not given before), so that they can be dialled before the lookup ends.
     */
    public void announce(NodeId infoHash, int port, Consumer<List<InetSocketAddress>> early, Consumer<Lookup> done) {
        new LookupTask(infoHash, true, done, port, early).start(table.closest(infoHash, RoutingTable.K * 2));
    }

    /** Looks up the nodes closest to {@code target}. */
    public void findNode(NodeId target, Consumer<Lookup> done) {
        lookup(target, false, done);
    }

    private void lookup(NodeId target, boolean getPeers, Consumer<Lookup> done) {
        new LookupTask(target, getPeers, done, 0, peers -> { }).start(table.closest(target, RoutingTable.K * 2));
    }

    /**
     * An iterative lookup (BEP 5): α queries in flight, ends when the K closest have all answered
     * (those silent for {@link #SLOW_QUERY} left out, and replaced by the next closest).
     */
    private final class LookupTask {
        private final NodeId target;
        private final boolean getPeers;
        private final Consumer<Lookup> done;
        private final int announcePort;
        private final Consumer<List<InetSocketAddress>> early;
        private final java.util.TreeMap<NodeId, Candidate> candidates;
        private final java.util.LinkedHashSet<InetSocketAddress> found = new java.util.LinkedHashSet<>();
        private final java.util.Set<InetSocketAddress> seenAddresses = new java.util.HashSet<>();
        private int inFlight;
        private int messages;
        private boolean finished;

        private final class Candidate {
            final NodeInfo node;
            final int round;
            int state; // 0 new, 1 queried, 2 answered, 3 failed
            byte[] token;
            long sentAt;
            /** Queried, unanswered past {@link #SLOW_QUERY}: no longer counted in flight. */
            boolean slow;

            Candidate(NodeInfo node, int round) {
                this.node = node;
                this.round = round;
            }
        }

        LookupTask(NodeId target, boolean getPeers, Consumer<Lookup> done, int announcePort,
                   Consumer<List<InetSocketAddress>> early) {
            this.target = target;
            this.getPeers = getPeers;
            this.done = done;
            this.announcePort = announcePort;
            this.early = early;
            this.candidates = new java.util.TreeMap<>((a, b) -> {
                int c = target.compareDistance(a, b);
                return c != 0 ? c : a.compareTo(b);
            });
        }

        void start(List<NodeInfo> initial) {
            lookups.add(this);
            initial.forEach(n -> add(n, 1));
            step();
        }

        /** Queries unanswered past {@link #SLOW_QUERY} give up their places in flight: the next nodes are asked. */
        void passOverSlow(long now) {
            boolean freed = false;
            for (Candidate c : candidates.values()) {
                if (c.state == 1 && !c.slow && now - c.sentAt > SLOW_QUERY) {
                    c.slow = true;
                    inFlight--;
                    freed = true;
                }
            }
            if (freed || inFlight == 0) {
                step(); // inFlight 0: a query refused while too many were out is sent now
            }
        }

        private void add(NodeInfo n, int round) {
            if (!sameFamily(n.address()) || n.id().equals(id) || candidates.containsKey(n.id()) || !seenAddresses.add(n.address())) {
                return;
            }
            candidates.put(n.id(), new Candidate(n, round));
        }

        private void step() {
            if (finished) {
                return;
            }
            // the K closest that have not failed: done when all have answered
            int considered = 0;
            boolean allAnswered = true;
            for (Candidate c : candidates.values()) {
                if (c.state == 3 || c.slow) {
                    continue;
                }
                if (considered++ >= RoutingTable.K) {
                    break;
                }
                if (c.state != 2) {
                    allAnswered = false;
                }
                if (c.state == 0 && inFlight < ALPHA) {
                    send(c);
                }
            }
            if (inFlight == 0 && (allAnswered || considered == 0 || noneNew())) {
                finish();
            }
        }

        private boolean noneNew() {
            int considered = 0;
            for (Candidate c : candidates.values()) {
                if (c.state == 3 || c.slow) {
                    continue;
                }
                if (considered++ >= RoutingTable.K) {
                    break;
                }
                if (c.state == 0) {
                    return false;
                }
            }
            return true;
        }

        private void send(Candidate c) {
            KrpcMessage.Query q = getPeers ? KrpcMessage.Query.getPeers(nextTid(), id, target)
                    : KrpcMessage.Query.findNode(nextTid(), id, target);
            c.state = 1;
            c.sentAt = clock.getAsLong();
            inFlight++;
            messages++;
            boolean sent = query(q, c.node.address(), c.node.id(), m -> {
                if (!c.slow) {
                    inFlight--;
                }
                c.slow = false; // late, but here: it counts among the closest again
                if (m instanceof KrpcMessage.Response r) {
                    c.state = 2;
                    c.token = r.token();
                    List<InetSocketAddress> fresh = new ArrayList<>();
                    for (InetSocketAddress v : r.values()) {
                        if (found.add(v)) {
                            fresh.add(v);
                        }
                    }
                    if (!fresh.isEmpty() && !finished) {
                        early.accept(fresh);
                    }
                    r.nodes().forEach(n -> add(n, c.round + 1));
                } else {
                    c.state = 3;
                }
                step();
            }, () -> {
                if (!c.slow) {
                    inFlight--;
                }
                c.state = 3;
                table.failed(c.node);
                step();
            });
            if (!sent) {
                inFlight--;
                c.state = 0;
            }
        }

        private void finish() {
            finished = true;
            lookups.remove(this);
            List<NodeInfo> closest = new ArrayList<>();
            int rounds = 0;
            List<Candidate> answered = new ArrayList<>();
            for (Candidate c : candidates.values()) {
                if (c.state == 2 && closest.size() < RoutingTable.K) {
                    closest.add(c.node);
                    answered.add(c);
                    rounds = Math.max(rounds, c.round);
                }
            }
            if (announcePort > 0) {
                for (Candidate c : answered) {
                    if (c.token != null) {
                        messages++;
                        query(KrpcMessage.Query.announcePeer(nextTid(), id, target, announcePort, c.token, false),
                                c.node.address(), c.node.id(), m -> { }, () -> table.failed(c.node));
                    }
                }
            }
            done.accept(new Lookup(new ArrayList<>(found), closest, rounds, messages));
        }
    }
}
