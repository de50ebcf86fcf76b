package io.jtorrent.engine;

import io.jtorrent.metainfo.Metainfo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Session#add} needs to start a torrent. Build with {@link #builder(Metainfo, Path)}.
 *
 * <pre>{@code
 * AddTorrentParams p = AddTorrentParams.builder(Metainfo.read(Path.of("a.torrent")), Path.of("downloads"))
 *         .peer(new InetSocketAddress("127.0.0.1", 51413))
 *         .build();
 * }</pre>
 */
public final class AddTorrentParams {
    final Metainfo metainfo;
    final Path saveDirectory;
    final List<InetSocketAddress> peers;
    final byte[] filePriorities;
    final boolean sequential;
    final boolean paused;
    final long uploadLimit;
    final long downloadLimit;
    final boolean seedOnly;

    private AddTorrentParams(Builder b) {
        this.metainfo = b.metainfo;
        this.saveDirectory = b.saveDirectory;
        this.peers = List.copyOf(b.peers);
        this.filePriorities = b.filePriorities;
        this.sequential = b.sequential;
        this.paused = b.paused;
        this.uploadLimit = b.uploadLimit;
        this.downloadLimit = b.downloadLimit;
        this.seedOnly = b.seedOnly;
    }

    public static Builder builder(Metainfo metainfo, Path saveDirectory) {
        return new Builder(metainfo, saveDirectory);
    }

    public Metainfo metainfo() {
        return metainfo;
    }

    public static final class Builder {
        private final Metainfo metainfo;
        private final Path saveDirectory;
        private final List<InetSocketAddress> peers = new ArrayList<>();
        private byte[] filePriorities;
        private boolean sequential;
        private boolean paused;
        private long uploadLimit;
        private long downloadLimit;
        private boolean seedOnly;

        private Builder(Metainfo metainfo, Path saveDirectory) {
            this.metainfo = Objects.requireNonNull(metainfo);
            this.saveDirectory = Objects.requireNonNull(saveDirectory);
        }

        /** A peer to connect to, besides those trackers give. */
        public Builder peer(InetSocketAddress address) {
            peers.add(address);
            return this;
        }

        /** Per-file priorities in torrent order: 0 skip, 1 normal, 2 high. Default: all 1. */
        public Builder filePriorities(byte[] priorities) {
            if (priorities.length != metainfo.info().files().size()) {
                throw new IllegalArgumentException("one priority per file: " + metainfo.info().files().size()
                        + " expected, " + priorities.length + " given");
            }
            this.filePriorities = priorities.clone();
            return this;
        }

        /** Download only these files (indices in torrent order); the others are skipped. */
        public Builder selectFiles(List<Integer> indices) {
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
        public Builder seedOnly(boolean on) {
            this.seedOnly = on;
            return this;
        }

        public AddTorrentParams build() {
            return new AddTorrentParams(this);
        }
    }
}
