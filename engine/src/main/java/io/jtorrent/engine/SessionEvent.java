package io.jtorrent.engine;

import io.jtorrent.metainfo.InfoHash;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a {@link Session} tells the program embedding it. Events are delivered in order, on one
 * thread of the session's own (never an event loop), to every subscriber.
 *
 * <p>Names, for logs and metrics: {@code torrent_added}, {@code torrent_checked},
 * {@code state_changed}, {@code piece_finished}, {@code hash_failed}, {@code torrent_finished},
 * {@code peer_connected}, {@code peer_disconnected}, {@code peer_banned}, {@code tracker_reply},
 * {@code tracker_warning}, {@code tracker_error}, {@code storage_error}, {@code torrent_removed}, {@code metadata_received},
 * {@code metadata_failed}, {@code web_seed_error}.
 */
public sealed interface SessionEvent {
    InfoHash infoHash();

    /** The event's name, as listed above. */
    String name();

    record TorrentAdded(InfoHash infoHash, String torrentName) implements SessionEvent {
        public String name() {
            return "torrent_added";
        }
    }

    /** The data on disk was checked: {@code havePieces} of {@code pieceCount} are present and correct. */
    record TorrentChecked(InfoHash infoHash, int havePieces, int pieceCount) implements SessionEvent {
        public String name() {
            return "torrent_checked";
        }
    }

    record StateChanged(InfoHash infoHash, TorrentState state) implements SessionEvent {
        public String name() {
            return "state_changed";
        }
    }

    record PieceFinished(InfoHash infoHash, int piece) implements SessionEvent {
        public String name() {
            return "piece_finished";
        }
    }

    /** A piece failed its SHA-1 check; it will be downloaded again. */
    record HashFailed(InfoHash infoHash, int piece, List<InetSocketAddress> contributors) implements SessionEvent {
        public HashFailed {
            contributors = List.copyOf(contributors);
        }

        public String name() {
            return "hash_failed";
        }
    }

    /** Every wanted piece is downloaded and verified. */
    record TorrentFinished(InfoHash infoHash) implements SessionEvent {
        public String name() {
            return "torrent_finished";
        }
    }

    record PeerConnected(InfoHash infoHash, InetSocketAddress address, String client, boolean outgoing) implements SessionEvent {
        public String name() {
            return "peer_connected";
        }
    }

    record PeerDisconnected(InfoHash infoHash, InetSocketAddress address, String reason) implements SessionEvent {
        public String name() {
            return "peer_disconnected";
        }
    }

    /** A peer sent bad data and will not be talked to again this session. */
    record PeerBanned(InfoHash infoHash, InetSocketAddress address, String reason) implements SessionEvent {
        public String name() {
            return "peer_banned";
        }
    }

    record TrackerReply(InfoHash infoHash, String url, int peers) implements SessionEvent {
        public String name() {
            return "tracker_reply";
        }
    }

    record TrackerWarning(InfoHash infoHash, String url, String message) implements SessionEvent {
        public String name() {
            return "tracker_warning";
        }
    }

    record TrackerError(InfoHash infoHash, String url, String message) implements SessionEvent {
        public String name() {
            return "tracker_error";
        }
    }

    /** A disk operation failed: the torrent is stopped with this error; the session goes on. */
    record StorageError(InfoHash infoHash, String message) implements SessionEvent {
        public String name() {
            return "storage_error";
        }
    }

    /** A magnet link's metadata arrived from peers and matched its info-hash; the download starts. */
    record MetadataReceived(InfoHash infoHash, String torrentName, int size) implements SessionEvent {
        public String name() {
            return "metadata_received";
        }
    }

    /** Metadata assembled from peers did not match the info-hash; those peers are blamed and it is fetched again. */
    record MetadataFailed(InfoHash infoHash, List<InetSocketAddress> contributors) implements SessionEvent {
        public String name() {
            return "metadata_failed";
        }
    }

    /** A web seed (BEP 19) failed; {@code dropped} when it is given up for good (wrong data, no range support). */
    record WebSeedError(InfoHash infoHash, String url, String message, boolean dropped) implements SessionEvent {
        public String name() {
            return "web_seed_error";
        }
    }

    record TorrentRemoved(InfoHash infoHash) implements SessionEvent {
        public String name() {
            return "torrent_removed";
        }
    }
}
