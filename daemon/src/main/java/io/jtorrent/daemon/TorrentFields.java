package io.jtorrent.daemon;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
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

    /** Which of the extras a list of fields needs: worked out once per request, not once per torrent. */
    record Needs(boolean peers, boolean trackers, boolean files, boolean pieces) {
        static Needs of(List<String> fields) {
            boolean peers = false;
            boolean trackers = false;
            boolean files = false;
            boolean pieces = false;
            for (String f : fields) {
                peers |= PEER_FIELDS.contains(f);
                trackers |= TRACKER_FIELDS.contains(f);
                files |= FILE_FIELDS.contains(f);
                pieces |= PIECE_FIELDS.contains(f);
            }
            return new Needs(peers, trackers, files, pieces);
        }

        boolean any() {
            return peers || trackers || files || pieces;
        }
    }

    /**
     * What fields that {@code need} extras ask of torrent {@code t} besides its status, fetched
     * from its loop — nothing (at once) unless a field uses peers, trackers, files or pieces.
     */
    static CompletableFuture<Extras> extras(ManagedTorrent t, Needs need) {
        if (!need.any()) {
            return CompletableFuture.completedFuture(Extras.NONE);
        }
        CompletableFuture<List<PeerInfo>> peers = need.peers() ? t.handle.peers() : CompletableFuture.completedFuture(List.of());
        CompletableFuture<List<TrackerInfo>> trackers = need.trackers() ? t.handle.trackers()
                : CompletableFuture.completedFuture(List.of());
        CompletableFuture<long[]> files = need.files() ? t.handle.fileProgress() : CompletableFuture.completedFuture(new long[0]);
        CompletableFuture<PieceMap> pieces = need.pieces() ? t.handle.pieceMap() : CompletableFuture.completedFuture(null);
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
            // the row's names, encoded once for all rows
            SerializedString[] names = new SerializedString[fields.size()];
            Field[] known = new Field[fields.size()];
            for (int j = 0; j < names.length; j++) {
                names[j] = new SerializedString(o.name(fields.get(j)));
                known[j] = Field.named(fields.get(j));
            }
            g.writeStartArray();
            if (table) {
                g.writeStartArray();
                for (SerializedString name : names) {
                    g.writeString(name);
                }
                g.writeEndArray();
            }
            for (int i = 0; i < torrents.size(); i++) {
                Extras x = extras.get(i);
                ManagedTorrent t = torrents.get(i);
                Metainfo m = t.handle.metainfo();
                if (table) {
                    g.writeStartArray();
                } else {
                    g.writeStartObject();
                }
                for (int j = 0; j < names.length; j++) {
                    o.field = names[j];
                    put(d, o, fields.get(j), known[j], t, m, statuses.get(i), x.peers(), x.trackers(), x.fileDone(), x.map());
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

        /** The row's field being written, its name encoded. */
        SerializedString field;

        private void key(String f) throws IOException {
            if (depth == 0) {
                if (!table) {
                    g.writeFieldName(field);
                }
            } else if (!inArray.get(depth)) {
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

    /** The fields torrent-get knows, by their names (old-style and, where Transmission has two, both). */
    enum Field {
        ID("id"),
        HASH_STRING("hashString"),
        NAME("name"),
        STATUS("status"),
        PERCENT_DONE("percentDone"),
        PERCENT_COMPLETE("percentComplete"),
        METADATA_PERCENT_COMPLETE("metadataPercentComplete"),
        RATE_DOWNLOAD("rateDownload"),
        RATE_UPLOAD("rateUpload"),
        ETA("eta"),
        ETA_IDLE("etaIdle"),
        SIZE_WHEN_DONE("sizeWhenDone"),
        LEFT_UNTIL_DONE("leftUntilDone"),
        DESIRED_AVAILABLE("desiredAvailable"),
        HAVE_VALID("haveValid"),
        HAVE_UNCHECKED("haveUnchecked"),
        TOTAL_SIZE("totalSize"),
        UPLOADED_EVER("uploadedEver"),
        DOWNLOADED_EVER("downloadedEver"),
        CORRUPT_EVER("corruptEver"),
        UPLOAD_RATIO("uploadRatio"),
        PEERS_CONNECTED("peersConnected"),
        JTORRENT_SEEDS("jtorrentSeeds"),
        PEERS_SENDING_TO_US("peersSendingToUs"),
        PEERS_GETTING_FROM_US("peersGettingFromUs"),
        WEBSEEDS_SENDING_TO_US("webseedsSendingToUs"),
        ERROR("error"),
        ERROR_STRING("errorString"),
        IS_FINISHED("isFinished"),
        IS_STALLED("isStalled"),
        IS_PRIVATE("isPrivate"),
        ADDED_DATE("addedDate"),
        DONE_DATE("doneDate"),
        ACTIVITY_DATE("activityDate"),
        START_DATE("startDate"),
        EDIT_DATE("editDate"),
        DATE_CREATED("dateCreated"),
        COMMENT("comment"),
        CREATOR("creator"),
        DOWNLOAD_DIR("downloadDir"),
        QUEUE_POSITION("queuePosition"),
        LABELS("labels"),
        MAGNET_LINK("magnetLink"),
        PIECE_COUNT("pieceCount"),
        PIECE_SIZE("pieceSize"),
        FILE_COUNT("fileCount", "file-count"),
        RECHECK_PROGRESS("recheckProgress"),
        SECONDS_DOWNLOADING("secondsDownloading"),
        SECONDS_SEEDING("secondsSeeding"),
        SEED_RATIO_LIMIT("seedRatioLimit"),
        SEED_RATIO_MODE("seedRatioMode"),
        SEED_IDLE_LIMIT("seedIdleLimit"),
        SEED_IDLE_MODE("seedIdleMode"),
        UPLOAD_LIMIT("uploadLimit"),
        UPLOAD_LIMITED("uploadLimited"),
        DOWNLOAD_LIMIT("downloadLimit"),
        DOWNLOAD_LIMITED("downloadLimited"),
        HONORS_SESSION_LIMITS("honorsSessionLimits"),
        BANDWIDTH_PRIORITY("bandwidthPriority"),
        PEER_LIMIT("peer-limit"),
        TORRENT_FILE("torrentFile"),
        PRIMARY_MIME_TYPE("primary-mime-type"),
        SEQUENTIAL_DOWNLOAD("sequentialDownload"),
        WEBSEEDS("webseeds"),
        GROUP("group"),
        TRACKER_LIST("trackerList"),
        TRACKERS("trackers"),
        TRACKER_STATS("trackerStats"),
        FILES("files"),
        FILE_STATS("fileStats"),
        WANTED("wanted"),
        PRIORITIES("priorities"),
        PEERS("peers"),
        PEERS_FROM("peersFrom"),
        PIECES("pieces"),
        AVAILABILITY("availability"),
        JTORRENT_PIECE_MAP("jtorrentPieceMap");

        private static final java.util.Map<String, Field> BY_NAME = new java.util.HashMap<>();

        static {
            for (Field f : values()) {
                for (String name : f.names) {
                    BY_NAME.put(name, f);
                }
            }
        }

        private final String[] names;

        Field(String... names) {
            this.names = names;
        }

        /** The field called {@code name}, or null for one we do not know. */
        static Field named(String name) {
            return BY_NAME.get(name);
        }
    }

    private static void put(Daemon d, Out o, String f, Field field, ManagedTorrent t, Metainfo m, TorrentStatus s,
                            List<PeerInfo> peers, List<TrackerInfo> trackers, long[] fileDone, PieceMap map) throws IOException {
        TorrentRecord r = t.record;
        long left = s.wantedBytes() - s.doneBytes();
        if (field == null) {
            o.unknown(); // left out of an object, as Transmission does; null in a table
            return;
        }
        switch (field) {
            case ID -> o.put(f, r.id);
            case HASH_STRING -> o.put(f, r.infoHash);
            case NAME -> o.put(f, s.name());
            case STATUS -> o.put(f, statusCode(t, s));
            case PERCENT_DONE -> o.put(f, m == null ? 0.0 : s.progress());
            case PERCENT_COMPLETE -> o.put(f, m == null || m.info().totalLength() == 0 ? 0.0
                    : (double) s.piecesHave() / Math.max(1, s.pieceCount()));
            case METADATA_PERCENT_COMPLETE -> o.put(f, m == null ? 0.0 : 1.0);
            case RATE_DOWNLOAD -> o.put(f, s.downloadRate());
            case RATE_UPLOAD -> o.put(f, s.uploadRate());
            case ETA -> o.put(f, eta(s));
            case ETA_IDLE -> o.put(f, etaIdle(d, t, s));
            case SIZE_WHEN_DONE -> o.put(f, s.wantedBytes());
            case LEFT_UNTIL_DONE -> o.put(f, left);
            case DESIRED_AVAILABLE -> o.put(f, s.peers() > 0 ? left : 0);
            case HAVE_VALID -> o.put(f, s.doneBytes());
            case HAVE_UNCHECKED -> o.put(f, 0);
            case TOTAL_SIZE -> o.put(f, m == null ? 0 : m.info().totalLength());
            case UPLOADED_EVER -> o.put(f, s.uploaded());
            case DOWNLOADED_EVER -> o.put(f, s.downloaded());
            case CORRUPT_EVER -> o.put(f, s.wasted());
            case UPLOAD_RATIO -> o.put(f, ratio(s));
            case PEERS_CONNECTED -> o.put(f, s.peers());
            case JTORRENT_SEEDS -> o.put(f, s.seeds()); // connected peers that have everything (the list's Seeds column)
            case PEERS_SENDING_TO_US -> o.put(f, s.peersSendingToUs());
            case PEERS_GETTING_FROM_US -> o.put(f, s.peersGettingFromUs());
            case WEBSEEDS_SENDING_TO_US -> o.put(f, s.webSeedsSendingToUs());
            case ERROR -> o.put(f, s.state() == TorrentState.ERROR ? 3 : 0);
            case ERROR_STRING -> o.put(f, s.error().orElse(""));
            case IS_FINISHED -> o.put(f, r.limitReached || (s.isFinished() && r.paused));
            case IS_STALLED -> o.put(f, s.state() == TorrentState.DOWNLOADING && s.downloadRate() == 0 && s.peers() == 0);
            case IS_PRIVATE -> o.put(f, m != null && m.info().isPrivate());
            case ADDED_DATE -> o.put(f, r.addedDate);
            case DONE_DATE -> o.put(f, r.doneDate);
            case ACTIVITY_DATE -> o.put(f, r.activityDate);
            case START_DATE -> o.put(f, r.addedDate);
            case EDIT_DATE -> o.put(f, 0);
            case DATE_CREATED -> o.put(f, m == null ? 0 : m.creationDate().map(i -> i.getEpochSecond()).orElse(0L));
            case COMMENT -> o.put(f, m == null ? "" : m.comment().orElse(""));
            case CREATOR -> o.put(f, m == null ? "" : m.createdBy().orElse(""));
            case DOWNLOAD_DIR -> o.put(f, r.downloadDir);
            case QUEUE_POSITION -> o.put(f, r.queuePosition);
            case LABELS -> {
                o.array(f);
                for (String label : r.labels) {
                    o.add(label);
                }
                o.end();
            }
            case MAGNET_LINK -> o.put(f, m != null ? MagnetUri.of(m).toString() : String.valueOf(r.magnet));
            case PIECE_COUNT -> o.put(f, s.pieceCount());
            case PIECE_SIZE -> o.put(f, m == null ? 0 : m.info().pieceLength());
            case FILE_COUNT -> o.put(f, m == null ? 0 : m.info().files().size());
            case RECHECK_PROGRESS -> o.put(f, s.checkProgress());
            case SECONDS_DOWNLOADING -> o.put(f, r.downloadingMillis / 1000);
            case SECONDS_SEEDING -> o.put(f, r.seedingMillis / 1000);
            case SEED_RATIO_LIMIT -> o.put(f, r.seedRatioLimit);
            case SEED_RATIO_MODE -> o.put(f, r.seedRatioMode);
            case SEED_IDLE_LIMIT -> o.put(f, r.seedIdleLimit);
            case SEED_IDLE_MODE -> o.put(f, r.seedIdleMode);
            case UPLOAD_LIMIT -> o.put(f, r.uploadLimitKBps);
            case UPLOAD_LIMITED -> o.put(f, r.uploadLimited);
            case DOWNLOAD_LIMIT -> o.put(f, r.downloadLimitKBps);
            case DOWNLOAD_LIMITED -> o.put(f, r.downloadLimited);
            case HONORS_SESSION_LIMITS -> o.put(f, r.honorsSessionLimits);
            case BANDWIDTH_PRIORITY -> o.put(f, r.bandwidthPriority);
            case PEER_LIMIT -> o.put(f, r.peerLimit > 0 ? r.peerLimit : d.settings.maxConnectionsPerTorrent);
            case TORRENT_FILE -> o.put(f, m == null || t.torrentFile == null ? "" : t.torrentFile.toString());
            case PRIMARY_MIME_TYPE -> o.put(f, m == null ? "application/octet-stream" : MimeTypes.primary(m.info().files()));
            case SEQUENTIAL_DOWNLOAD -> o.put(f, r.sequentialDownload);
            case WEBSEEDS -> {
                o.array(f);
                if (m != null) {
                    for (String w : m.webSeeds()) {
                        o.add(w);
                    }
                }
                o.end();
            }
            case GROUP -> o.put(f, r.group == null ? "" : r.group);
            case TRACKER_LIST -> o.put(f, TrackerLists.format(TrackerLists.current(r, m)));
            case TRACKERS -> {
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
            case TRACKER_STATS -> {
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
            case FILES -> {
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
            case FILE_STATS -> {
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
            case WANTED -> {
                o.array(f);
                int n = m == null ? 0 : m.info().files().size();
                for (int i = 0; i < n; i++) {
                    o.add(i >= r.wanted.size() || r.wanted.get(i) ? 1 : 0);
                }
                o.end();
            }
            case PRIORITIES -> {
                o.array(f);
                int n = m == null ? 0 : m.info().files().size();
                for (int i = 0; i < n; i++) {
                    o.add(i < r.priorities.size() ? r.priorities.get(i) : 0);
                }
                o.end();
            }
            case PEERS -> {
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
            case PEERS_FROM -> {
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
            case PIECES -> o.put(f, map == null ? "" : Base64.getEncoder().encodeToString(bits(map.have(), map.pieceCount())));
            case AVAILABILITY -> {
                o.array(f);
                if (map != null) {
                    for (int i = 0; i < map.pieceCount(); i++) {
                        o.add(map.have().get(i) ? -1 : map.availability()[i]);
                    }
                }
                o.end();
            }
            case JTORRENT_PIECE_MAP -> {
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
