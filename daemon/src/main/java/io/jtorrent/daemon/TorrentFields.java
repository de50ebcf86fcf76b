package io.jtorrent.daemon;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import io.jtorrent.engine.PeerInfo;
import io.jtorrent.engine.PieceMap;
import io.jtorrent.engine.TorrentState;
import io.jtorrent.engine.TorrentStatus;
import io.jtorrent.engine.TrackerInfo;
import io.jtorrent.metainfo.FileEntry;
import io.jtorrent.metainfo.MagnetUri;
import io.jtorrent.metainfo.Metainfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code torrent-get}'s fields for one torrent, as Transmission names and types them (integers
 * where it has integers, reals where it has reals: stock clients check). Only what the fields
 * need is fetched from the engine: peers, trackers, file progress and the piece map are asked
 * for only when a field uses them.
 */
final class TorrentFields {
    /** Transmission's status codes. */
    static final int STOPPED = 0;
    static final int CHECK_WAIT = 1;
    static final int CHECK = 2;
    static final int DOWNLOAD_WAIT = 3;
    static final int DOWNLOAD = 4;
    static final int SEED_WAIT = 5;
    static final int SEED = 6;

    private static final Set<String> PEER_FIELDS = Set.of("peers", "peersFrom");
    private static final Set<String> TRACKER_FIELDS = Set.of("trackerStats");
    private static final Set<String> FILE_FIELDS = Set.of("files", "fileStats");
    private static final Set<String> PIECE_FIELDS = Set.of("pieces", "availability", "jtorrentPieceMap");

    private TorrentFields() {}

    /** What a row needs besides the status: peers, trackers, file progress, the piece map (empty when not asked). */
    record Extras(List<PeerInfo> peers, List<TrackerInfo> trackers, long[] fileDone, PieceMap map) {
        static final Extras NONE = new Extras(List.of(), List.of(), new long[0], null);
    }

    /**
     * What {@code fields} need of torrent {@code t} besides its status, fetched from its loop —
     * nothing (at once) unless a field uses peers, trackers, files or pieces.
     */
    static CompletableFuture<Extras> extras(ManagedTorrent t, List<String> fields) {
        boolean wantPeers = fields.stream().anyMatch(PEER_FIELDS::contains);
        boolean wantTrackers = fields.stream().anyMatch(TRACKER_FIELDS::contains);
        boolean wantFiles = fields.stream().anyMatch(FILE_FIELDS::contains);
        boolean wantPieces = fields.stream().anyMatch(PIECE_FIELDS::contains);
        if (!wantPeers && !wantTrackers && !wantFiles && !wantPieces) {
            return CompletableFuture.completedFuture(Extras.NONE);
        }
        CompletableFuture<List<PeerInfo>> peers = wantPeers ? t.handle.peers() : CompletableFuture.completedFuture(List.of());
        CompletableFuture<List<TrackerInfo>> trackers = wantTrackers ? t.handle.trackers()
                : CompletableFuture.completedFuture(List.of());
        CompletableFuture<long[]> files = wantFiles ? t.handle.fileProgress() : CompletableFuture.completedFuture(new long[0]);
        CompletableFuture<PieceMap> pieces = wantPieces ? t.handle.pieceMap() : CompletableFuture.completedFuture(null);
        return CompletableFuture.allOf(peers, trackers, files, pieces)
                .thenApply(v -> new Extras(peers.join(), trackers.join(), files.join(), pieces.join()));
    }

    /**
     * torrent-get's list of rows, written straight to the response as Jackson serializes it — no
     * tree of a thousand rows built first and walked again (that was half of torrent-get's time
     * with 1,000 torrents). As objects, or with {@code table} as Transmission's table format: a
     * header of the names, then one array of values per torrent (null for a field it does not
     * know). With {@code snake}, every name in Transmission 4.1's snake_case. Serialized on the
     * daemon's thread, which owns the torrents' records.
     */
    static final class Rows implements JsonSerializable {
        private final Daemon d;
        private final List<ManagedTorrent> torrents;
        private final List<TorrentStatus> statuses;
        private final List<Extras> extras;
        private final List<String> fields;
        private final boolean table;
        private final boolean snake;

