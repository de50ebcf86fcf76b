package io.jtorrent.daemon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtorrent.engine.PeerInfo;
import io.jtorrent.engine.PieceMap;
import io.jtorrent.engine.TorrentState;
import io.jtorrent.engine.TorrentStatus;
import io.jtorrent.engine.TrackerInfo;
import io.jtorrent.metainfo.FileEntry;
import io.jtorrent.metainfo.MagnetUri;
import io.jtorrent.metainfo.Metainfo;
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

    /**
     * One torrent's row of {@code fields}, from its status {@code s}; called on the daemon's
     * thread. Fields that need more than the status (peers, trackers, files, pieces) are fetched
     * from the torrent's loop first.
     */
    static CompletableFuture<ObjectNode> of(Daemon d, ManagedTorrent t, List<String> fields, TorrentStatus s) {
        boolean wantPeers = fields.stream().anyMatch(PEER_FIELDS::contains);
        boolean wantTrackers = fields.stream().anyMatch(TRACKER_FIELDS::contains);
        boolean wantFiles = fields.stream().anyMatch(FILE_FIELDS::contains);
        boolean wantPieces = fields.stream().anyMatch(PIECE_FIELDS::contains);
        if (!wantPeers && !wantTrackers && !wantFiles && !wantPieces) {
            return CompletableFuture.completedFuture(row(d, t, fields, s, List.of(), List.of(), new long[0], null));
        }
        CompletableFuture<List<PeerInfo>> peers = wantPeers ? t.handle.peers() : CompletableFuture.completedFuture(List.of());
        CompletableFuture<List<TrackerInfo>> trackers = wantTrackers ? t.handle.trackers()
                : CompletableFuture.completedFuture(List.of());
        CompletableFuture<long[]> files = wantFiles ? t.handle.fileProgress() : CompletableFuture.completedFuture(new long[0]);
        CompletableFuture<PieceMap> pieces = wantPieces ? t.handle.pieceMap() : CompletableFuture.completedFuture(null);
        return CompletableFuture.allOf(peers, trackers, files, pieces).thenApplyAsync(
                v -> row(d, t, fields, s, peers.join(), trackers.join(), files.join(), pieces.join()), d.executor);
    }

    private static ObjectNode row(Daemon d, ManagedTorrent t, List<String> fields, TorrentStatus s, List<PeerInfo> peers,
                                  List<TrackerInfo> trackers, long[] fileDone, PieceMap map) {
        ObjectNode o = Rpc.JSON.createObjectNode();
        for (String f : fields) {
            put(d, o, f, t, s, peers, trackers, fileDone, map);
        }
        return o;
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

    private static void put(Daemon d, ObjectNode o, String f, ManagedTorrent t, TorrentStatus s, List<PeerInfo> peers,
                            List<TrackerInfo> trackers, long[] fileDone, PieceMap map) {
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
            case "labels" -> r.labels.forEach(o.putArray(f)::add);
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
                ArrayNode a = o.putArray(f);
                if (m != null) {
                    m.webSeeds().forEach(a::add);
                }
            }
            case "group" -> o.put(f, r.group == null ? "" : r.group);
            case "trackerList" -> o.put(f, TrackerLists.format(TrackerLists.current(r, m)));
            case "trackers" -> {
                ArrayNode a = o.putArray(f);
                List<List<String>> tiers = TrackerLists.current(r, m);
                if (!tiers.isEmpty()) {
                    int id = 0;
                    for (int tier = 0; tier < tiers.size(); tier++) {
                        for (String url : tiers.get(tier)) {
                            ObjectNode x = a.addObject();
                            x.put("announce", url);
                            x.put("id", id++);
                            x.put("scrape", url.replace("/announce", "/scrape"));
                            x.put("tier", tier);
                            x.put("sitename", host(url));
                        }
                    }
                }
            }
            case "trackerStats" -> {
                ArrayNode a = o.putArray(f);
                int id = 0;
                for (TrackerInfo x : trackers) {
                    ObjectNode n = a.addObject();
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
                }
            }
            case "files" -> {
                ArrayNode a = o.putArray(f);
                if (m != null) {
                    List<FileEntry> fs = m.info().files();
                    for (int i = 0; i < fs.size(); i++) {
                        ObjectNode x = a.addObject();
                        x.put("bytesCompleted", i < fileDone.length ? fileDone[i] : 0);
                        x.put("length", fs.get(i).length());
                        x.put("name", fs.get(i).pathString());
                        long pl = m.info().pieceLength();
                        long begin = fs.get(i).offset() / pl;
                        x.put("begin_piece", begin);
                        x.put("end_piece", fs.get(i).length() == 0 ? begin : (fs.get(i).offset() + fs.get(i).length() + pl - 1) / pl);
                    }
                }
            }
            case "fileStats" -> {
                ArrayNode a = o.putArray(f);
                if (m != null) {
                    for (int i = 0; i < m.info().files().size(); i++) {
                        ObjectNode x = a.addObject();
                        x.put("bytesCompleted", i < fileDone.length ? fileDone[i] : 0);
                        x.put("wanted", i >= r.wanted.size() || r.wanted.get(i));
                        x.put("priority", i < r.priorities.size() ? r.priorities.get(i) : 0);
                    }
                }
            }
            case "wanted" -> {
                ArrayNode a = o.putArray(f);
                int n = m == null ? 0 : m.info().files().size();
                for (int i = 0; i < n; i++) {
                    a.add(i >= r.wanted.size() || r.wanted.get(i) ? 1 : 0);
                }
            }
            case "priorities" -> {
                ArrayNode a = o.putArray(f);
                int n = m == null ? 0 : m.info().files().size();
                for (int i = 0; i < n; i++) {
                    a.add(i < r.priorities.size() ? r.priorities.get(i) : 0);
                }
            }
            case "peers" -> {
                ArrayNode a = o.putArray(f);
                for (PeerInfo p : peers) {
                    ObjectNode x = a.addObject();
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
                }
            }
            case "peersFrom" -> {
                ObjectNode x = o.putObject(f);
                long incoming = peers.stream().filter(p -> !p.outgoing()).count();
                x.put("fromIncoming", incoming);
                x.put("fromTracker", peers.size() - incoming);
                x.put("fromDht", 0);
                x.put("fromLpd", 0);
                x.put("fromPex", 0);
                x.put("fromCache", 0);
                x.put("fromLtep", 0);
            }
            case "pieces" -> o.put(f, map == null ? "" : Base64.getEncoder().encodeToString(bits(map.have(), map.pieceCount())));
            case "availability" -> {
                ArrayNode a = o.putArray(f);
                if (map != null) {
                    for (int i = 0; i < map.pieceCount(); i++) {
                        a.add(map.have().get(i) ? -1 : map.availability()[i]);
                    }
                }
            }
            case "jtorrentPieceMap" -> {
                ObjectNode x = o.putObject(f);
                if (map != null) {
                    x.put("pieceCount", map.pieceCount());
                    x.put("have", Base64.getEncoder().encodeToString(bits(map.have(), map.pieceCount())));
                    x.put("downloading", Base64.getEncoder().encodeToString(bits(map.downloading(), map.pieceCount())));
                    ArrayNode av = x.putArray("availability");
                    for (int i = 0; i < map.pieceCount(); i++) {
                        av.add(map.availability()[i]);
                    }
                }
            }
            default -> { } // unknown fields are left out, as Transmission does
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
