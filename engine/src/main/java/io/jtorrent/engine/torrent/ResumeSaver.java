package io.jtorrent.engine.torrent;

import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.storage.ResumeData;
import io.jtorrent.storage.Storage;
import java.nio.file.Path;
import java.util.BitSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A torrent's resume data: the lifetime totals read back once, and the verified pieces saved
 * (atomically, on a disk thread) only after the data under them is flushed, so a crash never
 * leaves a piece claimed whose data is not durable. Owned by the torrent's loop.
 */
final class ResumeSaver {
    private static final Logger LOG = LoggerFactory.getLogger(ResumeSaver.class);

    private final Torrent t;
    private boolean dirty;
    private boolean saving;
    /** The lifetime totals were read from the resume data (once: a recheck must not add them again). */
    private boolean totalsLoaded;
    private long uploadedBase;
    private long downloadedBase;

    ResumeSaver(Torrent t) {
        this.t = t;
    }

    /** Something worth saving changed (a piece verified, bytes uploaded). */
    void dirty() {
        dirty = true;
    }

    void loadTotals(ResumeData resume) {
        if (resume != null && !totalsLoaded) {
            uploadedBase = resume.uploaded();
            downloadedBase = resume.downloaded();
        }
        totalsLoaded = true;
    }

    long uploadedTotal() {
        return uploadedBase + t.transfers.uploadMeter.total();
    }

    long downloadedTotal() {
        return downloadedBase + t.transfers.downloadMeter.total();
    }

    void saveIfDirty() {
        if (dirty) {
            save(() -> { });
        }
    }

    /** Flushes the data, then records the verified pieces; then {@code then}, on the loop. */
    void save(Runnable then) {
        Path file = t.services.resumeFile(t.infoHash);
        Storage storage = t.storage;
        if (file == null || storage == null || saving) {
            if (storage != null && file == null) {
                t.services.disk().run(() -> {
                    storage.flush();
                    return null;
                }, t.owner, (v, e) -> then.run());
            } else {
                then.run();
            }
            return;
        }
        saving = true;
        dirty = false;
        BitSet verified = t.picker.haveSet();
        if (t.transfers.unverified != null) {
            verified.andNot(t.transfers.unverified); // seed mode: only what was hashed is vouched for
        }
        long up = uploadedTotal();
        long down = downloadedTotal();
        Path saveDir = t.saveDir;
        t.services.disk().run(() -> {
            storage.flush();
            ResumeData data = ResumeData.capture(t.infoHash, t.info, saveDir, verified, up, down);
            ResumeData.writeAtomically(file, data.encode(t.info.pieceCount()));
            return null;
        }, t.owner, (v, e) -> {
            saving = false;
            if (e != null) {
                LOG.warn("{}: saving resume data: {}", t.name(), e.getMessage());
            }
            then.run();
        });
    }

    /** Keeps a fetched torrent's metadata next to its resume data, so a restart needs no peers for it. */
    void saveTorrentFile(Metainfo m) {
        Path file = t.services.resumeFile(t.infoHash);
        if (file != null) {
            byte[] bytes = m.toTorrentFile();
            Path torrentFile = file.resolveSibling(t.infoHash.hex() + ".torrent");
            t.services.disk().run(() -> {
                ResumeData.writeAtomically(torrentFile, bytes);
                return null;
            }, t.owner, (v, e) -> {
                if (e != null) {
                    LOG.warn("{}: saving the metadata: {}", t.name(), e.getMessage());
                }
            });
        }
    }
}
