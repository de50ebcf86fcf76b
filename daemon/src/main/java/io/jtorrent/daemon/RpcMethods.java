package io.jtorrent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtorrent.engine.TorrentHandle;
import io.jtorrent.engine.TorrentStatus;
import io.jtorrent.metainfo.MagnetUri;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.MetainfoException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The RPC methods, a table of name to handler (Transmission's rpcimpl does the same). Every
 * handler runs on the daemon's thread and returns a future of the response's arguments; a
 * {@link RpcException} becomes the response's {@code result}.
 */
final class RpcMethods {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RpcMethods.class);
    /** One RPC method. */
    @FunctionalInterface
    interface Method {
        CompletableFuture<ObjectNode> call(ObjectNode arguments);
    }

    static final int RPC_VERSION = 18;
    /** The Transmission release whose RPC this answers (4.1: rpc-version 18), and ours: front-ends read the first. */
    static final String VERSION = "4.1.0 (jtorrent 0.1.0)";

    private final Daemon d;
    /** Ids removed recently, for {@code recently-active} answers. */
    private final Map<Integer, Long> removed = new LinkedHashMap<>();

    private RpcMethods(Daemon d) {
        this.d = d;
    }

    static Map<String, Method> table(Daemon d) {
        RpcMethods m = new RpcMethods(d);
        Map<String, Method> t = new LinkedHashMap<>();
        t.put("torrent-get", m.onDaemon(m::torrentGet));
        t.put("torrent-add", m.onDaemon(m::torrentAdd));
        t.put("torrent-start", m.onDaemon(a -> m.each(a, x -> d.start(x, false))));
        t.put("torrent-start-now", m.onDaemon(a -> m.each(a, x -> d.start(x, true))));
        t.put("torrent-stop", m.onDaemon(a -> m.each(a, d::stop)));
        t.put("torrent-verify", m.onDaemon(a -> m.each(a, x -> x.handle.recheck())));
        t.put("torrent-reannounce", m.onDaemon(a -> m.each(a, x -> x.handle.reannounce())));
        t.put("torrent-remove", m.onDaemon(m::torrentRemove));
        t.put("torrent-set", m.onDaemon(m::torrentSet));
        t.put("torrent-set-location", m.onDaemon(m::torrentSetLocation));
        t.put("session-get", m.onDaemon(m::sessionGet));
        t.put("session-set", m.onDaemon(m::sessionSet));
        t.put("session-stats", m.onDaemon(m::sessionStats));
        t.put("session-close", m.onDaemon(a -> {
            new Thread(d::close, "jtorrent-daemon-close").start();
            return CompletableFuture.completedFuture(Json.object());
        }));
        t.put("free-space", m.onDaemon(m::freeSpace));
        t.put("torrent-rename-path", m.onDaemon(m::torrentRenamePath));
        t.put("group-set", m.onDaemon(a -> CompletableFuture.completedFuture(d.groups.set(a))));
        t.put("group-get", m.onDaemon(a -> CompletableFuture.completedFuture(d.groups.get(a))));
        t.put("blocklist-update", a -> CompletableFuture.supplyAsync(() -> {
            String url = d.state.blocklistUrl;
            if (url == null || url.isBlank()) {
                throw new RpcException("blocklist-update: no blocklist-url is set");
            }
            try {
                d.blocklist = BlocklistUpdate.fetch(url, d.roots, d.options.configDir());
            } catch (java.io.IOException e) {
                throw new RpcException("blocklist-update: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RpcException("blocklist-update: interrupted");
            }
            d.applyBlocklist();
            ObjectNode o = Json.object();
            o.put("blocklist-size", d.blocklist.size());
            return o;
        }, d.io));
        t.put("port-test", a -> CompletableFuture.supplyAsync(() -> m.portTest(), d.io));
        for (String how : List.of("top", "up", "down", "bottom")) {
            t.put("queue-move-" + how, m.onDaemon(a -> {
                d.moveInQueue(m.select(a), how);
                return CompletableFuture.completedFuture(Json.object());
            }));
        }
        return t;
    }

    private Method onDaemon(Method m) {
        return a -> d.onDaemonThread(() -> m.call(a));
    }

    // ---- ids ----

    /** The torrents {@code ids} names: absent for all, a number, a hash, a list of either, or "recently-active". */
    List<ManagedTorrent> select(ObjectNode a) {
        JsonNode ids = a.get("ids");
        if (ids == null || ids.isNull()) {
            return d.all();
        }
        List<ManagedTorrent> out = new ArrayList<>();
        if (ids.isTextual() && ids.asText().equals("recently-active")) {
            long since = Instant.now().getEpochSecond() - 60;
            for (ManagedTorrent t : d.all()) {
                if (t.record.activityDate >= since || t.record.addedDate >= since || active(t)) {
                    out.add(t);
                }
            }
            return out;
        }
        if (ids.isArray()) {
            for (JsonNode id : ids) {
                addId(out, id);
            }
        } else {
            addId(out, ids);
        }
        return out;
    }

    private static boolean active(ManagedTorrent t) {
        return t.last != null && (t.last.downloadRate() > 0 || t.last.uploadRate() > 0);
    }

    private void addId(List<ManagedTorrent> out, JsonNode id) {
        ManagedTorrent t;
        if (id.isIntegralNumber()) {
            t = d.byId(id.asInt());
        } else if (id.isTextual() && id.asText().matches("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")) {
            t = d.byHash(id.asText());
        } else if (id.isTextual() && id.asText().matches("[0-9]{1,9}")) {
            t = d.byId(Integer.parseInt(id.asText()));
        } else {
            throw new RpcException("invalid id: " + id);
        }
        if (t != null && !out.contains(t)) {
            out.add(t);
        }
    }

    private CompletableFuture<ObjectNode> each(ObjectNode a, java.util.function.Function<ManagedTorrent, CompletableFuture<Void>> f) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (ManagedTorrent t : select(a)) {
            all.add(f.apply(t));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).thenApply(v -> Json.object());
    }

    // ---- torrent-get ----

    private CompletableFuture<ObjectNode> torrentGet(ObjectNode a) {
        JsonNode fieldsNode = a.get("fields");
        if (fieldsNode == null || !fieldsNode.isArray()) {
            throw new RpcException("no fields given (a list of names)");
        }
        List<String> fields = new ArrayList<>();
        for (JsonNode f : fieldsNode) {
            if (!f.isTextual()) {
                throw new RpcException("fields must be strings, not " + f);
            }
            fields.add(f.asText());
        }
        boolean table = a.has("format") && "table".equals(a.get("format").asText());
        boolean recent = a.has("ids") && a.get("ids").isTextual() && a.get("ids").asText().equals("recently-active");
        List<ManagedTorrent> ts = select(a);
        // every status in one task per event loop, then the rows on the daemon's thread
        return TorrentHandle.statuses(ts.stream().map(t -> t.handle).toList())
                .thenComposeAsync(statuses -> rows(ts, statuses, fields, table, recent), d.executor);
    }

    private CompletableFuture<ObjectNode> rows(List<ManagedTorrent> ts, List<TorrentStatus> statuses, List<String> fields,
                                               boolean table, boolean recent) {
        List<CompletableFuture<TorrentFields.Extras>> extras = new ArrayList<>();
        TorrentFields.Needs needs = TorrentFields.Needs.of(fields);
        for (ManagedTorrent t : ts) {
            extras.add(TorrentFields.extras(t, needs));
        }
        // the rows are written as the answer is serialized, on the daemon's thread (it owns the records)
        return CompletableFuture.allOf(extras.toArray(new CompletableFuture[0])).thenApplyAsync(v -> {
            ObjectNode out = Json.object();
            out.putPOJO("torrents", new TorrentFields.Rows(d, ts, statuses,
                    extras.stream().map(CompletableFuture::join).toList(), fields, table, false));
            if (recent) {
                ArrayNode gone = out.putArray("removed");
                long since = Instant.now().getEpochSecond() - 60;
                removed.forEach((id, when) -> {
                    if (when >= since) {
                        gone.add(id);
                    }
                });
            }
            return out;
        }, d.executor);
    }

    // ---- torrent-add ----

    private CompletableFuture<ObjectNode> torrentAdd(ObjectNode a) {
        String filename = text(a, "filename");
        String metainfo = text(a, "metainfo");
        if (filename == null && metainfo == null) {
            throw new RpcException("torrent-add needs a filename or metainfo");
        }
        onlyApplied("torrent-add", a, TORRENT_ADD_APPLIED, TORRENT_ADD_ONLY_DEFAULT);
        int peerLimit = a.has("peer-limit") ? (int) range(a, "peer-limit", 1, 10_000) : 0;
        int priority = a.has("bandwidthPriority") ? (int) range(a, "bandwidthPriority", -1, 1) : 0;
        ints(a, "priority-normal"); // every file starts at normal priority: checked, nothing to do
        Path dir = a.has("download-dir") ? d.roots.confine("download-dir", text(a, "download-dir")) : null;
        Boolean paused = a.has("paused") ? bool(a, "paused") : null;
        List<Integer> wanted = ints(a, "files-wanted");
        List<Integer> unwanted = ints(a, "files-unwanted");
        List<Integer> high = ints(a, "priority-high");
        List<Integer> low = ints(a, "priority-low");
        List<String> labels = strings(a, "labels");
        CompletableFuture<Daemon.AddRequest> request;
        if (metainfo != null) {
            byte[] bytes;
            try {
                bytes = Base64.getMimeDecoder().decode(metainfo);
            } catch (IllegalArgumentException e) {
                throw new RpcException("invalid or corrupt torrent file: metainfo is not base64");
            }
            request = CompletableFuture.completedFuture(new Daemon.AddRequest(parse(bytes), null, dir, paused, wanted,
                    unwanted, high, low, labels));
        } else if (MagnetUri.looksLikeMagnet(filename)) {
            try {
                request = CompletableFuture.completedFuture(new Daemon.AddRequest(null, MagnetUri.parse(filename), dir,
                        paused, wanted, unwanted, high, low, labels));
            } catch (MetainfoException e) {
                throw new RpcException("invalid magnet link: " + e.getMessage());
            }
        } else if (filename.startsWith("http://") || filename.startsWith("https://")) {
            // one answer for every failure: whether a host or port exists inside the network is not told
            request = d.fetcher().download(filename, Metainfo.MAX_TORRENT_FILE_BYTES).handle((bytes, e) -> {
                Metainfo m = null;
                try {
                    m = e == null ? Metainfo.parse(bytes) : null;
                } catch (MetainfoException notATorrent) {
                    e = notATorrent;
                }
                if (m == null) {
                    LOG.debug("torrent-add {}: {}", filename, e.toString());
                    throw new RpcException("cannot add " + filename + ": no torrent file could be fetched from it");
                }
                return new Daemon.AddRequest(m, null, dir, paused, wanted, unwanted, high, low, labels);
            });
        } else if (filename.contains("://")) {
            throw new RpcException("cannot add " + filename + ": only http, https and magnet links, or a local path");
        } else {
            // a path on the daemon's machine, as Transmission reads it; errors never quote the file
            request = CompletableFuture.supplyAsync(() -> {
                try {
                    Path p = Path.of(filename);
                    if (!Files.isRegularFile(p) || Files.size(p) > Metainfo.MAX_TORRENT_FILE_BYTES) {
                        throw new RpcException("cannot read " + filename + ": not a readable torrent file");
                    }
                    return new Daemon.AddRequest(Metainfo.parse(Files.readAllBytes(p)), null, dir, paused, wanted, unwanted,
                            high, low, labels);
                } catch (IOException | MetainfoException | java.nio.file.InvalidPathException e) {
                    // the same answer whether the file is absent, unreadable or not a torrent
                    throw new RpcException("cannot read " + filename + ": not a readable torrent file");
                }
            }, d.io);
        }
        return request.thenComposeAsync(d::add, d.executor).thenApplyAsync(added -> {
            ManagedTorrent nt = added.torrent();
            if (!added.duplicate() && peerLimit > 0) {
                nt.record.peerLimit = peerLimit;
                nt.handle.setPeerLimit(peerLimit);
            }
            if (!added.duplicate() && priority != 0) {
                nt.record.bandwidthPriority = priority;
                nt.handle.setBandwidthPriority(priority);
            }
            ObjectNode out = Json.object();
            ObjectNode t = out.putObject(added.duplicate() ? "torrent-duplicate" : "torrent-added");
            t.put("id", added.torrent().id());
            t.put("hashString", added.torrent().hash());
            t.put("name", added.torrent().handle.metainfo() != null ? added.torrent().handle.metainfo().info().name()
                    : MagnetUri.looksLikeMagnet(String.valueOf(added.torrent().record.magnet)) ? displayName(added.torrent())
                    : added.torrent().hash());
            return out;
        }, d.executor);
    }

    private static String displayName(ManagedTorrent t) {
        try {
            return MagnetUri.parse(t.record.magnet).displayName().orElse(t.hash());
        } catch (MetainfoException e) {
            return t.hash();
        }
    }

    private static Metainfo parse(byte[] bytes) {
        try {
            return Metainfo.parse(bytes);
        } catch (MetainfoException e) {
            throw new RpcException("invalid or corrupt torrent file: " + e.getMessage());
        }
    }

    // ---- torrent-rename-path ----

    /** At most this many renames kept per torrent: each is applied again at every start. */
    static final int MAX_RENAMES = 1000;

    /** Transmission's torrent-rename-path: one torrent, a path in it, its last element's new name. */
    private CompletableFuture<ObjectNode> torrentRenamePath(ObjectNode a) {
        onlyApplied("torrent-rename-path", a, java.util.Set.of("ids", "path", "name"), Map.of());
        String path = text(a, "path");
        String name = text(a, "name");
        if (path == null || name == null) {
            throw new RpcException("torrent-rename-path needs a path and a name");
        }
        List<ManagedTorrent> ts = a.has("ids") ? select(a) : List.of(); // never "every torrent" by omission
        if (ts.size() != 1) {
            throw new RpcException("torrent-rename-path works on exactly one torrent (" + ts.size() + " selected)");
        }
        ManagedTorrent t = ts.get(0);
        if (t.record.renames.size() >= MAX_RENAMES) {
            throw new RpcException("torrent-rename-path: this torrent has been renamed " + MAX_RENAMES + " times already");
        }
        return t.handle.renamePath(path, name).handleAsync((v, e) -> {
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                throw new RpcException("torrent-rename-path: " + (cause instanceof java.nio.file.FileAlreadyExistsException
                        ? "'" + name + "' exists already on disk" : cause.getMessage()));
            }
            t.record.renames.add(List.of(path, name));
            d.markDirty();
            ObjectNode out = Json.object();
            out.put("path", path);
            out.put("name", name);
            out.put("id", t.id());
            return out;
        }, d.executor);
    }

    // ---- torrent-remove, -set, -set-location ----

    private CompletableFuture<ObjectNode> torrentRemove(ObjectNode a) {
        boolean delete = a.has("delete-local-data") && bool(a, "delete-local-data");
        List<ManagedTorrent> ts = select(a);
        long now = Instant.now().getEpochSecond();
        ts.forEach(t -> removed.put(t.id(), now));
        return each(a, t -> d.remove(t, delete));
    }

    /** What torrent-set applies; any other argument is refused by name (never a silent success). */
    private static final java.util.Set<String> TORRENT_SET_APPLIED = java.util.Set.of("ids", "uploadLimit", "uploadLimited",
            "downloadLimit", "downloadLimited", "seedRatioLimit", "seedRatioMode", "seedIdleLimit", "seedIdleMode",
            "queuePosition", "labels", "files-wanted", "files-unwanted", "priority-high", "priority-low", "priority-normal",
            "location", "trackerAdd", "trackerRemove", "trackerReplace", "trackerList", "peer-limit", "group", "bandwidthPriority",
            "honorsSessionLimits", "sequentialDownload");
    /** What torrent-add applies; any other argument is refused by name. */
    private static final java.util.Set<String> TORRENT_ADD_APPLIED = java.util.Set.of("filename", "metainfo", "download-dir",
            "paused", "files-wanted", "files-unwanted", "priority-high", "priority-low", "priority-normal", "labels", "peer-limit",
            "bandwidthPriority");
    /** torrent-add arguments accepted only at the value that asks for nothing: no cookies for the fetch. */
    private static final Map<String, JsonNode> TORRENT_ADD_ONLY_DEFAULT = Map.of("cookies", Json.NODES.textNode(""));
    /** What session-set applies; any other argument is refused by name unless it asks for what already is. */
    private static final java.util.Set<String> SESSION_SET_APPLIED = java.util.Set.of("alt-speed-down", "alt-speed-up",
            "alt-speed-enabled", "speed-limit-down", "speed-limit-down-enabled", "speed-limit-up", "speed-limit-up-enabled",
            "download-queue-enabled", "download-queue-size", "seed-queue-enabled", "seed-queue-size", "seedRatioLimit",
            "seedRatioLimited", "idle-seeding-limit", "idle-seeding-limit-enabled", "start-added-torrents", "download-dir",
            "encryption", "utp-enabled", "incomplete-dir", "incomplete-dir-enabled", "alt-speed-time-enabled",
            "alt-speed-time-begin", "alt-speed-time-end", "alt-speed-time-day", "blocklist-enabled", "blocklist-url",
            "script-torrent-done-enabled", "script-torrent-done-filename");

    /**
     * Refuses, naming them, the arguments a method does not apply; {@code current}: values the
     * caller may send unchanged (what session-get reports, say), which ask for nothing.
     */
    private static void onlyApplied(String method, ObjectNode a, java.util.Set<String> applied, Map<String, JsonNode> current) {
        List<String> refused = new ArrayList<>();
        a.fieldNames().forEachRemaining(k -> {
            if (!applied.contains(k) && !k.equals("fields") && !(current.containsKey(k) && current.get(k).equals(a.get(k)))) {
                refused.add(k);
            }
        });
        if (!refused.isEmpty()) {
            java.util.Collections.sort(refused);
            throw new RpcException(method + ": not supported by this daemon (nothing was changed): " + String.join(", ", refused));
        }
    }

    private CompletableFuture<ObjectNode> torrentSet(ObjectNode a) {
        onlyApplied("torrent-set", a, TORRENT_SET_APPLIED, Map.of());
        // every argument is checked first, so a wrong type is an error even when no torrent matches
        for (String k : List.of("uploadLimit", "downloadLimit", "seedIdleLimit", "queuePosition")) {
            if (a.has(k)) {
                nonNegative(a, k);
            }
        }
        for (String k : List.of("uploadLimited", "downloadLimited")) {
            if (a.has(k)) {
                bool(a, k);
            }
        }
        for (String k : List.of("files-wanted", "files-unwanted", "priority-high", "priority-low", "priority-normal")) {
            ints(a, k);
        }
        if (a.has("seedRatioLimit")) {
            number(a, "seedRatioLimit");
        }
        int peerLimit = a.has("peer-limit") ? (int) range(a, "peer-limit", 1, 10_000) : 0;
        Integer priority = a.has("bandwidthPriority") ? (int) range(a, "bandwidthPriority", -1, 1) : null;
        Boolean honors = a.has("honorsSessionLimits") ? bool(a, "honorsSessionLimits") : null;
        Boolean sequential = a.has("sequentialDownload") ? bool(a, "sequentialDownload") : null;
        String group = a.has("group") ? String.valueOf(text(a, "group")) : null;
        if (group != null && !group.isEmpty() && !d.state.groups.containsKey(group)) {
            throw new RpcException("group: no bandwidth group '" + group + "' (make it with group-set)");
        }
        Path location = a.has("location") ? d.roots.confine("location", text(a, "location")) : null;
        if (TrackerLists.touches(a)) {
            TrackerLists.edit(List.of(), tryTrackerTypesOnly(a)); // wrong types and bad URLs refused before any change
        }
        List<CompletableFuture<Void>> work = new ArrayList<>();
        for (ManagedTorrent t : select(a)) {
            TorrentRecord r = t.record;
            if (TrackerLists.touches(a)) {
                r.trackers = TrackerLists.edit(TrackerLists.current(r, t.handle.metainfo()), a);
                work.add(t.handle.setTrackers(r.trackers));
            }
            if (peerLimit > 0) {
                r.peerLimit = peerLimit;
                work.add(t.handle.setPeerLimit(peerLimit));
            }
            if (priority != null) {
                r.bandwidthPriority = priority;
                t.handle.setBandwidthPriority(priority);
            }
            if (honors != null) {
                r.honorsSessionLimits = honors;
            }
            if (sequential != null) {
                r.sequentialDownload = sequential;
                work.add(t.handle.setSequential(sequential));
            }
            if (group != null) {
                r.group = group;
            }
            if (group != null || honors != null) {
                d.groups.apply(t);
            }
            boolean limits = false;
            if (a.has("uploadLimit")) {
                r.uploadLimitKBps = nonNegative(a, "uploadLimit");
                limits = true;
            }
            if (a.has("uploadLimited")) {
                r.uploadLimited = bool(a, "uploadLimited");
                limits = true;
            }
            if (a.has("downloadLimit")) {
                r.downloadLimitKBps = nonNegative(a, "downloadLimit");
                limits = true;
            }
            if (a.has("downloadLimited")) {
                r.downloadLimited = bool(a, "downloadLimited");
                limits = true;
            }
            if (limits) {
                work.add(t.handle.setLimits(r.uploadLimited ? r.uploadLimitKBps * 1000 : 0,
                        r.downloadLimited ? r.downloadLimitKBps * 1000 : 0));
            }
            if (a.has("seedRatioLimit")) {
                r.seedRatioLimit = number(a, "seedRatioLimit");
            }
            if (a.has("seedRatioMode")) {
                r.seedRatioMode = (int) range(a, "seedRatioMode", 0, 2);
            }
            if (a.has("seedIdleLimit")) {
                r.seedIdleLimit = (int) nonNegative(a, "seedIdleLimit");
            }
            if (a.has("seedIdleMode")) {
                r.seedIdleMode = (int) range(a, "seedIdleMode", 0, 2);
            }
            if (a.has("queuePosition")) {
                r.queuePosition = (int) nonNegative(a, "queuePosition");
                d.moveInQueue(List.of(t), "set");
            }
            if (a.has("labels")) {
                r.labels = strings(a, "labels");
            }
            if (a.has("files-wanted") || a.has("files-unwanted") || a.has("priority-high") || a.has("priority-low")
                    || a.has("priority-normal")) {
                if (r.wanted.isEmpty() && t.handle.metainfo() != null) {
                    for (int i = 0; i < t.handle.metainfo().info().files().size(); i++) {
                        r.wanted.add(true);
                        r.priorities.add(0);
                    }
                }
                List<Integer> normal = ints(a, "priority-normal");
                if (normal != null) {
                    normal.stream().filter(i -> i >= 0 && i < r.priorities.size()).forEach(i -> r.priorities.set(i, 0));
                }
                Daemon.applyFileChoices(r, ints(a, "files-wanted"), ints(a, "files-unwanted"), ints(a, "priority-high"),
                        ints(a, "priority-low"));
                byte[] p = Daemon.enginePriorities(r, r.wanted.size());
                if (p == null) {
                    p = new byte[r.wanted.size()];
                    java.util.Arrays.fill(p, (byte) 1);
                }
                work.add(t.handle.setFilePriorities(p));
            }
            if (location != null) {
                work.add(setLocation(t, location, false));
            }
        }
        d.markDirty();
        return CompletableFuture.allOf(work.toArray(new CompletableFuture[0])).thenApply(v -> Json.object());
    }

    /** The tracker arguments whose meaning needs no torrent (URLs to add, a whole list), to check them up front. */
    private static ObjectNode tryTrackerTypesOnly(ObjectNode a) {
        ObjectNode check = Json.object();
        for (String k : List.of("trackerAdd", "trackerList")) {
            if (a.has(k)) {
                check.set(k, a.get(k));
            }
        }
        return check;
    }

    private CompletableFuture<ObjectNode> torrentSetLocation(ObjectNode a) {
        String requested = text(a, "location");
        if (requested == null) {
            throw new RpcException("torrent-set-location needs a location");
        }
        Path location = d.roots.confine("location", requested);
        boolean move = a.has("move") && bool(a, "move");
        return each(a, t -> setLocation(t, location, move));
    }

    private CompletableFuture<Void> setLocation(ManagedTorrent t, Path to, boolean move) {
        return t.handle.moveStorage(to, move).thenRunAsync(() -> {
            t.record.downloadDir = to.toString();
            t.record.incompleteDir = null; // the data is where it was told to be now
            d.markDirty();
        }, d.executor);
    }

    // ---- session ----

    private CompletableFuture<ObjectNode> sessionGet(ObjectNode a) {
        DaemonState s = d.state;
        ObjectNode o = Json.object();
        o.put("alt-speed-down", s.altSpeedDownKBps);
        o.put("alt-speed-enabled", s.altSpeedEnabled);
        o.put("alt-speed-time-begin", s.altSpeedTimeBegin);
        o.put("alt-speed-time-day", s.altSpeedTimeDay);
        o.put("alt-speed-time-enabled", s.altSpeedTimeEnabled);
        o.put("alt-speed-time-end", s.altSpeedTimeEnd);
        o.put("alt-speed-up", s.altSpeedUpKBps);
        o.put("blocklist-enabled", s.blocklistEnabled);
        o.put("blocklist-size", d.blocklist == null ? 0 : d.blocklist.size());
        o.put("blocklist-url", s.blocklistUrl == null ? "" : s.blocklistUrl);
        o.put("cache-size-mb", 4);
        o.put("config-dir", d.options.configDir().toAbsolutePath().toString());
        o.put("dht-enabled", d.session.dhtPort() >= 0);
        o.put("download-dir", s.downloadDir);
        o.put("download-dir-free-space", usable(Path.of(s.downloadDir)));
        o.put("download-queue-enabled", s.downloadQueueEnabled);
        o.put("download-queue-size", s.downloadQueueSize);
        o.put("encryption", d.session.encryption().label());
        o.put("idle-seeding-limit", s.idleSeedingLimit);
        o.put("idle-seeding-limit-enabled", s.idleSeedingLimitEnabled);
        o.put("incomplete-dir", s.incompleteDir != null ? s.incompleteDir : s.downloadDir);
        o.put("incomplete-dir-enabled", s.incompleteDirEnabled);
        o.put("lpd-enabled", d.settings.lsd());
        o.put("peer-limit-global", d.settings.maxConnections);
        o.put("peer-limit-per-torrent", d.settings.maxConnectionsPerTorrent);
        o.put("peer-port", d.session.listenPort());
        o.put("peer-port-random-on-start", false);
        o.put("pex-enabled", d.settings.pex());
        o.put("port-forwarding-enabled", false);
        o.put("queue-stalled-enabled", false);
        o.put("queue-stalled-minutes", 30);
        o.put("rename-partial-files", false);
        o.put("rpc-version", RPC_VERSION);
        o.put("rpc-version-minimum", 14);
        o.put("rpc-version-semver", "5.4.0");
        // Transmission 4's other scripts and default trackers: told as they are (off, none); setting them is refused
        o.put("default-trackers", "");
        o.put("script-torrent-added-enabled", false);
        o.put("script-torrent-added-filename", "");
        o.put("script-torrent-done-seeding-enabled", false);
        o.put("script-torrent-done-seeding-filename", "");
        o.put("script-torrent-done-enabled", s.scriptTorrentDoneEnabled);
        o.put("script-torrent-done-filename", s.scriptTorrentDoneFilename == null ? "" : s.scriptTorrentDoneFilename);
        o.put("seed-queue-enabled", s.seedQueueEnabled);
        o.put("seed-queue-size", s.seedQueueSize);
        o.put("seedRatioLimit", s.seedRatioLimit);
        o.put("seedRatioLimited", s.seedRatioLimited);
        o.put("session-id", "");
        o.put("speed-limit-down", s.speedLimitDownKBps);
        o.put("speed-limit-down-enabled", s.speedLimitDownEnabled);
        o.put("speed-limit-up", s.speedLimitUpKBps);
        o.put("speed-limit-up-enabled", s.speedLimitUpEnabled);
        o.put("start-added-torrents", s.startAddedTorrents);
        o.put("trash-original-torrent-files", false);
        ObjectNode units = o.putObject("units");
        units.putArray("speed-units").add("kB/s").add("MB/s").add("GB/s").add("TB/s");
        units.put("speed-bytes", 1000);
        units.putArray("size-units").add("kB").add("MB").add("GB").add("TB");
        units.put("size-bytes", 1000);
        units.putArray("memory-units").add("KiB").add("MiB").add("GiB").add("TiB");
        units.put("memory-bytes", 1024);
        o.put("utp-enabled", d.session.utpEnabled());
        o.put("version", VERSION);
        JsonNode fields = a.get("fields");
        if (fields != null && fields.isArray() && fields.size() > 0) {
            ObjectNode only = Json.object();
            fields.forEach(f -> {
                if (o.has(f.asText())) {
                    only.set(f.asText(), o.get(f.asText()));
                }
            });
            return CompletableFuture.completedFuture(only);
        }
        return CompletableFuture.completedFuture(o);
    }

    private CompletableFuture<ObjectNode> sessionSet(ObjectNode a) {
        Map<String, JsonNode> current = new java.util.HashMap<>();
        sessionGet(Json.object()).join().fields().forEachRemaining(e -> current.put(e.getKey(), e.getValue()));
        onlyApplied("session-set", a, SESSION_SET_APPLIED, current);
        // checked before anything changes: a refused directory leaves the session as it was
        Path downloadDir = a.has("download-dir") ? d.roots.confine("download-dir", text(a, "download-dir")) : null;
        io.jtorrent.engine.Settings.Encryption encryption = null;
        if (a.has("encryption")) {
            try {
                encryption = io.jtorrent.engine.Settings.Encryption.parse(String.valueOf(text(a, "encryption")));
            } catch (IllegalArgumentException e) {
                throw new RpcException(e.getMessage());
            }
        }
        Boolean utp = a.has("utp-enabled") ? bool(a, "utp-enabled") : null;
        Path incompleteDir = a.has("incomplete-dir") ? d.roots.confine("incomplete-dir", text(a, "incomplete-dir")) : null;
        Boolean incompleteOn = a.has("incomplete-dir-enabled") ? bool(a, "incomplete-dir-enabled") : null;
        if (incompleteDir != null) {
            try {
                java.nio.file.Files.createDirectories(incompleteDir);
            } catch (java.io.IOException e) {
                throw new RpcException("incomplete-dir: cannot create " + incompleteDir + ": " + e.getMessage());
            }
        }
        int[] schedule = {
            a.has("alt-speed-time-begin") ? (int) range(a, "alt-speed-time-begin", 0, 1439) : -1,
            a.has("alt-speed-time-end") ? (int) range(a, "alt-speed-time-end", 0, 1439) : -1,
            a.has("alt-speed-time-day") ? (int) range(a, "alt-speed-time-day", 0, 127) : -1,
        };
        Boolean scheduleOn = a.has("alt-speed-time-enabled") ? bool(a, "alt-speed-time-enabled") : null;
        String script = null; // checked before anything changes: a script outside --script-dir is refused
        if (a.has("script-torrent-done-filename")) {
            String f = String.valueOf(text(a, "script-torrent-done-filename")).strip();
            script = f.isEmpty() ? "" : DoneScript.confine(d, f).toString();
        }
        DaemonState s = d.state;
        if (schedule[0] >= 0) {
            s.altSpeedTimeBegin = schedule[0];
        }
        if (schedule[1] >= 0) {
            s.altSpeedTimeEnd = schedule[1];
        }
        if (schedule[2] >= 0) {
            s.altSpeedTimeDay = schedule[2];
        }
        if (scheduleOn != null) {
            s.altSpeedTimeEnabled = scheduleOn;
        }
        if (scheduleOn != null || schedule[0] >= 0 || schedule[1] >= 0 || schedule[2] >= 0) {
            d.scheduleChanged(); // the schedule's current state applies at the next tick
        }
        if (incompleteDir != null) {
            s.incompleteDir = incompleteDir.toString();
        }
        if (incompleteOn != null) {
            s.incompleteDirEnabled = incompleteOn;
        }
        if (script != null) {
            s.scriptTorrentDoneFilename = script.isEmpty() ? null : script;
        }
        if (a.has("script-torrent-done-enabled")) {
            s.scriptTorrentDoneEnabled = bool(a, "script-torrent-done-enabled");
        }
        if (a.has("blocklist-url")) {
            s.blocklistUrl = String.valueOf(text(a, "blocklist-url")).strip();
        }
        if (a.has("blocklist-enabled")) {
            s.blocklistEnabled = bool(a, "blocklist-enabled");
            d.applyBlocklist();
        }
        if (a.has("alt-speed-down")) {
            s.altSpeedDownKBps = nonNegative(a, "alt-speed-down");
        }
        if (a.has("alt-speed-up")) {
            s.altSpeedUpKBps = nonNegative(a, "alt-speed-up");
        }
        if (a.has("alt-speed-enabled")) {
            s.altSpeedEnabled = bool(a, "alt-speed-enabled");
        }
        if (a.has("speed-limit-down")) {
            s.speedLimitDownKBps = nonNegative(a, "speed-limit-down");
        }
        if (a.has("speed-limit-down-enabled")) {
            s.speedLimitDownEnabled = bool(a, "speed-limit-down-enabled");
        }
        if (a.has("speed-limit-up")) {
            s.speedLimitUpKBps = nonNegative(a, "speed-limit-up");
        }
        if (a.has("speed-limit-up-enabled")) {
            s.speedLimitUpEnabled = bool(a, "speed-limit-up-enabled");
        }
        if (a.has("download-queue-enabled")) {
            s.downloadQueueEnabled = bool(a, "download-queue-enabled");
        }
        if (a.has("download-queue-size")) {
            s.downloadQueueSize = (int) range(a, "download-queue-size", 1, 10_000);
        }
        if (a.has("seed-queue-enabled")) {
            s.seedQueueEnabled = bool(a, "seed-queue-enabled");
        }
        if (a.has("seed-queue-size")) {
            s.seedQueueSize = (int) range(a, "seed-queue-size", 1, 10_000);
        }
        if (a.has("seedRatioLimit")) {
            s.seedRatioLimit = number(a, "seedRatioLimit");
        }
        if (a.has("seedRatioLimited")) {
            s.seedRatioLimited = bool(a, "seedRatioLimited");
        }
        if (a.has("idle-seeding-limit")) {
            s.idleSeedingLimit = (int) nonNegative(a, "idle-seeding-limit");
        }
        if (a.has("idle-seeding-limit-enabled")) {
            s.idleSeedingLimitEnabled = bool(a, "idle-seeding-limit-enabled");
        }
        if (a.has("start-added-torrents")) {
            s.startAddedTorrents = bool(a, "start-added-torrents");
        }
        if (utp != null && utp != d.session.utpEnabled()) {
            try {
                d.session.setUtp(utp);
            } catch (java.io.IOException | IllegalStateException e) {
                throw new RpcException("utp-enabled: " + e.getMessage());
            }
            s.utpEnabled = utp;
        }
        if (downloadDir != null) {
            s.downloadDir = downloadDir.toString();
        }
        if (encryption != null) {
            s.encryption = encryption.label();
            d.session.setEncryption(encryption);
        }
        d.applySpeedLimits();
        d.markDirty();
        return CompletableFuture.completedFuture(Json.object());
    }

    private CompletableFuture<ObjectNode> sessionStats(ObjectNode a) {
        long up = 0;
        long down = 0;
        long upTotal = d.removedUploaded;
        long downTotal = d.removedDownloaded;
        int active = 0;
        int paused = 0;
        for (ManagedTorrent t : d.all()) {
            if (t.last == null) {
                continue;
            }
            up += t.last.uploadRate();
            down += t.last.downloadRate();
            upTotal += t.last.uploadedThisSession();
            downTotal += t.last.downloadedThisSession();
            if (t.last.state() == io.jtorrent.engine.TorrentState.PAUSED || t.last.state() == io.jtorrent.engine.TorrentState.STOPPED) {
                paused++;
            } else {
                active++;
            }
        }
        long secs = (System.currentTimeMillis() - d.startedAt) / 1000;
        ObjectNode o = Json.object();
        o.put("activeTorrentCount", active);
        o.put("downloadSpeed", down);
        o.put("pausedTorrentCount", paused);
        o.put("torrentCount", d.all().size());
        o.put("uploadSpeed", up);
        ObjectNode current = o.putObject("current-stats");
        current.put("uploadedBytes", upTotal);
        current.put("downloadedBytes", downTotal);
        current.put("filesAdded", 0);
        current.put("sessionCount", 1);
        current.put("secondsActive", secs);
        long[] totals = d.cumulative();
        ObjectNode cumulative = o.putObject("cumulative-stats");
        cumulative.put("uploadedBytes", totals[0]);
        cumulative.put("downloadedBytes", totals[1]);
        cumulative.put("filesAdded", d.state.filesAdded);
        cumulative.put("sessionCount", d.state.sessionCount);
        cumulative.put("secondsActive", totals[2]);
        return CompletableFuture.completedFuture(o);
    }

    private CompletableFuture<ObjectNode> freeSpace(ObjectNode a) {
        String path = text(a, "path");
        if (path == null) {
            throw new RpcException("free-space needs a path");
        }
        return CompletableFuture.supplyAsync(() -> {
            Path p = Path.of(path);
            if (!Files.isDirectory(p)) {
                throw new RpcException("no such directory: " + path);
            }
            ObjectNode o = Json.object();
            o.put("path", path);
            o.put("size-bytes", usable(p));
            try {
                o.put("total_size", Files.getFileStore(p).getTotalSpace());
            } catch (IOException e) {
                o.put("total_size", -1);
            }
            return o;
        }, d.io);
    }

    /**
     * Whether our peer port accepts connections. Transmission asks a web service on the internet;
     * the daemon does not phone home, so this checks what it can: a TCP connection to the port on
     * the address it listens on. It cannot see a NAT or firewall in front of the machine.
     */
    private ObjectNode portTest() {
        boolean open;
        try (Socket s = new Socket()) {
            var bind = d.settings.bindAddress();
            s.connect(new InetSocketAddress(bind == null || bind.isAnyLocalAddress()
                    ? java.net.InetAddress.getLoopbackAddress() : bind, d.session.listenPort()), 3000);
            open = true;
        } catch (IOException e) {
            open = false;
        }
        ObjectNode o = Json.object();
        o.put("port-is-open", open);
        o.put("ip_protocol", "ipv4");
        return o;
    }

    private static long usable(Path p) {
        try {
            return Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    // ---- argument types ----

    static String text(ObjectNode a, String key) {
        JsonNode v = a.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new RpcException("argument " + key + " must be a string, not " + v.getNodeType().name().toLowerCase());
        }
        return v.asText();
    }

    static boolean bool(ObjectNode a, String key) {
        JsonNode v = a.get(key);
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber() && (v.asInt() == 0 || v.asInt() == 1)) {
            return v.asInt() == 1;
        }
        throw new RpcException("argument " + key + " must be a boolean, not " + v);
    }

    private static double number(ObjectNode a, String key) {
        JsonNode v = a.get(key);
        if (!v.isNumber()) {
            throw new RpcException("argument " + key + " must be a number, not " + v);
        }
        return v.asDouble();
    }

    static long range(ObjectNode a, String key, long min, long max) {
        JsonNode v = a.get(key);
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw new RpcException("argument " + key + " must be an integer in " + min + ".." + max + ", not " + v);
        }
        return v.asLong();
    }

    static long nonNegative(ObjectNode a, String key) {
        return range(a, key, 0, Long.MAX_VALUE / 1000);
    }

    private static List<Integer> ints(ObjectNode a, String key) {
        JsonNode v = a.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw new RpcException("argument " + key + " must be a list of file indices, not " + v.getNodeType().name().toLowerCase());
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode i : v) {
            if (!i.isIntegralNumber()) {
                throw new RpcException("argument " + key + " must hold integers, not " + i);
            }
            out.add(i.asInt());
        }
        return out;
    }

    private static List<String> strings(ObjectNode a, String key) {
        JsonNode v = a.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw new RpcException("argument " + key + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        v.forEach(s -> out.add(s.asText()));
        return out;
    }
}
