package io.jtorrent.daemon;

import io.jtorrent.engine.TorrentHandle;
import io.jtorrent.engine.TorrentStatus;

/** One torrent of the daemon: its persisted record, its engine handle, the latest status seen. */
final class ManagedTorrent {
    final TorrentRecord record;
    final TorrentHandle handle;
    /** Refreshed once a second by the daemon; what the queue and the limits look at. */
    volatile TorrentStatus last;
    /** Waiting in the download or seed queue (held back by the daemon, not by the user). */
    boolean queued;
    /** When it last uploaded or downloaded, for the idle seeding limit (epoch seconds). */
    long lastTransfer;
    /** When the daemon last looked (System.nanoTime), for the time spent downloading and seeding. */
    long observedAt = System.nanoTime();
    /** Where the torrent's .torrent is kept (a magnet's once its metadata came), for the torrentFile field. */
    volatile java.nio.file.Path torrentFile;
    /** Its data is being moved out of the incomplete dir. */
    boolean movingToDownloadDir;
    /** What runs once the data has left the incomplete dir (the done script), or null. */
    Runnable afterMove;

    ManagedTorrent(TorrentRecord record, TorrentHandle handle) {
        this.record = record;
        this.handle = handle;
    }

    int id() {
        return record.id;
    }

    String hash() {
        return record.infoHash;
    }
}
