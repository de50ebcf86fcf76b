package io.jtorrent.engine.torrent;

import io.jtorrent.engine.SessionEvent;
import io.jtorrent.engine.TorrentState;
import io.jtorrent.engine.pieces.PieceRanges;
import io.jtorrent.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The torrent's data: opening and checking it (when the torrent starts, and again after each of
 * the rest), and what a user does to it: check it again, change which files are wanted, move it.
 * Each of those closes the storage on a disk thread, does its work there, and reopens and checks
 * the data on the loop (a paused torrent stays paused). Also remembers the files the torrent
 * created, for deleting its data. Owned by the torrent's loop.
 */
public final class StorageControl {
    private final Torrent t;
    /** Files created by a storage of this torrent that has since been closed (the open one knows its own). */
    private final BitSet createdFiles = new BitSet();

    StorageControl(Torrent t) {
        this.t = t;
    }

    /**
     * Opens the storage and checks the data (see {@link DataCheck}); {@code ignoreResume}: hash
     * everything (a user's recheck). The storage and the totals are set here, on the loop.
     */
    void check(boolean ignoreResume) {
        t.setState(TorrentState.CHECKING);
        t.checkProgress = 0;
        BitSet wanted = PieceRanges.wantedFiles(t.info, t.filePriorities);
        DataCheck.open(t.services.disk(), t.services.storage(), t.owner, t.info, t.infoHash, t.saveDir, wanted,
                t.services.resumeFile(t.infoHash), ignoreResume,
                (opened, e) -> {
                    if (t.state == TorrentState.STOPPED) {
                        // stopped while the data was opened: what opened is closed again, nothing kept
                        if (opened != null) {
                            Storage s = opened.storage();
                            t.services.disk().run(() -> {
                                s.close();
                                return null;
                            }, t.owner, (v, closing) -> { });
                        }
                        return;
                    }
                    if (e != null) {
                        t.fail("cannot open the data: " + e.getMessage());
                        t.checked().completeExceptionally(new IOException(t.error, e));
                        return;
                    }
                    t.resume.loadTotals(opened.resume());
                    t.storage = opened.storage();
                    // seed mode: the pieces taken as had, none hashed now (each is when first asked for)
                    BitSet taken = t.transfers.seedMode(t.params.seedMode(), ignoreResume, opened);
                    DataCheck.hash(t.services.disk(), t.owner, t.metainfo, t.storage, taken != null ? taken : opened.trusted(),
                            taken != null ? new BitSet() : opened.toHash(), t.settings().hashThreads * 2, p -> t.checkProgress = p,
                            this::checkDone);
                });
    }

    private void checkDone(BitSet have) {
        if (t.state == TorrentState.STOPPED) {
            // stopped (removed, or its session closed) while the data was checked: the reads the
            // closing storage cut short counted as missing pieces, so what the check found is not
            // kept, and the torrent stays stopped
            return;
        }
        t.picker.setHave(have);
        t.post(new SessionEvent.TorrentChecked(t.infoHash, have.cardinality(), t.info.pieceCount()));
        t.resume.dirty();
        if (t.params.seedOnly() && !t.picker.complete()) {
            String msg = "the data in " + t.saveDir.resolve(t.info.name()) + " is incomplete: " + have.cardinality()
                    + " of " + t.info.pieceCount() + " pieces present and correct";
            t.fail(msg);
            t.checked().completeExceptionally(new IOException(msg));
            return;
        }
        if (t.pauseAfterCheck) {
            t.setState(TorrentState.PAUSED);
        } else {
            t.resumeTransfers();
        }
        t.checked().complete(t);
    }

    /** Checks the data again from scratch (resume data not trusted), then goes on as before. */
    public void recheck() {
        if (t.info == null || t.state == TorrentState.CHECKING) {
            return;
        }
        closeStorageThen(() -> null, (v, e) -> check(true));
    }

    /**
     * New per-file priorities (0 skip, 1 normal, 2 high). When the set of skipped files changes,
     * the storage is reopened and checked again (the data of a file becoming wanted may sit in
     * the part file, or nowhere yet); otherwise only the picker changes.
     */
    public void setFilePriorities(byte[] priorities) {
        if (t.info == null || priorities.length != t.info.files().size()) {
            throw new IllegalArgumentException("one priority per file: " + (t.info == null ? 0 : t.info.files().size())
                    + " expected, " + priorities.length + " given");
        }
        boolean wantedChanged = false;
        for (int i = 0; i < priorities.length; i++) {
            boolean was = t.filePriorities == null || t.filePriorities[i] > 0;
            wantedChanged |= was != (priorities[i] > 0);
        }
        t.filePriorities = priorities.clone();
        t.picker.setPriorities(PieceRanges.piecePriorities(t.info, t.filePriorities));
        if (wantedChanged && t.state != TorrentState.CHECKING && t.storage != null) {
            closeStorageThen(() -> null, (v, e) -> check(false)); // peers reconnect after the check
        } else {
            t.wantedChanged();
        }
    }