        Rows(Daemon d, List<ManagedTorrent> torrents, List<TorrentStatus> statuses, List<Extras> extras, List<String> fields,
             boolean table, boolean snake) {
            this.d = d;
            this.torrents = torrents;
            this.statuses = statuses;
            this.extras = extras;
            this.fields = fields;
            this.table = table;
            this.snake = snake;
        }

        /** The same rows with snake_case names. */
        Rows inSnakeCase() {
            return new Rows(d, torrents, statuses, extras, fields, table, true);
        }

        @Override
        public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
            Out o = new Out(g, table, snake);
            g.writeStartArray();
            if (table) {
                g.writeStartArray();
                for (String f : fields) {
                    g.writeString(o.name(f));
                }
                g.writeEndArray();
            }
            for (int i = 0; i < torrents.size(); i++) {
                Extras x = extras.get(i);
                if (table) {
                    g.writeStartArray();
                } else {
                    g.writeStartObject();
                }
                for (String f : fields) {
                    put(d, o, f, torrents.get(i), statuses.get(i), x.peers(), x.trackers(), x.fileDone(), x.map());
                }
                if (table) {
                    g.writeEndArray();
                } else {
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
        }

        @Override
        public void serializeWithType(JsonGenerator g, SerializerProvider provider, TypeSerializer type) throws IOException {
            serialize(g, provider);
        }
    }

    /**
     * Where a row's values go: a field of the row's object (its name left out in a table row, where
     * the header names it), or of an object or array nested in it.
     */
    static final class Out {
        private final JsonGenerator g;
        private final boolean table;
        private final boolean snake;
        /** 0 at the row itself: the level where a table row writes values without names. */
        private int depth;
        /** Whether the innermost level open is an array (its values have no names). */
        private final java.util.BitSet inArray = new java.util.BitSet();

        Out(JsonGenerator g, boolean table, boolean snake) {
            this.g = g;
            this.table = table;
            this.snake = snake;
        }

        String name(String f) {
            return snake ? RpcNames.snake(f) : f;
        }

        private void key(String f) throws IOException {
            if (depth == 0 ? !table : !inArray.get(depth)) {
                g.writeFieldName(name(f));
            }
        }

        void put(String f, long v) throws IOException {
            key(f);
            g.writeNumber(v);
        }

        void put(String f, double v) throws IOException {
            key(f);
            g.writeNumber(v);
        }

        void put(String f, boolean v) throws IOException {
            key(f);
            g.writeBoolean(v);
        }

        void put(String f, String v) throws IOException {
            key(f);
            g.writeString(v);
        }

        /** Opens an array named {@code f}; its values are {@link #add}ed, then it is {@link #end}ed. */
        void array(String f) throws IOException {
            key(f);
            g.writeStartArray();
            inArray.set(++depth);
        }

        /** Opens an object named {@code f}; its fields are put, then it is {@link #end}ed. */
        void object(String f) throws IOException {
            key(f);
            startObject();
        }

        /** Opens an object as the next value of the array open. */
        void startObject() throws IOException {
            g.writeStartObject();
            inArray.clear(++depth);
        }

        void add(long v) throws IOException {
            g.writeNumber(v);
        }

        void add(String v) throws IOException {
            g.writeString(v);
        }

        void end() throws IOException {
            if (inArray.get(depth)) {
                g.writeEndArray();
            } else {
                g.writeEndObject();
            }
            inArray.clear(depth--);
        }

        /** A field we do not know: nothing in an object, null in a table row. */
        void unknown() throws IOException {
            if (depth == 0 && table) {
                g.writeNull();
            }
        }
    }

