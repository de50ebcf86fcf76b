package io.jtorrent.engine;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link Session} can be tuned with. Immutable; build with {@link #builder()}.
 * Each setting is documented at its builder method, with its default. The fields are public
 * (and final) for the engine's rooms to read; programs set them through the builder.
 */
public final class Settings {
    public final InetAddress bindAddress;
    public final int listenPort;
    public final int networkThreads;
    public final int diskThreads;
    public final int hashThreads;
    public final int maxConnectionsPerTorrent;
    public final int maxConnections;
    public final Long randomSeed;
    public final int maxHandshakes;
    public final int maxHandshakesPerAddress;
    public final int uploadSlots;
    public final long uploadLimit;
    public final long downloadLimit;
    public final Duration handshakeTimeout;
    public final Duration inactivityTimeout;
    public final Duration requestTimeout;
    public final Duration connectTimeout;
    public final Duration trackerTimeout;
    public final Duration resumeInterval;
    public final int maxRequestQueue;
    public final int maxIncomingRequests;
    public final long writeHighWater;
    public final String peerIdPrefix;
    public final String userAgent;
    public final Path resumeDirectory;
    public final int banStrikes;
    public final boolean announceToAllTiers;
    public final int dhtPort;
    public final java.util.List<InetSocketAddressSpec> dhtBootstrap;
    public final boolean pex;
    public final boolean lsd;
    public final int webSeedConnections;
    public final Encryption encryption;
    public final boolean utp;
    public final boolean tcp;
    /** Permission bits taken away from the files and directories torrents create (-1: the process's umask alone). */
    public final int umask;

    /**
     * Message Stream Encryption ("protocol encryption") towards peers, with Transmission's names.
     * {@code REQUIRED}: only encrypted peers (RC4), both ways. {@code PREFERRED}: dial encrypted
     * (RC4), retrying a peer once in plaintext if its encryption handshake fails; accept both.
     * {@code TOLERATED}: dial in plaintext; accept encrypted peers.
     */
    public enum Encryption {
        REQUIRED, PREFERRED, TOLERATED;

        /** The policy by its name in any case ("required", "preferred", "tolerated"). */
        public static Encryption parse(String name) {
            for (Encryption e : values()) {
                if (e.name().equalsIgnoreCase(name.trim())) {
                    return e;
                }
            }
            throw new IllegalArgumentException("encryption must be required, preferred or tolerated, not " + name);
        }

        /** The lower-case name, as Transmission's RPC and our options spell it. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private Settings(Builder b) {
        this.bindAddress = b.bindAddress;
        this.listenPort = b.listenPort;
        this.networkThreads = b.networkThreads;
        this.diskThreads = b.diskThreads;
        this.hashThreads = b.hashThreads;
        this.maxConnectionsPerTorrent = b.maxConnectionsPerTorrent;
        this.maxConnections = b.maxConnections;
        this.maxHandshakes = b.maxHandshakes;
        this.randomSeed = b.randomSeed;
        this.maxHandshakesPerAddress = b.maxHandshakesPerAddress;
        this.uploadSlots = b.uploadSlots;
        this.uploadLimit = b.uploadLimit;
        this.downloadLimit = b.downloadLimit;
        this.handshakeTimeout = b.handshakeTimeout;
        this.inactivityTimeout = b.inactivityTimeout;
        this.requestTimeout = b.requestTimeout;
        this.connectTimeout = b.connectTimeout;
        this.trackerTimeout = b.trackerTimeout;
        this.resumeInterval = b.resumeInterval;
        this.maxRequestQueue = b.maxRequestQueue;
        this.maxIncomingRequests = b.maxIncomingRequests;
        this.writeHighWater = b.writeHighWater;
        this.peerIdPrefix = b.peerIdPrefix;
        this.userAgent = b.userAgent;
        this.resumeDirectory = b.resumeDirectory;
        this.banStrikes = b.banStrikes;
        this.announceToAllTiers = b.announceToAllTiers;
        this.dhtPort = b.dhtPort;
        this.dhtBootstrap = java.util.List.copyOf(b.dhtBootstrap);
        this.pex = b.pex;
        this.lsd = b.lsd;
        this.webSeedConnections = b.webSeedConnections;
        this.encryption = b.encryption;
        this.utp = b.utp;
        this.tcp = b.tcp;
        this.umask = b.umask;
        if (!tcp && !utp) {
            throw new IllegalArgumentException("with TCP off, uTP must be on: peers need one transport");
        }
    }

    /** A DHT bootstrap node as given: host and port, resolved only when the DHT starts. */
    public record InetSocketAddressSpec(String host, int port) {}

    public static Builder builder() {
        return new Builder();
    }

    public static Settings defaults() {
        return builder().build();
    }

    public int listenPort() {
        return listenPort;
    }

    /** Whether peer exchange (BEP 11) is on. */
    public boolean pex() {
        return pex;
    }

    /** Whether Local Service Discovery (BEP 14) is on. */
    public boolean lsd() {
        return lsd;
    }

    public InetAddress bindAddress() {
        return bindAddress;
    }

    public static final class Builder {
        private InetAddress bindAddress;
        private int listenPort = 6881;
        private int networkThreads = 1;
        private int diskThreads = 2;
        private int hashThreads = Runtime.getRuntime().availableProcessors();
        private int maxConnectionsPerTorrent = 50;
        private int maxConnections = 200;
        private Long randomSeed;
        private int maxHandshakes = 100;
        private int maxHandshakesPerAddress = 20;
        private int uploadSlots = 4;
        private long uploadLimit;
        private long downloadLimit;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration inactivityTimeout = Duration.ofSeconds(120);
        private Duration requestTimeout = Duration.ofSeconds(20);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration trackerTimeout = Duration.ofSeconds(15);
        private Duration resumeInterval = Duration.ofSeconds(30);
        private int maxRequestQueue = 500;
        private int maxIncomingRequests = 500;
        private long writeHighWater = 32L << 20;
        private String peerIdPrefix = "-JT0010-";
        private String userAgent = "jtorrent/0.1.0";
        private Path resumeDirectory;
        private int banStrikes = 3;
        private boolean announceToAllTiers;
        private int dhtPort = -1;
        private final java.util.List<InetSocketAddressSpec> dhtBootstrap = new java.util.ArrayList<>();
        private boolean pex = true;
        private boolean lsd;
        private int webSeedConnections = 4;
        private Encryption encryption = Encryption.PREFERRED;
        private boolean utp = true;
        private boolean tcp = true;
        private int umask = -1;

        private Builder() {}

        /** Local address to listen on and connect from. Default: all addresses. */
        public Builder bindAddress(InetAddress a) {
            this.bindAddress = a;
            return this;
        }

        /** TCP port for incoming peers; 0 picks a free one. Default 6881. */
        public Builder listenPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " out of range");
            }
            this.listenPort = port;
            return this;
        }

        /** Event loops that run the peer protocol; each torrent is owned by one. Default 1. */
        public Builder networkThreads(int n) {
            this.networkThreads = positive(n, "networkThreads");
            return this;
        }

        /** Threads for disk reads and writes. Default 2. */
        public Builder diskThreads(int n) {
            this.diskThreads = positive(n, "diskThreads");
            return this;
        }

        /** Threads for SHA-1 piece checks. Default: one per core. */
        public Builder hashThreads(int n) {
            this.hashThreads = positive(n, "hashThreads");
            return this;
        }

        /** Peer connections per torrent. Default 50. */
        public Builder maxConnectionsPerTorrent(int n) {
            this.maxConnectionsPerTorrent = positive(n, "maxConnectionsPerTorrent");
            return this;
        }

        /** Peer connections in all. Default 200. */
        public Builder maxConnections(int n) {
            this.maxConnections = positive(n, "maxConnections");
            return this;
        }

        /**
         * Seeds the randomness of the engine's decisions (piece choice, optimistic unchokes), so a
         * run can be repeated; peer ids, node ids and tokens stay from {@code SecureRandom}.
         * Default: unseeded.
         */
        public Builder randomSeed(long seed) {
            this.randomSeed = seed;
            return this;
        }

        /**
         * Incoming connections still in the handshake, in all (apart from {@link #maxConnections})
         * and from one address: idle sockets cannot hold the places of peers. Defaults 100 and 20.
         */
        public Builder maxHandshakes(int total, int perAddress) {
            this.maxHandshakes = positive(total, "maxHandshakes");
            this.maxHandshakesPerAddress = positive(perAddress, "maxHandshakesPerAddress");
            return this;
        }

        /** Regular upload slots per torrent (plus one optimistic). Default 4. */
        public Builder uploadSlots(int n) {
            this.uploadSlots = positive(n, "uploadSlots");
            return this;
        }

        /** Global upload payload limit in bytes per second; 0 is unlimited (default). */
        public Builder uploadLimit(long bytesPerSecond) {
            this.uploadLimit = Math.max(0, bytesPerSecond);
            return this;
        }

        /** Global download payload limit in bytes per second; 0 is unlimited (default). */
        public Builder downloadLimit(long bytesPerSecond) {
            this.downloadLimit = Math.max(0, bytesPerSecond);
            return this;
        }

        /** How long a new connection may take to complete the handshake. Default 10 s. */
        public Builder handshakeTimeout(Duration d) {
            this.handshakeTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** A connection with no message either way for this long is closed. Default 120 s. */
        public Builder inactivityTimeout(Duration d) {
            this.inactivityTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** A peer that sends no requested block for this long is snubbed; its requests go elsewhere. Default 20 s. */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** TCP connect timeout for outgoing connections. Default 10 s. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** Timeout of one tracker announce. Default 15 s. */
        public Builder trackerTimeout(Duration d) {
            this.trackerTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** How often resume data is saved while a torrent changes. Default 30 s. */
        public Builder resumeInterval(Duration d) {
            this.resumeInterval = Objects.requireNonNull(d);
            return this;
        }

        /** Most requests outstanding to one peer. Default 500. */
        public Builder maxRequestQueue(int n) {
            this.maxRequestQueue = Math.max(2, n);
            return this;
        }

        /** Most requests we queue from one peer; more closes the connection. Default 500. */
        public Builder maxIncomingRequests(int n) {
            this.maxIncomingRequests = positive(n, "maxIncomingRequests");
            return this;
        }

        /**
         * Bytes of a torrent's pieces in memory (being assembled, or waiting for the disk) above which
         * peers stop being read. Default 32 MiB.
         */
        public Builder writeHighWater(long bytes) {
            this.writeHighWater = Math.max(1 << 20, bytes);
            return this;
        }

        /** The first 8 bytes of our peer id (Azureus style). Default "-JT0010-". */
        public Builder peerIdPrefix(String prefix) {
            if (prefix.length() > 20) {
                throw new IllegalArgumentException("peer id prefix longer than 20 bytes");
            }
            this.peerIdPrefix = prefix;
            return this;
        }

        /** HTTP User-Agent for trackers. Default "jtorrent/0.1.0". */
        public Builder userAgent(String ua) {
            this.userAgent = Objects.requireNonNull(ua);
            return this;
        }

        /** Where fast-resume files are kept; null keeps none. Default none. */
        public Builder resumeDirectory(Path dir) {
            this.resumeDirectory = dir;
            return this;
        }

        /** Hash failures a peer may contribute to before it is banned. Default 3. */
        public Builder banStrikes(int n) {
            this.banStrikes = positive(n, "banStrikes");
            return this;
        }

        /**
         * Announce to every tracker tier at once, each tier with its own fallback, as modern
         * clients do, instead of BEP 12's one tier at a time. Default off.
         */
        public Builder announceToAllTiers(boolean on) {
            this.announceToAllTiers = on;
            return this;
        }

        /** UDP port of the DHT node (BEP 5); 0 picks one; -1 (the default) runs no DHT. */
        public Builder dhtPort(int port) {
            this.dhtPort = port;
            return this;
        }

        /** A node to join the DHT through (repeatable). Tests use nodes on 127.0.0.1 only. */
        public Builder dhtBootstrap(String host, int port) {
            this.dhtBootstrap.add(new InetSocketAddressSpec(host, port));
            return this;
        }

        /** Peer exchange (BEP 11) with peers that speak it; never for private torrents. Default on. */
        public Builder pex(boolean on) {
            this.pex = on;
            return this;
        }

        /**
         * Local Service Discovery (BEP 14): multicast announces on the local network; never for
         * private torrents. Default off (it sends to a multicast group: only in a test's own network
         * namespace on shared machines).
         */
        public Builder lsd(boolean on) {
            this.lsd = on;
            return this;
        }

        /**
         * Transmission's {@code umask}: the permission bits taken away from the files and
         * directories torrents create (022: readable by all, writable by the owner; 002: writable
         * by the group too), set on each as it is created, whatever the process's umask. Default -1:
         * the process's umask alone.
         */
        public Builder umask(int mask) {
            if (mask < -1 || mask > 0777) {
                throw new IllegalArgumentException("umask must be 0..0777 (or -1 for the process's)");
            }
            this.umask = mask;
            return this;
        }

        /** HTTP connections to each web seed (BEP 19) at once. Default 4. */
        public Builder webSeedConnections(int n) {
            this.webSeedConnections = positive(n, "webSeedConnections");
            return this;
        }

        /** Encryption towards peers (see {@link Encryption}). Default PREFERRED, as Transmission's. */
        public Builder encryption(Encryption policy) {
            this.encryption = java.util.Objects.requireNonNull(policy);
            return this;
        }

        /**
         * uTP (BEP 29) beside TCP, on the same port number over UDP (the DHT node's socket when it
         * has that port): dialled first, TCP the fallback; incoming uTP accepted. On by default,
         * as in libtorrent and Transmission.
         */
        public Builder utp(boolean on) {
            this.utp = on;
            return this;
        }

        /**
         * TCP for peers, listening and dialling. On by default; off (with uTP on) makes a uTP-only
         * peer, for tests: no TCP port is opened and none dialled.
         */
        public Builder tcp(boolean on) {
            this.tcp = on;
            return this;
        }

        public Settings build() {
            return new Settings(this);
        }

        private static int positive(int n, String what) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be at least 1");
            }
            return n;
        }
    }
}
