package io.jtorrent.metainfo;

import java.nio.file.Path;
import java.util.List;

/**
 * One file of a torrent, as it will be laid out on disk.
 *
 * @param path safe relative path under the save directory, first element the torrent's name for
 *     multi-file torrents (so single- and multi-file torrents both live at {@code SAVE_DIR/<name>})
 * @param length bytes of data the file contributes to the torrent (0 for symlinks)
 * @param offset where the file's data starts in the torrent's concatenated data
 * @param pad a padding file (BEP 47 attribute {@code p}): zeros that are never written to disk
 * @param executable attribute {@code x}
 * @param hidden attribute {@code h}
 * @param symlinkTarget for a symlink (attribute {@code l}), the safe path it points to, relative to
 *     the save directory like {@code path}; empty otherwise
 * @param renamed whether {@code path} differs from what the torrent declared (sanitized or
 *     de-duplicated)
 */
public record FileEntry(List<String> path, long length, long offset, boolean pad, boolean executable,
                        boolean hidden, List<String> symlinkTarget, boolean renamed) {

    public FileEntry {
        path = List.copyOf(path);
        symlinkTarget = List.copyOf(symlinkTarget);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        if (length < 0 || offset < 0) {
            throw new IllegalArgumentException("negative length or offset");
        }
    }

    public boolean isSymlink() {
        return !symlinkTarget.isEmpty();
    }

    /** The path joined with {@code /}, for display. */
    public String pathString() {
        return String.join("/", path);
    }

    /** Where the file lives under {@code saveDirectory}. */
    public Path resolveIn(Path saveDirectory) {
        Path p = saveDirectory;
        for (String element : path) {
            p = p.resolve(element);
        }
        return p;
    }

    /** Offset one past the file's last byte in the torrent's data. */
    public long end() {
        return offset + length;
    }
}
