package io.jtorrent.daemon;

import io.jtorrent.storage.ResumeData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's state: its session settings, cumulative totals, and every torrent's
 * {@link TorrentRecord}. The session settings are kept in {@code CONFIG_DIR/settings.json} under
 * Transmission's names ({@link SettingsFile}); the rest in {@code CONFIG_DIR/state.json} (which, as
 * written by earlier versions, may still carry the settings: they are read from it once and moved).
 * Both written whole, atomically (temporary file, fsync, rename), so a crash leaves the previous or
 * the new version, never a mix.
 */
public final class DaemonState {
    public int nextId = 1;
    public long cumulativeUploaded;
    public long cumulativeDownloaded;
    public long cumulativeSeconds;
    public int sessionCount;
    public int filesAdded;
    public long speedLimitUpKBps = 100;
    public boolean speedLimitUpEnabled;
    public long speedLimitDownKBps = 100;
    public boolean speedLimitDownEnabled;
    public long altSpeedUpKBps = 50;
    public long altSpeedDownKBps = 50;
    public boolean altSpeedEnabled;
    public boolean downloadQueueEnabled = true;
    public int downloadQueueSize = 5;
    public boolean seedQueueEnabled;
    public int seedQueueSize = 10;
    public double seedRatioLimit = 2.0;
    public boolean seedRatioLimited;
    public int idleSeedingLimit = 30;
    public boolean idleSeedingLimitEnabled;
    public boolean startAddedTorrents = true;
    public String downloadDir;
    /** Transmission's bandwidth groups, by name. */
    public java.util.Map<String, BandwidthGroups.Group> groups = new java.util.TreeMap<>();
    /** Transmission's script-torrent-done: a program inside the daemon's --script-dir, run when a torrent completes. */
    public boolean scriptTorrentDoneEnabled;
    public String scriptTorrentDoneFilename;
    /** Transmission's blocklist: applied while enabled; fetched from the URL by blocklist-update. */
    public boolean blocklistEnabled;
    public String blocklistUrl;
    /** The alt-speed schedule (Transmission's alt-speed-time-*): minutes after midnight, a day mask. */
    public boolean altSpeedTimeEnabled;
    public int altSpeedTimeBegin = 540;
    public int altSpeedTimeEnd = 1020;
    public int altSpeedTimeDay = 127;
    /** Where torrents download until complete when {@link #incompleteDirEnabled} (null: the download dir). */
    public String incompleteDir;
    public boolean incompleteDirEnabled;
    /** The encryption policy set over RPC ("required", "preferred", "tolerated"); null: the start options' choice. */
    public String encryption;
    /** uTP on or off as set over RPC; null: the start options' choice. */
    public Boolean utpEnabled;
    public List<TorrentRecord> torrents = new ArrayList<>();

    static DaemonState load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new DaemonState();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode tree = Json.read(Files.readAllBytes(file));
            if (tree == null) {
                throw new IOException("empty");
            }
            return Json.fromTree(tree, DaemonState.class);
        } catch (IOException e) {
            throw new IOException(file + ": not a daemon state file: " + e.getMessage(), e);
        }
    }

    /** Writes the settings file's session keys, then the state file without them. */
    void save(Path file, SettingsFile settings) throws IOException {
        settings.save(this);
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) Json.tree(this);
        tree.remove(SettingsFile.SESSION_KEYS.values());
        ResumeData.writeAtomically(file, Json.writePretty(tree));
    }

    /** A deep copy, to be written by another thread while the daemon goes on changing this one. */
    DaemonState copy() {
        try {
            return Json.fromTree(Json.tree(this), DaemonState.class);
        } catch (IOException e) {
            throw new IllegalStateException("a state's own tree does not read back", e);
        }
    }
}
