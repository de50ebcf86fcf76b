package io.jtorrent.sim;

import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.SessionEvent;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.discovery.Dht;
import io.jtorrent.engine.discovery.Trackers;
import io.jtorrent.engine.disk.DiskIo;
import io.jtorrent.engine.rate.RateLimiter;
import io.jtorrent.engine.torrent.Torrent;
import io.jtorrent.engine.torrent.TorrentServices;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.storage.StorageFactory;
import io.jtorrent.tracker.Resolver;
import io.jtorrent.wire.Handshake;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * One simulated host running one real {@link Torrent}: it is the torrent's session (its
 * {@link TorrentServices}), with an address on the simulated network, an upload link, a disk
 * that needs none, and the tracker one round trip away. It records what happened to it, for the
 * report: when it arrived, got its first piece, entered end game, completed, left.
 */
final class SimPeer implements TorrentServices {
    static final int PORT = 6881;

    enum Role { SEED, LEECHER }

    final int index;
    final String name;
    final Role role;
    final Behaviour behaviour;
    /** The upload-capacity class it belongs to (its rate, as the user wrote it). */
    final String rateClass;
    private final InetSocketAddress address;
    private final byte[] peerId;
    private final Simulation.World world;
    private final Uplink uplink;
    final long downRate;
    long downFreeAt;
    private final Random seeds;
    private final Trackers trackers;
    private final RateLimiter unlimitedUp;
    private final RateLimiter unlimitedDown;
    private final List<Pipe> pipes = new ArrayList<>();
    /** Messages this host sent, by kind ({@link WireSize#kind}). */
    private final long[] sentByKind = new long[WireSize.KINDS.length];
    private int nextPort = 40_000;
    private Torrent torrent;
    private GeneratedData.Store store;
    private boolean online;

    double arrivedAt = -1;
    double firstPieceAt = -1;
    double endGameAt = -1;
    double doneAt = -1;
    double leftAt = -1;
    /** The upload link's busy time when the first piece came and when end game began (-1: not yet). */
    private long busyAtFirstPiece = -1;
    private long busyAtEndGame = -1;
    int hashFailures;
    int bans;
    int pieces;
    /** Whether it is to stay until it completes (a leecher that never leaves): the run waits for it. */
    boolean expected;
    /** Block payload received, by where it came from. */
    long received, fromSeed, fromLeechers, fromFinished, fromOwnClass, fromCorrupt;
    long uploaded;

    SimPeer(Simulation.World world, int index, String name, Role role, Behaviour behaviour, String rateClass,
            long upRate, long downRate) {
        this.world = world;
        this.index = index;
        this.name = name;
        this.role = role;
        this.behaviour = behaviour;
        this.rateClass = rateClass;
        this.address = addressOf(index);
        this.peerId = ("-JT0010-" + String.format("%012d", index)).getBytes(StandardCharsets.US_ASCII);
        this.uplink = new Uplink(world.clock, upRate);
        this.downRate = downRate;
        this.seeds = new Random(world.random.nextLong());
        this.trackers = world.tracker.from(address);
        this.unlimitedUp = new RateLimiter(0, world.clock::nanoTime);
        this.unlimitedDown = new RateLimiter(0, world.clock::nanoTime);
    }

