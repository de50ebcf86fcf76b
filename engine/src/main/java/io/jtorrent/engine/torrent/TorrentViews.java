package io.jtorrent.engine.torrent;

import io.jtorrent.engine.TorrentState;

import io.jtorrent.engine.PeerInfo;
import io.jtorrent.engine.PieceMap;
import io.jtorrent.engine.TorrentStatus;
import io.jtorrent.engine.TrackerInfo;
import io.jtorrent.engine.peer.PeerViews;
import io.jtorrent.engine.pieces.PieceRanges;
import io.jtorrent.engine.webseed.WebSeed;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * A torrent as programs that show it see it (the CLI's progress, the daemon's RPC and web UI):
 * status, peers, trackers, file progress, the piece map. Snapshots, made on the torrent's loop.
 */
public final class TorrentViews {
    private final Torrent t;

    TorrentViews(Torrent t) {
        this.t = t;
    }

    /** The wanted and done bytes last counted, and of what picker at what change (a walk over every piece). */
    private Object countedPicker;
    private long countedAt = -1;
    private long wantedBytes;
    private long doneBytes;

    public TorrentStatus status() {
        int pieceCount = t.info == null ? 0 : t.info.pieceCount();
        if (t.picker != countedPicker || (t.picker != null && t.picker.changes() != countedAt)) {
            // counted again only when what we have or want changed: a daemon asks for a thousand statuses a second
            long wanted = 0;
            long done = 0;
            for (int i = 0; i < pieceCount; i++) {
                if (t.picker.priority(i) > 0) {
                    wanted += t.info.pieceSize(i);
                    if (t.picker.have(i)) {
                        done += t.info.pieceSize(i);
                    }
                }
            }
            wantedBytes = wanted;
            doneBytes = done;
            countedPicker = t.picker;
            countedAt = t.picker == null ? -1 : t.picker.changes();
        }
        PeerViews.Counts c = t.peerSet.counts();
        double progress = t.info == null ? 0 : wantedBytes == 0 ? 1 : (double) doneBytes / wantedBytes;
        // a stopped torrent's meters are no longer ticked: what moves now is nothing
        boolean moving = t.state == TorrentState.DOWNLOADING || t.state == TorrentState.SEEDING
                || t.state == TorrentState.FETCHING_METADATA;
        return new TorrentStatus(t.infoHash, t.name(), t.state, progress, wantedBytes, doneBytes,
                moving ? t.transfers.downloadMeter.rate() : 0, moving ? t.transfers.uploadMeter.rate() : 0, t.peerSet.size(), c.seeds(),
                t.picker == null ? 0 : t.picker.haveCount(), pieceCount, t.resume.uploadedTotal(),
                t.resume.downloadedTotal(), t.transfers.wasted, t.transfers.hashFailures, c.wireReceived(), c.wireSent(),
                t.trackerSeeders, t.trackerLeechers, t.trackerDownloaded, Optional.ofNullable(t.error), c.sending(),
                c.getting(), busyWebSeeds(), t.transfers.uploadMeter.total(),
                t.transfers.downloadMeter.total(), t.state == io.jtorrent.engine.TorrentState.CHECKING ? t.checkProgress : 0,
                c.utpPeers(), c.utpReceived(), c.utpSent());
    }

    private int busyWebSeeds() {
        int n = 0;
        for (WebSeed w : t.webSeeds) {
            if (w.busy()) {
                n++;
            }
        }
        return n;
    }

    /** Whether the download is in end game: every block it still wants is requested from someone. */
    public boolean endGame() {
        return t.picker != null && !t.picker.complete() && t.picker.allRequested();
    }

    /** The pieces we have (verified), a copy. */
    public BitSet havePieces() {
        return t.picker == null ? new BitSet() : t.picker.haveSet();
    }

    /** See {@link StorageControl#ownedFiles}. */
    public BitSet ownedFiles() {
        return t.storageControl.ownedFiles();
    }

    public List<PeerInfo> peers() {
        return t.peerSet.infos(t.info == null ? 0 : t.info.pieceCount());
    }

    public List<WebSeed> webSeeds() {
        return List.copyOf(t.webSeeds);
    }

    public List<TrackerInfo> trackers() {
        List<TrackerInfo> out = new ArrayList<>();
        t.announcers.forEach(a -> out.addAll(a.info()));
        return out;
    }

    /** Verified bytes of each file. */
    public long[] fileProgress() {
        return t.info == null ? new long[0] : PieceRanges.fileProgress(t.info, t.picker.haveSet());
    }

    public PieceMap pieceMap() {
        if (t.info == null) {
            return new PieceMap(0, new BitSet(), new BitSet(), new int[0]);
        }
        int[] availability = new int[t.info.pieceCount()];
        for (int i = 0; i < availability.length; i++) {
            availability[i] = t.picker.availability(i);
        }
        return new PieceMap(t.info.pieceCount(), t.picker.haveSet(), t.picker.partialPieces(), availability);
    }
}
