package io.jtorrent.daemon;


import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.TorrentHandle;
import io.jtorrent.engine.TorrentState;
import io.jtorrent.engine.TorrentStatus;
import io.jtorrent.metainfo.FileEntry;
import io.jtorrent.metainfo.MagnetUri;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.MetainfoException;
import io.jtorrent.storage.FileStorage;
import io.jtorrent.storage.ResumeData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code jtorrent daemon}: one {@link Session} with many torrents, its state kept in a config
 * directory, driven over a Transmission-compatible RPC and a web UI ({@link HttpFrontend}).
 *
 * <p>Threading: the daemon's bookkeeping (ids, records, queue, limits) lives on one thread of its
 * own; RPC calls are dispatched onto it and compose the engine's futures, so no call waits on disk
 * or hashing (those run on the engine's threads, and the daemon's own file work on an I/O thread).
 *
 * <pre>{@code
 * try (Daemon d = Daemon.start(new Daemon.Options(Path.of("config"), Path.of("downloads"), null,
 *         "127.0.0.1", 9091, null, Settings.builder().listenPort(51413)))) {
 *     d.awaitShutdown();
 * }
 * }</pre>
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    /**
     * How a daemon runs.
     *
     * @param configDir state, torrent files and resume data
     * @param downloadDir where torrents go unless told otherwise
     * @param watchDir a directory whose new .torrent files are added, or null
     * @param rpcBind the RPC and web UI's address (loopback unless told otherwise)
     * @param rpcPort 0 picks a free port
     * @param auth "user:password" for HTTP Basic authentication, or null for none
     * @param session the engine's settings (the resume directory is set by the daemon)
     * @param security what the RPC accepts and where it may put data
     */
    public record Options(Path configDir, Path downloadDir, Path watchDir, String rpcBind, int rpcPort, String auth,
                          Settings.Builder session, Security security) {
        public Options(Path configDir, Path downloadDir, Path watchDir, String rpcBind, int rpcPort, String auth,
                       Settings.Builder session) {
            this(configDir, downloadDir, watchDir, rpcBind, rpcPort, auth, session, Security.defaults());
        }
    }

    /**
     * What the daemon's HTTP side accepts, and where the RPC may put data.
     *
     * @param hostWhitelist host names accepted in {@code Host} besides IP literals and localhost
     *     ({@code *} wildcards; a lone {@code "*"} turns the DNS-rebinding check off). Default: none.
     * @param clientWhitelist client addresses allowed ({@code *} wildcards, e.g. {@code 192.168.*.*}),
     *     or null for any. Default: null.
     * @param allowedPaths directories, besides the download directory, under which the RPC may place
     *     torrents ({@code download-dir}, {@code location}); fixed at start. Default: none.
     * @param requestTimeout how long a request's head may take after the connection opens or the
     *     previous answer ends (and the longest pause inside a body). Default: 30 s.
     * @param scriptDir the directory whose programs script-torrent-done may name, or null for none
     * @param webHome another web client's directory, served at /transmission/web/ instead of ours, or null
     */
    public record Security(List<String> hostWhitelist, List<String> clientWhitelist, List<Path> allowedPaths,
                           java.time.Duration requestTimeout, Path scriptDir, Path webHome) {
        public Security {
            hostWhitelist = List.copyOf(hostWhitelist);
            clientWhitelist = clientWhitelist == null ? null : List.copyOf(clientWhitelist);
            allowedPaths = List.copyOf(allowedPaths);
        }

        /** Serving our web UI. */
        public Security(List<String> hostWhitelist, List<String> clientWhitelist, List<Path> allowedPaths,
                        java.time.Duration requestTimeout, Path scriptDir) {
            this(hostWhitelist, clientWhitelist, allowedPaths, requestTimeout, scriptDir, null);
        }

        /** The same, serving the web client in {@code dir} at /transmission/web/ instead of ours (null: ours). */
        public Security withWebHome(Path dir) {
            return new Security(hostWhitelist, clientWhitelist, allowedPaths, requestTimeout, scriptDir, dir);
        }

        /** Without a script directory: the RPC cannot make the daemon run anything. */
        public Security(List<String> hostWhitelist, List<String> clientWhitelist, List<Path> allowedPaths,
                        java.time.Duration requestTimeout) {
            this(hostWhitelist, clientWhitelist, allowedPaths, requestTimeout, null);
        }

        public static Security defaults() {
            return new Security(List.of(), null, List.of(), java.time.Duration.ofSeconds(30));
        }
    }

    final Options options;
    /** The engine's settings, built once from the options. */
    final Settings settings;
    final Session session;
    final DaemonState state;
    private final Path stateFile;
    /** settings.json: the session settings under Transmission's names, written with the state. */
    final SettingsFile settingsFile;
    private final Path torrentsDir;
    /** The daemon's own thread: every record and map below is touched only there. */
    final ScheduledExecutorService executor;
    /** File work (saving state, deleting data, reading added files) off the daemon's thread. */
    final ExecutorService io;
    final Map<Integer, ManagedTorrent> byId = new LinkedHashMap<>();
    private final Map<String, ManagedTorrent> byHash = new LinkedHashMap<>();
    final long startedAt = System.currentTimeMillis();
    private final HttpFrontend http;
    /** Where the RPC may place data: fixed at start. */
    final PathRoots roots;
    private final WatchDirectory watch;
    private final CompletableFuture<Void> shutdown = new CompletableFuture<>();
    private boolean dirty;
    private boolean saving;
    private int ticks;
    /** The cumulative totals as loaded at start; this run's are added when the state is written. */
    private final long baseUploaded;
    private final long baseDownloaded;
    private final long baseSeconds;
    /** Totals of the torrents removed during this run, so session stats do not go down. */
    long removedUploaded;
    long removedDownloaded;

    private Daemon(Options o) throws IOException {
        this.options = o;
        Files.createDirectories(o.configDir());
        Files.createDirectories(o.downloadDir());
        List<Path> rootDirs = new ArrayList<>();
        rootDirs.add(o.downloadDir());
        rootDirs.addAll(o.security().allowedPaths());
        this.roots = new PathRoots(rootDirs);
        this.stateFile = o.configDir().resolve("state.json");
        this.torrentsDir = Files.createDirectories(o.configDir().resolve("torrents"));
        this.state = DaemonState.load(stateFile);
        this.settingsFile = SettingsFile.load(o.configDir());
        settingsFile.applyTo(state);
        state.sessionCount++;
        this.baseUploaded = state.cumulativeUploaded;
        this.baseDownloaded = state.cumulativeDownloaded;
        this.baseSeconds = state.cumulativeSeconds;
        if (state.downloadDir == null) {
            state.downloadDir = o.downloadDir().toAbsolutePath().toString();
        }
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jtorrent-daemon");
            t.setDaemon(true);
            return t;
        });
        this.io = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jtorrent-daemon-io");
            t.setDaemon(true);
            return t;
        });
        this.settings = o.session().resumeDirectory(o.configDir().resolve("resume")).build();
        this.session = Session.start(settings);
        try {
            applySpeedLimits();
            blocklist = BlocklistUpdate.load(o.configDir());
            applyBlocklist();
            if (state.encryption != null) {
                session.setEncryption(Settings.Encryption.parse(state.encryption));
            }
            if (state.utpEnabled != null && settings.tcp) {
                try {
                    session.setUtp(state.utpEnabled);
                } catch (java.io.IOException e) {
                    LOG.warn("uTP stays off: {}", e.getMessage());
                }
            }
            // every torrent back as it was: from its saved .torrent (or the metadata fetched for a
            // magnet), else the magnet link again
            List<TorrentRecord> records = new ArrayList<>(state.torrents);
            state.torrents.clear();
            for (TorrentRecord r : records) {
                try {
                    restore(r);
                } catch (Exception e) {
                    LOG.warn("torrent {} could not be restored: {}", r.infoHash, e.getMessage());
                }
            }
            this.http = new HttpFrontend(this);
            this.watch = o.watchDir() == null ? null : new WatchDirectory(this, o.watchDir());
        } catch (IOException | RuntimeException e) {
            session.close();
            executor.shutdownNow();
            io.shutdownNow();
            throw e;
        }
        executor.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        markDirty();
    }

    /** Starts a daemon: state loaded, torrents restored, RPC listening. */
    public static Daemon start(Options o) throws IOException {
        return new Daemon(o);
    }

    /** The port the RPC and web UI listen on. */
    public int rpcPort() {
        return http.port();
    }

    /** The session's peer port. */
    public int peerPort() {
        return session.listenPort();
    }

    /** Blocks until {@link #close()} (from a signal handler, say) has finished. */
    public void awaitShutdown() throws InterruptedException {
        try {
            shutdown.get();
        } catch (java.util.concurrent.ExecutionException e) {
            // closed anyway
        }
    }

    // ---- restoring and adding ----

    private void restore(TorrentRecord r) throws Exception {
        Path saved = torrentsDir.resolve(r.infoHash + ".torrent");
        Path fetched = options.configDir().resolve("resume").resolve(r.infoHash + ".torrent");
        Metainfo m = null;
        if (Files.exists(saved)) {
            m = Metainfo.read(saved);
        } else if (Files.exists(fetched)) {
            m = Metainfo.read(fetched);
            Files.copy(fetched, saved);
        }
        AddTorrentParams.Builder p;
        if (m != null) {
            p = AddTorrentParams.builder(m, Path.of(r.dataDir()));
            byte[] priorities = enginePriorities(r, m.info().files().size());
            if (priorities != null) {
                p.filePriorities(priorities);
            }
        } else if (r.magnet != null) {
            p = AddTorrentParams.builder(MagnetUri.parse(r.magnet), Path.of(r.dataDir()));
        } else {
            throw new IOException("neither its .torrent nor a magnet link is kept");
        }
        p.paused(r.paused || r.limitReached);
        if (r.trackers != null) {
            p.trackerTiers(r.trackers);
        }
        r.renames.forEach(rename -> p.renamed(rename.get(0), rename.get(1)));
        p.sequential(r.sequentialDownload);
        applyLimits(p, r);
        register(r, session.addNow(p.build())); // checked in the background: a restart with many torrents is quick
    }

    /** What {@code torrent-add} asked for. */
    record AddRequest(Metainfo metainfo, MagnetUri magnet, Path downloadDir, Boolean paused, List<Integer> wanted,
                      List<Integer> unwanted, List<Integer> high, List<Integer> low, List<String> labels) {}

    /**
     * Where a new torrent downloads: the incomplete dir when that is on (Transmission's
     * incomplete-dir), unless some of its files are in the download dir already (data to check and
     * seed stays where it is); null for the download dir itself.
     */
    private String incompleteDirFor(Metainfo m, Path downloadDir) {
        if (!state.incompleteDirEnabled || state.incompleteDir == null
                || Path.of(state.incompleteDir).equals(downloadDir.toAbsolutePath())) {
            return null;
        }
        if (m != null && m.info().files().stream().anyMatch(f -> !f.pad() && Files.exists(f.resolveIn(downloadDir)))) {
            return null;
        }
        return state.incompleteDir;
    }

    /** A finished torrent's data leaves the incomplete dir for its download dir (once; an error is logged and retried). */
    private void leaveIncompleteDir(ManagedTorrent t) {
        if (t.record.incompleteDir == null || t.movingToDownloadDir) {
            return;
        }
        t.movingToDownloadDir = true;
        t.handle.moveStorage(Path.of(t.record.downloadDir), true).whenCompleteAsync((v, e) -> {
            t.movingToDownloadDir = false;
            if (e != null) {
                LOG.warn("{}: moving the finished data to {} failed: {}", t.hash(), t.record.downloadDir, e.getMessage());
                return;
            }
            t.record.incompleteDir = null;
            markDirty();
            Runnable then = t.afterMove;
            t.afterMove = null;
            if (then != null) {
                then.run();
            }
        }, executor);
    }

    /** The outcome of an add: the torrent, and whether it was there already. */
    record Added(ManagedTorrent torrent, boolean duplicate) {}

    /** Adds a torrent (on the daemon's thread); completes once the engine has it. */
    CompletableFuture<Added> add(AddRequest a) {
        String hash = (a.metainfo() != null ? a.metainfo().infoHash() : a.magnet().infoHash()).hex();
        ManagedTorrent existing = byHash.get(hash);
        if (existing != null) {
            return CompletableFuture.completedFuture(new Added(existing, true));
        }
        TorrentRecord r = new TorrentRecord();
        r.id = state.nextId++;
        r.infoHash = hash;
        r.downloadDir = (a.downloadDir() != null ? a.downloadDir() : Path.of(state.downloadDir)).toAbsolutePath().toString();
        r.paused = a.paused() != null ? a.paused() : !state.startAddedTorrents;
        r.addedDate = Instant.now().getEpochSecond();
        r.queuePosition = byId.size();
        r.labels = a.labels() == null ? new ArrayList<>() : new ArrayList<>(a.labels());
        if (a.magnet() != null) {
            r.magnet = a.magnet().toString();
        }
        r.incompleteDir = incompleteDirFor(a.metainfo(), Path.of(r.downloadDir));
        AddTorrentParams.Builder p;
        if (a.metainfo() != null) {
            int files = a.metainfo().info().files().size();
            for (int i = 0; i < files; i++) {
                r.priorities.add(0);
                r.wanted.add(true);
            }
            applyFileChoices(r, a.wanted(), a.unwanted(), a.high(), a.low());
            p = AddTorrentParams.builder(a.metainfo(), Path.of(r.dataDir()));
            byte[] priorities = enginePriorities(r, files);
            if (priorities != null) {
                p.filePriorities(priorities);
            }
        } else {
            p = AddTorrentParams.builder(a.magnet(), Path.of(r.dataDir()));
        }
        p.paused(r.paused);
        Metainfo m = a.metainfo();
        CompletableFuture<Void> written = m == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> {
                    try {
                        ResumeData.writeAtomically(torrentsDir.resolve(hash + ".torrent"), m.toTorrentFile());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, io);
        // registered at once (the id is taken); the engine's add completes later
        // the engine checks existing data in the background: the answer does not wait for hashing
        return written.thenApplyAsync(v -> {
            ManagedTorrent t = register(r, session.addNow(p.build()));
            state.filesAdded++;
            markDirty();
            return new Added(t, false);
        }, executor);
    }

    private ManagedTorrent register(TorrentRecord r, TorrentHandle h) {
        ManagedTorrent t = new ManagedTorrent(r, h);
        t.lastTransfer = Instant.now().getEpochSecond();
        // a torrent file is kept in torrents/; a magnet's metadata, once fetched, beside its resume data
        t.torrentFile = h.metainfo() != null ? torrentsDir.resolve(r.infoHash + ".torrent")
                : options.configDir().resolve("resume").resolve(r.infoHash + ".torrent");
        byId.put(r.id, t);
        byHash.put(r.infoHash, t);
        state.torrents.add(r);
        state.nextId = Math.max(state.nextId, r.id + 1);
        h.status().thenAccept(s -> t.last = s);
        if (r.peerLimit > 0) {
            h.setPeerLimit(r.peerLimit);
        }
        if (r.bandwidthPriority != 0) {
            h.setBandwidthPriority(r.bandwidthPriority);
        }
        groups.apply(t);
        return t;
    }

    /** Transmission's files-wanted / -unwanted / priority-* lists onto a record. */
    static void applyFileChoices(TorrentRecord r, List<Integer> wanted, List<Integer> unwanted, List<Integer> high,
                                 List<Integer> low) {
        int n = r.wanted.size();
        if (wanted != null) {
            wanted.stream().filter(i -> i >= 0 && i < n).forEach(i -> r.wanted.set(i, true));
        }
        if (unwanted != null) {
            unwanted.stream().filter(i -> i >= 0 && i < n).forEach(i -> r.wanted.set(i, false));
        }
        if (high != null) {
            high.stream().filter(i -> i >= 0 && i < n).forEach(i -> r.priorities.set(i, 1));
        }
        if (low != null) {
            low.stream().filter(i -> i >= 0 && i < n).forEach(i -> r.priorities.set(i, -1));
        }
    }

    /** The engine's per-file priorities (0 skip, 1 normal, 2 high; low counts as normal) or null for all normal. */
    static byte[] enginePriorities(TorrentRecord r, int files) {
        if (r.wanted.size() != files) {
            return null;
        }
        byte[] p = new byte[files];
        boolean allNormal = true;
        for (int i = 0; i < files; i++) {
            p[i] = (byte) (!r.wanted.get(i) ? 0 : r.priorities.get(i) > 0 ? 2 : 1);
            allNormal &= p[i] == 1;
        }
        return allNormal ? null : p;
    }

    private void applyLimits(AddTorrentParams.Builder p, TorrentRecord r) {
        p.uploadLimit(r.uploadLimited ? r.uploadLimitKBps * 1000 : 0);
        p.downloadLimit(r.downloadLimited ? r.downloadLimitKBps * 1000 : 0);
    }

    /** Applies the session's speed limits (alternative ones when turtle mode is on). */
    void applySpeedLimits() {
        long up = state.altSpeedEnabled ? state.altSpeedUpKBps * 1000 : state.speedLimitUpEnabled ? state.speedLimitUpKBps * 1000 : 0;
        long down = state.altSpeedEnabled ? state.altSpeedDownKBps * 1000
                : state.speedLimitDownEnabled ? state.speedLimitDownKBps * 1000 : 0;
        session.setLimits(up, down);
    }

    // ---- actions (on the daemon's thread) ----

    ManagedTorrent byId(int id) {
        return byId.get(id);
    }

    ManagedTorrent byHash(String hex) {
        return byHash.get(hex.toLowerCase(java.util.Locale.ROOT));
    }

    List<ManagedTorrent> all() {
        return new ArrayList<>(byId.values());
    }

    CompletableFuture<Void> start(ManagedTorrent t, boolean now) {
        t.record.paused = false;
        t.record.limitReached = false;
        t.queued = false;
        if (now) {
            t.record.queuePosition = -1; // ahead of the queue
            renumberQueue();
        }
        markDirty();
        return t.handle.resume();
    }

    CompletableFuture<Void> stop(ManagedTorrent t) {
        t.record.paused = true;
        t.queued = false;
        markDirty();
        return t.handle.pause();
    }

    CompletableFuture<Void> remove(ManagedTorrent t, boolean deleteData) {
        byId.remove(t.id());
        byHash.remove(t.hash());
        state.torrents.remove(t.record);
        renumberQueue();
        markDirty();
        TorrentStatus s = t.last;
        if (s != null) {
            removedUploaded += s.uploadedThisSession();
            removedDownloaded += s.downloadedThisSession();
        }
        http.metrics.departed(s);
        Metainfo m = t.handle.metainfo();
        Path dir = Path.of(t.record.dataDir());
        // which files are the torrent's own is asked before it goes: never a same-named file of the user's
        CompletableFuture<java.util.BitSet> owned = deleteData && m != null ? t.handle.ownedFiles()
                : CompletableFuture.completedFuture(new java.util.BitSet());
        return owned.thenCompose(files -> t.handle.remove().thenRunAsync(() -> {
            try {
                Files.deleteIfExists(torrentsDir.resolve(t.hash() + ".torrent"));
                Files.deleteIfExists(options.configDir().resolve("resume").resolve(t.hash() + ".resume"));
                Files.deleteIfExists(options.configDir().resolve("resume").resolve(t.hash() + ".torrent"));
                if (deleteData && m != null) {
                    deleteData(m, dir, files);
                }
            } catch (IOException e) {
                LOG.warn("removing {}: {}", t.hash(), e.getMessage());
            }
        }, io));
    }

    /**
     * Deletes the torrent's own files ({@code owned}: created by it or holding its verified data),
     * its part file, and the directories it made once empty. Links are never followed.
     */
    static void deleteData(Metainfo m, Path dir, java.util.BitSet owned) throws IOException {
        List<FileEntry> files = m.info().files();
        for (int i = 0; i < files.size(); i++) {
            Path p = files.get(i).resolveIn(dir);
            if (owned.get(i) && !files.get(i).pad() && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(p);
            }
        }
        FileStorage.FACTORY.deleteBookkeeping(m.info(), dir);
        if (!m.info().isSingleFile()) {
            Path root = dir.resolve(files.get(0).path().get(0));
            if (Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (var walk = Files.walk(root)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                            try (var entries = Files.list(p)) {
                                if (entries.findAny().isEmpty()) {
                                    Files.delete(p);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    void markDirty() {
        dirty = true;
    }

    private void renumberQueue() {
        List<ManagedTorrent> order = new ArrayList<>(byId.values());
        order.sort(Comparator.comparingInt(t -> t.record.queuePosition));
        for (int i = 0; i < order.size(); i++) {
            order.get(i).record.queuePosition = i;
        }
    }

    /** Moves torrents in the queue: Transmission's queue-move-top/up/down/bottom. */
    void moveInQueue(List<ManagedTorrent> ts, String how) {
        renumberQueue();
        int n = byId.size();
        for (ManagedTorrent t : ts) {
            int p = t.record.queuePosition;
            t.record.queuePosition = switch (how) {
                case "top" -> -1;
                case "up" -> p - 2; // before the one above, ties broken by renumbering below
                case "down" -> p + 2;
                default -> n + 1;
            };
            // a stable order: the moved one wins ties by a half step
            renumberWith(t);
        }
        markDirty();
    }

    private void renumberWith(ManagedTorrent moved) {
        List<ManagedTorrent> order = new ArrayList<>(byId.values());
        order.sort(Comparator.<ManagedTorrent>comparingDouble(t -> t.record.queuePosition + (t == moved ? -0.5 : 0)));
        for (int i = 0; i < order.size(); i++) {
            order.get(i).record.queuePosition = i;
        }
    }

    // ---- the once-a-second tick: status, queue, limits, saving ----

    /** Transmission's bandwidth groups and their limiters. */
    final BandwidthGroups groups = new BandwidthGroups(this);

    /** The blocklist kept in CONFIG_DIR/blocklists, or null. */
    volatile Blocklist blocklist;

    /** The blocklist applied to peers while enabled; lifted otherwise. */
    void applyBlocklist() {
        Blocklist b = blocklist;
        session.setBlocklist(state.blocklistEnabled && b != null ? b::contains : null);
    }

    /** Whether the alt-speed schedule's window held at the last tick; null: not looked yet (or changed since). */
    private Boolean scheduleWasActive;

    /** The schedule or its switch changed: its state applies at the next tick, as when a window opens. */
    void scheduleChanged() {
        scheduleWasActive = null;
    }

    /** Alt speeds on when the schedule's window opens, off when it closes (Transmission's turtle schedule). */
    private void applySchedule() {
        if (!state.altSpeedTimeEnabled) {
            scheduleWasActive = null;
            return;
        }
        java.time.LocalDateTime now = java.time.LocalDateTime.now();
        boolean active = AltSpeedSchedule.active(now.getHour() * 60 + now.getMinute(), now.getDayOfWeek(),
                state.altSpeedTimeBegin, state.altSpeedTimeEnd, state.altSpeedTimeDay);
        if (scheduleWasActive == null || scheduleWasActive != active) {
            scheduleWasActive = active;
            if (state.altSpeedEnabled != active) {
                state.altSpeedEnabled = active;
                applySpeedLimits();
                markDirty();
            }
        }
    }

    private void tick() {
        try {
            ticks++;
            applySchedule();
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (ManagedTorrent t : byId.values()) {
                pending.add(t.handle.status().thenAcceptAsync(s -> observe(t, s), executor));
            }
            CompletableFuture.allOf(pending.toArray(new CompletableFuture[0]))
                    .orTimeout(5, TimeUnit.SECONDS)
                    .whenCompleteAsync((v, e) -> {
                        applyQueue();
                        // totals move all the time: written every 30 s at least, changes within 5 s
                        if ((dirty && ticks % 5 == 0) || ticks % 30 == 0) {
                            save();
                        }
                    }, executor);
        } catch (RuntimeException e) {
            LOG.warn("daemon tick: {}", e.toString());
        }
    }

    private void observe(ManagedTorrent t, TorrentStatus s) {
        TorrentStatus before = t.last;
        t.last = s;
        long now = Instant.now().getEpochSecond();
        long nanos = System.nanoTime();
        long elapsedMillis = (nanos - t.observedAt) / 1_000_000;
        t.observedAt = nanos;
        if (s.state() == TorrentState.DOWNLOADING) {
            t.record.downloadingMillis += elapsedMillis;
        } else if (s.state() == TorrentState.SEEDING) {
            t.record.seedingMillis += elapsedMillis;
        }
        if (s.downloadRate() > 0 || s.uploadRate() > 0) {
            t.lastTransfer = now;
            t.record.activityDate = now;
        }
        if (s.isFinished() && t.record.doneDate == 0 && (before == null || !before.isFinished() || s.downloaded() > 0)) {
            t.record.doneDate = now;
            markDirty();
            // Transmission's script-torrent-done, once the data is where it stays
            if (t.record.incompleteDir != null) {
                t.afterMove = () -> DoneScript.run(this, t);
            } else {
                DoneScript.run(this, t);
            }
        }
        if (s.isFinished()) {
            leaveIncompleteDir(t);
        }
        if (s.state() == TorrentState.SEEDING && !t.record.paused) {
            double limit = t.record.seedRatioMode == 1 ? t.record.seedRatioLimit
                    : t.record.seedRatioMode == 0 && state.seedRatioLimited ? state.seedRatioLimit : -1;
            long size = t.handle.metainfo() == null ? 0 : t.handle.metainfo().info().totalLength();
            boolean ratioReached = limit >= 0 && s.ratio(size) >= limit;
            int idle = idleLimitMinutes(t);
            boolean idleReached = idle > 0 && now - t.lastTransfer >= idle * 60L;
            if (ratioReached || idleReached) {
                LOG.info("{}: {} limit reached, stopping", s.name(), ratioReached ? "seed ratio" : "idle seeding");
                t.record.paused = true;
                t.record.limitReached = true;
                t.handle.pause();
                markDirty();
            }
        }
    }

    /** The idle seeding limit that applies to a torrent, in minutes (its own or the session's), or -1 for none. */
    int idleLimitMinutes(ManagedTorrent t) {
        return t.record.seedIdleMode == 1 ? t.record.seedIdleLimit
                : t.record.seedIdleMode == 0 && state.idleSeedingLimitEnabled ? state.idleSeedingLimit : -1;
    }

    /** Holds torrents back beyond the download and seed queue sizes; lets them go in queue order. */
    private void applyQueue() {
        List<ManagedTorrent> order = new ArrayList<>(byId.values());
        order.sort(Comparator.comparingInt(t -> t.record.queuePosition));
        int downloading = 0;
        int seeding = 0;
        for (ManagedTorrent t : order) {
            TorrentStatus s = t.last;
            if (t.record.paused || s == null || s.state() == TorrentState.ERROR || s.state() == TorrentState.CHECKING) {
                continue;
            }
            boolean complete = s.isFinished() || (s.progress() >= 1.0 && s.state() == TorrentState.PAUSED);
            boolean allowed = complete ? !state.seedQueueEnabled || seeding < state.seedQueueSize
                    : !state.downloadQueueEnabled || downloading < state.downloadQueueSize;
            if (allowed) {
                if (complete) {
                    seeding++;
                } else {
                    downloading++;
                }
                if (t.queued) {
                    t.queued = false;
                    t.handle.resume();
                }
            } else if (!t.queued) {
                t.queued = true;
                t.handle.pause();
            }
        }
    }

    /** Folds this run's totals into the state (from the base loaded at start: never counted twice). */
    private void updateTotals() {
        long up = removedUploaded;
        long down = removedDownloaded;
        for (ManagedTorrent t : byId.values()) {
            TorrentStatus s = t.last;
            if (s != null) {
                up += s.uploadedThisSession();
                down += s.downloadedThisSession();
            }
        }
        state.cumulativeUploaded = baseUploaded + up;
        state.cumulativeDownloaded = baseDownloaded + down;
        state.cumulativeSeconds = baseSeconds + (System.currentTimeMillis() - startedAt) / 1000;
    }

    /** The cumulative totals as they would be written now. */
    long[] cumulative() {
        updateTotals();
        return new long[] {state.cumulativeUploaded, state.cumulativeDownloaded, state.cumulativeSeconds};
    }

    /** Writes the state file on the I/O thread, from a copy taken here. */
    private void save() {
        if (saving) {
            return;
        }
        dirty = false;
        saving = true;
        updateTotals();
        DaemonState copy = state.copy();
        io.execute(() -> {
            try {
                copy.save(stateFile, settingsFile);
            } catch (IOException e) {
                LOG.warn("saving {}: {}", stateFile, e.getMessage());
            } finally {
                executor.execute(() -> saving = false);
            }
        });
    }

    private io.jtorrent.tracker.HttpTrackerClient fetcher;

    /** The HTTP client that fetches .torrent files for {@code torrent-add} by URL. */
    io.jtorrent.tracker.HttpTrackerClient fetcher() {
        if (fetcher == null) {
            fetcher = new io.jtorrent.tracker.HttpTrackerClient(http.group(), java.time.Duration.ofSeconds(30), "jtorrent/0.1.0");
        }
        return fetcher;
    }

    /** Runs {@code action} on the daemon's thread. */
    <T> CompletableFuture<T> onDaemonThread(java.util.function.Supplier<CompletableFuture<T>> action) {
        return CompletableFuture.supplyAsync(action, executor).thenCompose(f -> f);
    }

    /** Stops cleanly: the RPC first, then the torrents (announcing stopped, flushing data and resume files), then the state. */
    @Override
    public void close() {
        if (shutdown.isDone()) {
            return;
        }
        http.close();
        if (watch != null) {
            watch.close();
        }
        try {
            // fresh statuses first: the last tick's may be a second old
            CompletableFuture.supplyAsync(() -> {
                List<CompletableFuture<?>> fresh = new ArrayList<>();
                for (ManagedTorrent t : byId.values()) {
                    fresh.add(t.handle.status().thenAccept(s -> t.last = s));
                }
                return CompletableFuture.allOf(fresh.toArray(new CompletableFuture[0]));
            }, executor).thenCompose(f -> f).get(5, TimeUnit.SECONDS);
            CompletableFuture.runAsync(this::updateTotals, executor).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // saving what we have anyway
        }
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session.close();
        try {
            state.save(stateFile, settingsFile);
        } catch (IOException e) {
            LOG.warn("saving {}: {}", stateFile, e.getMessage());
        }
        io.shutdown();
        shutdown.complete(null);
    }

    static MetainfoException corrupt(String message) {
        return new MetainfoException(message);
    }
}