    /**
     * 10.a.b.c: a private address per host, made from its index (no name lookups, the same every
     * run), each in a /24 of its own as peers on the internet mostly are (hosts sharing a /24
     * would all get the same BEP 6 allowed-fast pieces, and start with the same few pieces), and
     * with the index's low bits in the low bytes, so that hash tables keyed by address spread them.
     */
    static InetSocketAddress addressOf(int index) {
        int n = index + 1;
        if (n >= 1 << 16) {
            throw new IllegalArgumentException("at most 65535 simulated hosts");
        }
        byte[] ip = {10, (byte) n, (byte) (n >>> 8), (byte) (1 + n % 254)};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), PORT);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    InetSocketAddress address() {
        return address;
    }

    Uplink uplink() {
        return uplink;
    }

    Behaviour behaviour() {
        return behaviour;
    }

    Scheduler clock() {
        return world.clock;
    }

    Torrent torrent() {
        return torrent;
    }

    boolean online() {
        return online;
    }

    double now() {
        return world.clock.now() / 1e9;
    }

    /** Joins the swarm: its torrent starts (a seed checks its data first) and announces. */
    void join(Metainfo metainfo) {
        online = true;
        arrivedAt = now();
        world.network.listen(this);
        AddTorrentParams params = AddTorrentParams.builder(metainfo, Path.of("/sim", name)).seedOnly(role == Role.SEED)
                .superSeeding(role == Role.SEED && behaviour == Behaviour.HONEST && world.config.superSeed())
                .sequential(role == Role.LEECHER && world.config.sequential()).build();
        torrent = new Torrent(this, world.clock, null, params);
        torrent.start();
    }

    /** Leaves: its torrent stops (a stopped announce, connections closed) and nobody reaches it any more. */
    void leave() {
        if (!online) {
            return;
        }
        online = false;
        leftAt = now();
        world.network.leave(this);
        torrent.stop();
        for (Pipe p : new ArrayList<>(pipes)) {
            p.close();
        }
        pipes.clear();
    }

    boolean done() {
        return doneAt >= 0;
    }

    /** Whether its copy is the file, block for block (the storage's own account, not the engine's). */
    boolean dataMatches() {
        return store != null && store.matches();
    }

    /** A block of {@code bytes} at {@code piece}/{@code begin} arrived from {@code from}. */
    void received(SimPeer from, int piece, int begin, int bytes) {
        received += bytes;
        from.uploaded += bytes;
        if (from.role == Role.SEED && from.behaviour == Behaviour.HONEST) {
            world.seedSent(piece, begin, bytes);
        }
        if (from.behaviour == Behaviour.CORRUPT) {
            fromCorrupt += bytes;
        } else if (from.role == Role.SEED) {
            fromSeed += bytes;
        } else if (from.done()) {
            fromFinished += bytes;
        } else {
            fromLeechers += bytes;
        }
        if (from.role == Role.LEECHER && from.rateClass.equals(rateClass)) {
            fromOwnClass += bytes;
        }
    }

    void countSent(Object m) {
        sentByKind[WireSize.kind(m)]++;
    }

    /** How many messages of the type with this simple name ({@code "Have"}, {@code "AllowedFast"}) it sent. */
    long sent(String type) {
        int k = java.util.Arrays.asList(WireSize.KINDS).indexOf(type);
        return k < 0 ? 0 : sentByKind[k];
    }

    void opened(Pipe p) {
        pipes.add(p);
    }

    void closedPipe(Pipe p) {
        pipes.remove(p);
    }

    int nextEphemeralPort() {
        return nextPort++;
    }

    Handshake handshake() {
        return handshakeFor(torrent.infoHash());
    }

    // ---- TorrentServices ----

    @Override
    public Settings settings() {
        return world.settings;
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }

    @Override
    public Handshake handshakeFor(InfoHash infoHash) {
        byte[] reserved = new byte[8];
        reserved[Handshake.EXTENSION_PROTOCOL_BYTE] |= Handshake.EXTENSION_PROTOCOL_MASK;
        reserved[Handshake.FAST_BYTE] |= Handshake.FAST_MASK;
        return new Handshake(reserved, infoHash, peerId);
    }

    @Override
    public int listenPort() {
        return PORT;
    }

    @Override
    public void post(SessionEvent e) {
        if (e instanceof SessionEvent.PieceFinished f) {
            if (firstPieceAt < 0) {
                firstPieceAt = now();
                busyAtFirstPiece = uplink.busyNanos;
            }
            pieces++;
            world.pieceFinished(this, f.piece());
            noteEndGame();
        } else if (e instanceof SessionEvent.TorrentFinished) {
            if (doneAt < 0 && role == Role.LEECHER) {
                doneAt = now();
                if (endGameAt < 0) {
                    endGameAt = doneAt;
                    busyAtEndGame = uplink.busyNanos;
                }
                world.finished(this);
            }
        } else if (e instanceof SessionEvent.HashFailed) {
            hashFailures++;
        } else if (e instanceof SessionEvent.PeerBanned) {
            bans++;
        }
    }

    /** End game starts when every block still wanted is requested; looked at as pieces complete and every tick. */
    void noteEndGame() {
        if (endGameAt < 0 && doneAt < 0 && torrent != null && torrent.views().endGame()) {
            endGameAt = now();
            busyAtEndGame = uplink.busyNanos;
        }
    }

    /**
     * The share of its upload capacity it used while trading (from its first piece to end game),
     * or -1 if it has no capacity or no such phase: what the swarm made of what it could give.
     */
    double tradingUpload() {
        if (uplink.rate() <= 0 || busyAtFirstPiece < 0 || busyAtEndGame < 0 || endGameAt <= firstPieceAt) {
            return -1;
        }
        return Math.min(1, (busyAtEndGame - busyAtFirstPiece) / ((endGameAt - firstPieceAt) * 1e9));
    }

    @Override
    public DiskIo disk() {
        return world.disk;
    }

    @Override
    public StorageFactory storage() {
        return world.data.factory(role == Role.SEED, s -> store = s);
    }

    @Override
    public long nextSeed() {
        return seeds.nextLong();
    }

    @Override
    public Path resumeFile(InfoHash infoHash) {
        return null;
    }

    @Override
    public RateLimiter uploadLimiter() {
        return unlimitedUp;
    }

    @Override
    public RateLimiter downloadLimiter() {
        return unlimitedDown;
    }

    @Override
    public Trackers trackers() {
        return trackers;
    }

    @Override
    public Resolver resolver() {
        return null; // no web seeds in a simulation
    }

    @Override
    public Dht dht() {
        return null;
    }

    @Override
    public void announceLocally(InfoHash infoHash) {
    }

    @Override
    public boolean mayDial() {
        return online;
    }

    @Override
    public void dial(Torrent t, InetSocketAddress to, int hints, IntConsumer connected, Runnable failed) {
        world.network.dial(this, to, connected, failed);
    }

    @Override
    public String toString() {
        return name;
    }
}
