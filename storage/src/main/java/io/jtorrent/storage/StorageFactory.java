package io.jtorrent.storage;

import io.jtorrent.metainfo.Info;
import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * Makes a torrent's {@link Storage} and knows how a backend lays its data out under a save
 * directory, so nothing outside the storage module names its files (the part file above all).
 * {@link FileStorage#FACTORY} is the one every session uses.
 */
public interface StorageFactory {
    /** Opens (creating as needed) the data of {@code info} under {@code saveDir}; {@code wanted}: files by index. */
    Storage open(Info info, Path saveDir, BitSet wanted) throws IOException;

    /** The files (by index) whose data may be on disk now, each looked up once: a check hashes only their pieces. */
    BitSet filesWithData(Info info, Path saveDir);

    /** Moves whatever data of the torrent is under {@code from} to {@code to}. */
    void move(Info info, Path from, Path to) throws IOException;

    /**
     * Renames on disk what {@code before} and {@code after} lay out differently (one file or
     * directory renamed, {@link Info#renamed}), with the backend's own files that follow the name.
     * Nothing there yet is fine; a name already taken on disk is an error and nothing moves.
     */
    void rename(Info before, Info after, Path saveDir) throws IOException;

    /** Deletes what the backend keeps besides the torrent's own files (the part file), when the data is deleted. */
    void deleteBookkeeping(Info info, Path saveDir) throws IOException;
}