    static int statusCode(ManagedTorrent t, TorrentStatus s) {
        return switch (s.state()) {
            case CHECKING -> CHECK;
            case FETCHING_METADATA, DOWNLOADING -> DOWNLOAD;
            case SEEDING -> SEED;
            case PAUSED -> t.queued ? (s.progress() >= 1.0 ? SEED_WAIT : DOWNLOAD_WAIT) : STOPPED;
            case ERROR, STOPPED -> STOPPED;
        };
    }

    /** Transmission's ratio: uploaded / downloaded, -1 when nothing moved, -2 (infinite) for upload only. */
    static double ratio(TorrentStatus s) {
        if (s.downloaded() > 0) {
            return (double) s.uploaded() / s.downloaded();
        }
        return s.uploaded() > 0 ? -2 : -1;
    }

    static long eta(TorrentStatus s) {
        long left = s.wantedBytes() - s.doneBytes();
        if (s.state() != TorrentState.DOWNLOADING || left <= 0) {
            return -1;
        }
        return s.downloadRate() > 0 ? left / s.downloadRate() : -2;
    }

    /** Transmission's etaIdle: seconds until the idle seeding limit stops a seeding torrent, or -1. */
    static long etaIdle(Daemon d, ManagedTorrent t, TorrentStatus s) {
        int idle = d.idleLimitMinutes(t);
        if (s.state() != TorrentState.SEEDING || idle <= 0) {
            return -1;
        }
        return Math.max(0, idle * 60L - (java.time.Instant.now().getEpochSecond() - t.lastTransfer));
    }

