package io.jtorrent.daemon;

import java.util.ArrayList;
import java.util.List;

/**
 * What the daemon remembers of one torrent across restarts (one entry of {@code state.json});
 * the data itself and the verified pieces are the engine's resume data. Plain fields for Jackson.
 */
public final class TorrentRecord {
    /** The RPC id, stable across restarts. */
    public int id;
    public String infoHash;
    /** The magnet link it was added from, if it was (the metadata may be missing until peers send it). */
    public String magnet;
    public String downloadDir;
    /** Where the data is while incomplete (Transmission's incomplete-dir), moved to downloadDir when done; null: there. */
    public String incompleteDir;
    /** The user stopped it (or it was added paused); queued torrents are not paused. */
    public boolean paused;
    public long addedDate;
    public long doneDate;
    public long activityDate;
    /** Per-file priorities -1 low, 0 normal, 1 high, and wanted flags; empty means all normal and wanted. */
    public List<Integer> priorities = new ArrayList<>();
    public List<Boolean> wanted = new ArrayList<>();
    public long uploadLimitKBps;
    public boolean uploadLimited;
    public long downloadLimitKBps;
    public boolean downloadLimited;
    /** Transmission's seedRatioMode: 0 the session's limit, 1 this torrent's, 2 unlimited. */
    public int seedRatioMode;
    public double seedRatioLimit = 2.0;
    public int seedIdleMode;
    public int seedIdleLimit = 30;
    public int queuePosition;
    /** Transmission's bandwidthPriority: -1 low, 0 normal, 1 high (served first where torrents share a limit). */
    public int bandwidthPriority;
    /** Pieces picked in order (Transmission's sequential_download). */
    public boolean sequentialDownload;
    /** Whether the session's speed limits apply to it (Transmission's honorsSessionLimits). */
    public boolean honorsSessionLimits = true;
    /** Stopped by the seed ratio or idle limit (not by the user): shown as finished. */
    public boolean limitReached;
    public List<String> labels = new ArrayList<>();
    /** Its bandwidth group's name (Transmission's group), or "" for none. */
    public String group = "";
    /** Transmission's per-torrent peer-limit; 0: the session's. */
    public int peerLimit;
    /** The trackers as the user edited them (torrent-set trackerAdd ...); null: the torrent's own. */
    public List<List<String>> trackers;
    /** Time spent downloading and seeding (Transmission's secondsDownloading / secondsSeeding), in milliseconds. */
    public long downloadingMillis;
    public long seedingMillis;

    /** Files and directories stored under other names (torrent-rename-path): pairs of path and new name, in order. */
    public List<List<String>> renames = new ArrayList<>();

    /** Where the data is now. */
    String dataDir() {
        return incompleteDir != null ? incompleteDir : downloadDir;
    }
}
