package io.jtorrent.engine;

/** Where a torrent is in its life. */
public enum TorrentState {
    /** Added from a magnet link: fetching the info dictionary from peers (BEP 9). */
    FETCHING_METADATA,
    /** Hashing the data already on disk. */
    CHECKING,
    /** Fetching pieces. */
    DOWNLOADING,
    /** Has every wanted piece; uploading to others. */
    SEEDING,
    /** Stopped by the user; no connections. */
    PAUSED,
    /** Stopped by an error (see the status's error); no connections. */
    ERROR,
    /** Removed or the session closed. */
    STOPPED
}