    private static void put(Daemon d, Out o, String f, ManagedTorrent t, TorrentStatus s, List<PeerInfo> peers,
                            List<TrackerInfo> trackers, long[] fileDone, PieceMap map) throws IOException {
        TorrentRecord r = t.record;
        Metainfo m = t.handle.metainfo();
        long left = s.wantedBytes() - s.doneBytes();
        switch (f) {
            case "id" -> o.put(f, r.id);
            case "hashString" -> o.put(f, r.infoHash);
            case "name" -> o.put(f, s.name());
            case "status" -> o.put(f, statusCode(t, s));
            case "percentDone" -> o.put(f, m == null ? 0.0 : s.progress());
            case "percentComplete" -> o.put(f, m == null || m.info().totalLength() == 0 ? 0.0
                    : (double) s.piecesHave() / Math.max(1, s.pieceCount()));
            case "metadataPercentComplete" -> o.put(f, m == null ? 0.0 : 1.0);
            case "rateDownload" -> o.put(f, s.downloadRate());
            case "rateUpload" -> o.put(f, s.uploadRate());
            case "eta" -> o.put(f, eta(s));
            case "etaIdle" -> o.put(f, etaIdle(d, t, s));
            case "sizeWhenDone" -> o.put(f, s.wantedBytes());
            case "leftUntilDone" -> o.put(f, left);
            case "desiredAvailable" -> o.put(f, s.peers() > 0 ? left : 0);
            case "haveValid" -> o.put(f, s.doneBytes());
            case "haveUnchecked" -> o.put(f, 0);
            case "totalSize" -> o.put(f, m == null ? 0 : m.info().totalLength());
            case "uploadedEver" -> o.put(f, s.uploaded());
            case "downloadedEver" -> o.put(f, s.downloaded());
            case "corruptEver" -> o.put(f, s.wasted());
            case "uploadRatio" -> o.put(f, ratio(s));
            case "peersConnected" -> o.put(f, s.peers());
            case "jtorrentSeeds" -> o.put(f, s.seeds()); // connected peers that have everything (the list's Seeds column)
            case "peersSendingToUs" -> o.put(f, s.peersSendingToUs());
            case "peersGettingFromUs" -> o.put(f, s.peersGettingFromUs());
            case "webseedsSendingToUs" -> o.put(f, s.webSeedsSendingToUs());
            case "error" -> o.put(f, s.state() == TorrentState.ERROR ? 3 : 0);
            case "errorString" -> o.put(f, s.error().orElse(""));
            case "isFinished" -> o.put(f, r.limitReached || (s.isFinished() && r.paused));
            case "isStalled" -> o.put(f, s.state() == TorrentState.DOWNLOADING && s.downloadRate() == 0 && s.peers() == 0);
            case "isPrivate" -> o.put(f, m != null && m.info().isPrivate());
            case "addedDate" -> o.put(f, r.addedDate);
            case "doneDate" -> o.put(f, r.doneDate);
            case "activityDate" -> o.put(f, r.activityDate);
            case "startDate" -> o.put(f, r.addedDate);
            case "editDate" -> o.put(f, 0);
            case "dateCreated" -> o.put(f, m == null ? 0 : m.creationDate().map(i -> i.getEpochSecond()).orElse(0L));
            case "comment" -> o.put(f, m == null ? "" : m.comment().orElse(""));
            case "creator" -> o.put(f, m == null ? "" : m.createdBy().orElse(""));
            case "downloadDir" -> o.put(f, r.downloadDir);
            case "queuePosition" -> o.put(f, r.queuePosition);
            case "labels" -> {
                o.array(f);
                for (String label : r.labels) {
                    o.add(label);
                }
                o.end();
            }
            case "magnetLink" -> o.put(f, m != null ? MagnetUri.of(m).toString() : String.valueOf(r.magnet));
            case "pieceCount" -> o.put(f, s.pieceCount());
            case "pieceSize" -> o.put(f, m == null ? 0 : m.info().pieceLength());
            case "fileCount", "file-count" -> o.put(f, m == null ? 0 : m.info().files().size());
            case "recheckProgress" -> o.put(f, s.checkProgress());
            case "secondsDownloading" -> o.put(f, r.downloadingMillis / 1000);
            case "secondsSeeding" -> o.put(f, r.seedingMillis / 1000);
            case "seedRatioLimit" -> o.put(f, r.seedRatioLimit);
            case "seedRatioMode" -> o.put(f, r.seedRatioMode);
            case "seedIdleLimit" -> o.put(f, r.seedIdleLimit);
            case "seedIdleMode" -> o.put(f, r.seedIdleMode);
            case "uploadLimit" -> o.put(f, r.uploadLimitKBps);
            case "uploadLimited" -> o.put(f, r.uploadLimited);
            case "downloadLimit" -> o.put(f, r.downloadLimitKBps);
            case "downloadLimited" -> o.put(f, r.downloadLimited);
            case "honorsSessionLimits" -> o.put(f, r.honorsSessionLimits);
            case "bandwidthPriority" -> o.put(f, r.bandwidthPriority);
            case "peer-limit" -> o.put(f, r.peerLimit > 0 ? r.peerLimit : d.settings.maxConnectionsPerTorrent);
            case "torrentFile" -> o.put(f, m == null || t.torrentFile == null ? "" : t.torrentFile.toString());
            case "primary-mime-type" -> o.put(f, m == null ? "application/octet-stream" : MimeTypes.primary(m.info().files()));
            case "sequentialDownload" -> o.put(f, r.sequentialDownload);
            case "webseeds" -> {
                o.array(f);
                if (m != null) {
                    for (String w : m.webSeeds()) {
                        o.add(w);
                    }
                }
                o.end();
            }
            case "group" -> o.put(f, r.group == null ? "" : r.group);
            case "trackerList" -> o.put(f, TrackerLists.format(TrackerLists.current(r, m)));
            case "trackers" -> {
                o.array(f);
                List<List<String>> tiers = TrackerLists.current(r, m);
                int id = 0;
                for (int tier = 0; tier < tiers.size(); tier++) {
                    for (String url : tiers.get(tier)) {
                        o.startObject();
                        o.put("announce", url);
                        o.put("id", id++);
                        o.put("scrape", url.replace("/announce", "/scrape"));
                        o.put("tier", tier);
                        o.put("sitename", host(url));
                        o.end();
                    }
                }
                o.end();
            }
            case "trackerStats" -> {
                o.array(f);
                int id = 0;
                for (TrackerInfo x : trackers) {
                    o.startObject();
                    Out n = o;
                    n.put("id", id++);
                    n.put("announce", x.url());
                    n.put("host", host(x.url()));
                    n.put("sitename", host(x.url()));
                    n.put("scrape", x.url().replace("/announce", "/scrape"));
                    n.put("tier", x.tier());
                    n.put("isBackup", false);
                    n.put("announceState", x.announcing() ? 3 : 1);
                    n.put("scrapeState", 1);
                    n.put("hasAnnounced", x.lastAnnounceTime() > 0);
                    n.put("hasScraped", x.lastScrapeTime() > 0);
                    n.put("lastAnnounceTime", x.lastAnnounceTime());
                    n.put("lastAnnounceStartTime", x.lastAnnounceTime());
                    n.put("lastAnnounceSucceeded", x.lastAnnounceSucceeded());
                    n.put("lastAnnounceResult", x.lastAnnounceResult());
                    n.put("lastAnnouncePeerCount", x.lastAnnouncePeerCount());
                    n.put("lastAnnounceTimedOut", false);
                    n.put("nextAnnounceTime", x.nextAnnounceTime());
                    n.put("lastScrapeTime", x.lastScrapeTime());
                    n.put("lastScrapeStartTime", x.lastScrapeTime());
                    n.put("lastScrapeSucceeded", x.lastScrapeTime() > 0);
                    n.put("lastScrapeResult", "");
                    n.put("lastScrapeTimedOut", false);
                    n.put("nextScrapeTime", 0);
                    n.put("seederCount", x.seeders());
                    n.put("leecherCount", x.leechers());
                    n.put("downloadCount", x.downloaded());
                    o.end();
                }
                o.end();
            }
            case "files" -> {
                o.array(f);
                if (m != null) {
                    List<FileEntry> fs = m.info().files();
                    for (int i = 0; i < fs.size(); i++) {
                        o.startObject();
                        Out x = o;
                        x.put("bytesCompleted", i < fileDone.length ? fileDone[i] : 0);
                        x.put("length", fs.get(i).length());
                        x.put("name", fs.get(i).pathString());
                        long pl = m.info().pieceLength();
                        long begin = fs.get(i).offset() / pl;
                        x.put("begin_piece", begin);
                        x.put("end_piece", fs.get(i).length() == 0 ? begin : (fs.get(i).offset() + fs.get(i).length() + pl - 1) / pl);
                        o.end();
                    }
                }
                o.end();
            }
            case "fileStats" -> {
                o.array(f);
                if (m != null) {
                    for (int i = 0; i < m.info().files().size(); i++) {
                        o.startObject();
                        o.put("bytesCompleted", i < fileDone.length ? fileDone[i] : 0);
                        o.put("wanted", i >= r.wanted.size() || r.wanted.get(i));
                        o.put("priority", i < r.priorities.size() ? r.priorities.get(i) : 0);
                        o.end();
                    }
                }
                o.end();
            }
            case "wanted" -> {
                o.array(f);
                int n = m == null ? 0 : m.info().files().size();
                for (int i = 0; i < n; i++) {
                    o.add(i >= r.wanted.size() || r.wanted.get(i) ? 1 : 0);
                }
                o.end();
            }
            case "priorities" -> {
                o.array(f);
                int n = m == null ? 0 : m.info().files().size();
                for (int i = 0; i < n; i++) {
                    o.add(i < r.priorities.size() ? r.priorities.get(i) : 0);
                }
                o.end();
            }
            case "peers" -> {
                o.array(f);
                for (PeerInfo p : peers) {
                    o.startObject();
                    Out x = o;
                    x.put("address", p.address().getAddress().getHostAddress());
                    x.put("port", p.address().getPort());
                    x.put("clientName", p.client());
                    x.put("clientIsChoked", p.amChoking());
                    x.put("clientIsInterested", p.amInterested());
                    x.put("peerIsChoked", p.peerChoking());
                    x.put("peerIsInterested", p.peerInterested());
                    x.put("isDownloadingFrom", p.downloadRate() > 0);
                    x.put("isUploadingTo", p.uploadRate() > 0);
                    x.put("isEncrypted", p.encrypted());
                    x.put("isIncoming", !p.outgoing());
                    x.put("isUTP", p.utp());
                    x.put("progress", p.progress());
                    x.put("rateToClient", p.downloadRate());
                    x.put("rateToPeer", p.uploadRate());
                    x.put("flagStr", flags(p));
                    o.end();
                }
                o.end();
            }
            case "peersFrom" -> {
                o.object(f);
                Out x = o;
                long incoming = peers.stream().filter(p -> !p.outgoing()).count();
                x.put("fromIncoming", incoming);
                x.put("fromTracker", peers.size() - incoming);
                x.put("fromDht", 0);
                x.put("fromLpd", 0);
                x.put("fromPex", 0);
                x.put("fromCache", 0);
                x.put("fromLtep", 0);
                o.end();
            }
            case "pieces" -> o.put(f, map == null ? "" : Base64.getEncoder().encodeToString(bits(map.have(), map.pieceCount())));
            case "availability" -> {
                o.array(f);
                if (map != null) {
                    for (int i = 0; i < map.pieceCount(); i++) {
                        o.add(map.have().get(i) ? -1 : map.availability()[i]);
                    }
                }
                o.end();
            }
            case "jtorrentPieceMap" -> {
                o.object(f);
                if (map != null) {
                    o.put("pieceCount", map.pieceCount());
                    o.put("have", Base64.getEncoder().encodeToString(bits(map.have(), map.pieceCount())));
                    o.put("downloading", Base64.getEncoder().encodeToString(bits(map.downloading(), map.pieceCount())));
                    o.array("availability");
                    for (int i = 0; i < map.pieceCount(); i++) {
                        o.add(map.availability()[i]);
                    }
                    o.end();
                }
                o.end();
            }
            default -> o.unknown(); // left out of an object, as Transmission does; null in a table
        }
    }