    /**
     * Moves the data to {@code dir} (or, with {@code move} false, just looks for it there), then
     * checks it and goes on as before.
     */
    public CompletableFuture<Void> moveStorage(Path dir, boolean move) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (t.info == null) {
            t.saveDir = dir;
            done.complete(null);
            return done;
        }
        Path from = t.saveDir;
        closeStorageThen(() -> {
            if (move) {
                t.services.storage().move(t.info, from, dir);
            }
            return null;
        }, (v, e) -> {
            if (e != null) {
                t.storageError("moving the data to " + dir + ": " + e.getMessage());
                done.completeExceptionally(e);
                return;
            }
            t.saveDir = dir;
            check(false);
            done.complete(null);
        });
        return done;
    }

    /**
     * Stores a file or directory under another name (Transmission's torrent-rename-path; see
     * {@link io.jtorrent.metainfo.Info#renamed}): renamed on disk if it is there, then the data is
     * checked again from the resume data and the torrent goes on as before. Fails with an
     * {@link IllegalArgumentException} for a path or name the torrent refuses, an
     * {@link IOException} when the disk does, and then nothing changed.
     */
    public CompletableFuture<Void> renamePath(String path, String newName) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        io.jtorrent.metainfo.Metainfo renamed;
        try {
            if (t.metainfo == null) {
                throw new io.jtorrent.metainfo.MetainfoException("the torrent's metadata is not known yet");
            }
            renamed = t.metainfo.renamed(path, newName);
        } catch (io.jtorrent.metainfo.MetainfoException e) {
            done.completeExceptionally(new IllegalArgumentException(e.getMessage()));
            return done;
        }
        io.jtorrent.metainfo.Info before = t.info;
        Path dir = t.saveDir;
        closeStorageThen(() -> {
            t.services.storage().rename(before, renamed.info(), dir);
            return null;
        }, (v, e) -> {
            if (e == null) {
                t.metainfo = renamed;
                t.info = renamed.info();
            }
            check(false);
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    /** The metadata with the renames a torrent was added with applied (one that no longer applies skipped). */
    static io.jtorrent.metainfo.Metainfo withRenames(io.jtorrent.metainfo.Metainfo m, java.util.List<java.util.List<String>> renames) {
        for (java.util.List<String> r : renames) {
            try {
                m = m.renamed(r.get(0), r.get(1));
            } catch (io.jtorrent.metainfo.MetainfoException e) {
                org.slf4j.LoggerFactory.getLogger(StorageControl.class).warn("{}: rename of {} skipped: {}",
                        m.info().name(), r.get(0), e.getMessage());
            }
        }
        return m;
    }

    /**
     * Stops transferring and closes the storage, runs {@code onDisk} on a disk thread, then
     * {@code then} on the loop (which reopens and checks the data; a paused torrent stays paused).
     */
    void closeStorageThen(Callable<Void> onDisk, BiConsumer<Void, IOException> then) {
        boolean wasPaused = t.state == TorrentState.PAUSED;
        t.stopTransfers(false);
        t.pauseAfterCheck = wasPaused;
        Storage old = t.storage;
        rememberCreated(old);
        t.storage = null;
        t.services.disk().run(() -> {
            if (old != null) {
                old.close();
            }
            return onDisk.call();
        }, t.owner, then);
    }

    void rememberCreated(Storage s) {
        if (s != null) {
            createdFiles.or(s.createdFiles());
        }
    }

    /**
     * The files deleting this torrent's data may delete: those its storage created during this run
     * and those holding at least one verified piece. A file of the same name that was there before
     * and holds none of the torrent's verified data is never among them.
     */
    BitSet ownedFiles() {
        BitSet owned = (BitSet) createdFiles.clone();
        if (t.storage != null) {
            owned.or(t.storage.createdFiles());
        }
        if (t.info != null) {
            owned.or(PieceRanges.filesWithVerifiedData(t.info, t.picker.haveSet()));
        }
        return owned;
    }
}
