package io.jtorrent.engine;

import io.jtorrent.metainfo.Info;
import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.metainfo.MagnetUri;
import io.jtorrent.metainfo.Metainfo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Session#add} needs to start a torrent: a {@code .torrent} ({@link #builder(Metainfo, Path)})
 * or a magnet link ({@link #builder(MagnetUri, Path)}), whose metadata is then fetched from peers
 * (BEP 9) found through its trackers ({@code tr}), peers ({@code x.pe}) and the DHT.
 *
 * <pre>{@code
 * AddTorrentParams p = AddTorrentParams.builder(Metainfo.read(Path.of("a.torrent")), Path.of("downloads"))
 *         .peer(new InetSocketAddress("127.0.0.1", 51413))
 *         .build();
 * AddTorrentParams m = AddTorrentParams.builder(MagnetUri.parse("magnet:?xt=urn:btih:..."), Path.of("downloads")).build();
 * }</pre>
 */
public final class AddTorrentParams {
    final Metainfo metainfo;
    final MagnetUri magnet;
    final Path saveDirectory;
    final List<InetSocketAddress> peers;
    private final byte[] filePriorities;
    private final List<Integer> selectedFiles;
    final boolean sequential;
    final boolean paused;
    final long uploadLimit;
    final long downloadLimit;
    final boolean seedOnly;
    final boolean seedMode;
    final boolean superSeeding;
    private final List<List<String>> trackerTiers;
    final List<String> webSeeds;
    /** Files or directories stored under other names: pairs of path and new name, in order. */
    final List<List<String>> renames;

    private AddTorrentParams(Builder b) {
        this.renames = List.copyOf(b.renames);
        this.metainfo = b.metainfo;
        this.magnet = b.magnet;
        this.saveDirectory = b.saveDirectory;
        this.peers = List.copyOf(b.peers);
        this.filePriorities = b.filePriorities;
        this.selectedFiles = b.selectedFiles;
        this.sequential = b.sequential;
        this.paused = b.paused;
        this.uploadLimit = b.uploadLimit;
        this.downloadLimit = b.downloadLimit;
        this.seedOnly = b.seedOnly;
        this.seedMode = b.seedMode;
        this.superSeeding = b.superSeeding;
        this.trackerTiers = b.trackerTiers;
        List<String> ws = new ArrayList<>(metainfo != null ? metainfo.webSeeds() : magnet.webSeeds());
        b.webSeeds.stream().filter(u -> !ws.contains(u)).forEach(ws::add);
        this.webSeeds = List.copyOf(ws);
    }

    /** Renames to apply: pairs of path and new name. */
    public List<List<String>> renames() {
        return renames;
    }

    public static Builder builder(Metainfo metainfo, Path saveDirectory) {
        return new Builder(Objects.requireNonNull(metainfo), null, saveDirectory);
    }

    /**
     * A torrent from a magnet link. Its {@code x.pe} peers are dialled (addresses that do not
     * resolve are skipped), its {@code so} selects files once the metadata is known.
     */
    public static Builder builder(MagnetUri magnet, Path saveDirectory) {
        Builder b = new Builder(null, Objects.requireNonNull(magnet), saveDirectory);
        for (String pe : magnet.peers()) {
            int colon = pe.lastIndexOf(':');
            String host = pe.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            InetSocketAddress a = new InetSocketAddress(host, Integer.parseInt(pe.substring(colon + 1)));
            if (!a.isUnresolved()) {
                b.peer(a);
            }
        }
        if (!magnet.selectOnly().isEmpty()) {
            b.selectedFiles = List.copyOf(magnet.selectOnly());
        }
        return b;
    }

    /** The torrent file, or null for a magnet link (until {@link TorrentHandle#metadata()} completes). */
    public Metainfo metainfo() {
        return metainfo;
    }

    public InfoHash infoHash() {
        return metainfo != null ? metainfo.infoHash() : magnet.infoHash();
    }

    /**
     * The hashes peers may name this torrent by in a handshake, 20 bytes each as on the wire: the
     * v1 hash, and the v2 hash truncated (BEP 52) for v2 and hybrid torrents.
     */
    public java.util.List<InfoHash> swarmHashes() {
        java.util.Optional<InfoHash> v2 = metainfo != null ? metainfo.infoHashV2() : magnet.v2InfoHash();
        java.util.List<InfoHash> out = new java.util.ArrayList<>();
        InfoHash primary = infoHash();
        if (primary.version() == InfoHash.Version.V1) {
            out.add(primary);
        }
        v2.ifPresent(h -> out.add(InfoHash.v1(h.truncated20())));
        return out;
    }

    /** Why this torrent cannot be downloaded, or null when it can. */
    String unsupported() {
        if (metainfo != null && !metainfo.info().hasV1() && !metainfo.hasAllPieceLayers()) {
            return "this v2 torrent lacks piece layers; add it by its magnet link, and they are fetched from peers";
        }
        return null;
    }

    public Path saveDirectory() {
        return saveDirectory;
    }

    /** Peers to connect to at once, besides those trackers, the DHT and PEX give. */
    public List<InetSocketAddress> peers() {
        return peers;
    }

    public boolean sequential() {
        return sequential;
    }

    public boolean paused() {
        return paused;
    }

    /** The torrent's own upload limit, bytes per second (0: none). */
    public long uploadLimit() {
        return uploadLimit;
    }

    public long downloadLimit() {
        return downloadLimit;
    }

    /** Only seed: the data must be complete on disk, else the add fails. */
    public boolean seedOnly() {
        return seedOnly;
    }

    /** Whether the data is trusted at start and each piece checked when first uploaded (see {@link Builder#seedMode}). */
    public boolean seedMode() {
        return seedMode;
    }

    /** Whether to super-seed (BEP 16) while seeding: offer each peer a piece at a time (default: no). */
    public boolean superSeeding() {
        return superSeeding;
    }

    /** Web seed URLs (BEP 19). */
    public List<String> webSeeds() {
        return webSeeds;
    }

    /** The name to show: the torrent's, or a magnet's {@code dn}, or its hash. */
    public String displayName() {
        return metainfo != null ? metainfo.info().name() : magnet.displayName().orElse(magnet.infoHash().hex());
    }

    /** Tracker tiers: as set on the builder, else the torrent's, or one tier per {@code tr} of a magnet link. */
    public List<List<String>> trackerTiers() {
        if (trackerTiers != null) {
            return trackerTiers;
        }
        return metainfo != null ? metainfo.trackerTiers() : magnet.trackers().stream().map(List::of).toList();
    }

    public List<String> magnetTrackers() {
        return magnet == null ? List.of() : magnet.trackers();
    }

    /**
     * Per-file priorities for {@code info}, or null for "all at normal priority". Indices of a
     * magnet's {@code so} beyond the file count are ignored, as libtorrent does.
     */
    public byte[] filePriorities(Info info) {
        if (filePriorities != null) {
            return filePriorities;
        }
        if (selectedFiles == null) {
            return null;
        }
        byte[] p = new byte[info.files().size()];
        for (int i : selectedFiles) {
            if (i >= 0 && i < p.length) {
                p[i] = 1;
            }
        }
        return p;
    }

    public static final class Builder {
        private final Metainfo metainfo;
        private final MagnetUri magnet;
        private final Path saveDirectory;
        private final List<InetSocketAddress> peers = new ArrayList<>();
        private final List<String> webSeeds = new ArrayList<>();
        private byte[] filePriorities;
        private List<Integer> selectedFiles;
        private boolean sequential;
        private boolean paused;
        private long uploadLimit;
        private long downloadLimit;
        private boolean seedOnly;
        private boolean seedMode;
        private boolean superSeeding;
        private List<List<String>> trackerTiers;

        private Builder(Metainfo metainfo, MagnetUri magnet, Path saveDirectory) {
            this.metainfo = metainfo;
            this.magnet = magnet;
            this.saveDirectory = Objects.requireNonNull(saveDirectory);
        }

        /** A peer to connect to, besides those trackers give. */
        public Builder peer(InetSocketAddress address) {
            peers.add(address);
            return this;
        }

        /** A web seed (BEP 19) to fetch pieces from, besides the torrent's {@code url-list}. */
        public Builder webSeed(String url) {
            webSeeds.add(url);
            return this;
        }

        /** Per-file priorities in torrent order: 0 skip, 1 normal, 2 high. Default: all 1. Torrent files only. */
        public Builder filePriorities(byte[] priorities) {
            if (metainfo == null) {
                throw new IllegalStateException("file priorities need the torrent's metadata; use selectFiles for a magnet link");
            }
            if (priorities.length != metainfo.info().files().size()) {
                throw new IllegalArgumentException("one priority per file: " + metainfo.info().files().size()
                        + " expected, " + priorities.length + " given");
            }
            this.filePriorities = priorities.clone();
            return this;
        }

        /**
         * Download only these files (indices in torrent order); the others are skipped. For a
         * magnet link the indices are applied when the metadata arrives (out-of-range ones ignored).
         */
        public Builder selectFiles(List<Integer> indices) {
            if (metainfo == null) {
                for (int i : indices) {
                    if (i < 0) {
                        throw new IllegalArgumentException("file index " + i + " is negative");
                    }
                }
                this.selectedFiles = List.copyOf(indices);
                return this;
            }
            byte[] p = new byte[metainfo.info().files().size()];
            for (int i : indices) {
                if (i < 0 || i >= p.length) {
                    throw new IllegalArgumentException("file index " + i + " out of range 0.." + (p.length - 1));
                }
                p[i] = 1;
            }
            this.filePriorities = p;
            return this;
        }

        /** Fetch pieces in order, for streaming. */
        public Builder sequential(boolean on) {
            this.sequential = on;
            return this;
        }

        /** Add without starting. */
        public Builder paused(boolean on) {
            this.paused = on;
            return this;
        }

        /** This torrent's upload limit in bytes/s; 0 unlimited. */
        public Builder uploadLimit(long bytesPerSecond) {
            this.uploadLimit = Math.max(0, bytesPerSecond);
            return this;
        }

        /** This torrent's download limit in bytes/s; 0 unlimited. */
        public Builder downloadLimit(long bytesPerSecond) {
            this.downloadLimit = Math.max(0, bytesPerSecond);
            return this;
        }

        /**
         * Only seed: the data must already be complete; adding fails with a clear error otherwise,
         * instead of downloading what is missing.
         */
        /**
         * Super seeding (BEP 16), for the first seed of a new torrent: each peer is offered one piece
         * at a time, the one fewest have, and the next once it passed a piece on, so the seed sends
         * each piece about once. Slower for a single peer; meant for a seed with many peers.
         */
        public Builder superSeeding(boolean on) {
            this.superSeeding = on;
            return this;
        }

        public Builder seedOnly(boolean on) {
            this.seedOnly = on;
            return this;
        }

        /**
         * Seed mode, as libtorrent's {@code seed_mode}: the data is not hashed at start (pieces
         * whose files exist are taken as had, and served at once); each piece is hashed the first
         * time a peer asks for it, before any of it is sent. A piece that does not match stops the
         * torrent with an error, so nothing unverified ever leaves; resume data records only the
         * pieces verified. For a seed whose data is known to be complete (it made the torrent).
         * A recheck hashes everything and ends seed mode.
         */
        public Builder seedMode(boolean on) {
            this.seedMode = on;
            return this;
        }

        private final List<List<String>> renames = new ArrayList<>();

        /**
         * Stores a file or directory under another name, as {@link TorrentHandle#renamePath} did
         * before (for a torrent added again at start, say): applied in the order given, once the
         * metadata is known; one that no longer applies is skipped with a warning.
         */
        public Builder renamed(String path, String newName) {
            renames.add(List.of(path, newName));
            return this;
        }

        /** The trackers, in tiers (BEP 12), instead of the torrent's own (a user's edited list, say). */
        public Builder trackerTiers(List<List<String>> tiers) {
            this.trackerTiers = tiers.stream().map(List::copyOf).filter(t -> !t.isEmpty()).toList();
            return this;
        }

        public AddTorrentParams build() {
            return new AddTorrentParams(this);
        }
    }
}