    /** Transmission's peer flags: D downloading from, d interested but choked, U uploading to, u..., I incoming, etc. */
    private static String flags(PeerInfo p) {
        StringBuilder b = new StringBuilder();
        if (p.downloadRate() > 0) {
            b.append('D');
        } else if (p.amInterested() && p.peerChoking()) {
            b.append('d');
        }
        if (p.uploadRate() > 0) {
            b.append('U');
        } else if (p.peerInterested() && p.amChoking()) {
            b.append('u');
        }
        if (!p.amInterested() && !p.peerChoking()) {
            b.append('K');
        }
        if (p.encrypted()) {
            b.append('E');
        }
        if (p.utp()) {
            b.append('T');
        }
        if (!p.outgoing()) {
            b.append('I');
        }
        return b.toString();
    }

    static byte[] bits(BitSet set, int count) {
        byte[] b = new byte[(count + 7) / 8];
        for (int i = set.nextSetBit(0); i >= 0 && i < count; i = set.nextSetBit(i + 1)) {
            b[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
        return b;
    }

    private static String host(String url) {
        try {
            String h = java.net.URI.create(url).getHost();
            return h == null ? url : h;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    static List<String> listFields() {
        return new ArrayList<>(List.of("error", "errorString", "eta", "id", "isFinished", "leftUntilDone", "name",
                "peersGettingFromUs", "peersSendingToUs", "rateDownload", "rateUpload", "sizeWhenDone", "status", "uploadRatio"));
    }
}
