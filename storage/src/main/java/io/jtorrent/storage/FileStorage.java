package io.jtorrent.storage;

import io.jtorrent.metainfo.FileEntry;
import io.jtorrent.metainfo.Info;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default backend: each file of the torrent at {@code SAVE_DIR/<path>}, written with
 * positional {@link FileChannel} I/O, created sparse on the first write.
 *
 * <p>Files the user does not want are never created: the parts of their data that share a piece
 * with wanted files (needed to check that piece's hash) go to one sparse part file,
 * {@code SAVE_DIR/.<name>.parts}, at their offset in the torrent. Pad files are zeros that are
 * never stored. At most {@link #MAX_OPEN_FILES} files are open at once, least recently used closed
 * first.
 *
 * <p>Links: nothing is read or written through a symbolic link below the save directory (a link
 * planted there, to a file or a directory, cannot send the torrent's data elsewhere); such a path
 * is an {@link IOException} that stops the torrent. The save directory itself may be a link.
 * The storage remembers which files it created, so that deleting a torrent's data can spare a
 * file of the same name that was there before.
 */
public final class FileStorage implements Storage {
    public static final int MAX_OPEN_FILES = 64;

    private final Info info;
    private final Path saveDir;
    private final List<FileEntry> files;
    private final long[] offsets;
    private final BitSet wanted;
    private final Path partFile;
    private final Map<Integer, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true);
    private final BitSet dirty = new BitSet();
    private final java.util.Set<Integer> writable = new java.util.HashSet<>();
    /** Files this storage created (bit {@code files.size()}: the part file). */
    private final BitSet created = new BitSet();
    private boolean closed;
    private final int umask;

    /**
     * @param wanted indices of the files to store on disk; the others go to the part file
     */
    public FileStorage(Info info, Path saveDir, BitSet wanted) throws IOException {
        this(info, saveDir, wanted, -1);
    }

    /**
     * @param wanted indices of the files to store on disk; the others go to the part file
     * @param umask permission bits taken away from every file and directory this storage creates
     *     (set on each as it is created), or -1 to leave them to the process's umask
     */
    public FileStorage(Info info, Path saveDir, BitSet wanted, int umask) throws IOException {
        this.umask = umask;
        this.info = info;
        this.saveDir = saveDir;
        this.files = info.files();
        this.wanted = (BitSet) wanted.clone();
        this.offsets = files.stream().mapToLong(FileEntry::offset).toArray();
        this.partFile = partFile(info, saveDir);
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            if (wanted.get(i) && f.length() == 0 && !f.pad() && !f.isSymlink()) {
                Path p = f.resolveIn(saveDir);
                refuseLinks(p);
                createDirectories(p.getParent());
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createFile(p);
                    permit(p, 0666);
                    created.set(i);
                }
            }
        }
    }

    /**
     * Where the data of unwanted files that shares pieces with wanted ones is kept:
     * {@code SAVE_DIR/.<name>.parts}. The one place that names it.
     */
    public static Path partFile(Info info, Path saveDir) {
        return saveDir.resolve("." + info.name() + ".parts");
    }

    /** Files and a part file under a save directory: what every session uses. */
    public static final StorageFactory FACTORY = factory(-1);

    /** As {@link #FACTORY}, every file and directory created with these permission bits taken away. */
    public static StorageFactory factory(int umask) {
        return new StorageFactory() {
            @Override
            public Storage open(Info info, Path saveDir, BitSet wanted) throws IOException {
                return new FileStorage(info, saveDir, wanted, umask);
            }

            @Override
            public BitSet filesWithData(Info info, Path saveDir) {
                // with a part file, any file's data may be in it
                boolean parts = Files.exists(partFile(info, saveDir));
                BitSet present = new BitSet();
                for (int i = 0; i < info.files().size(); i++) {
                    if (parts || Files.exists(info.files().get(i).resolveIn(saveDir))) {
                        present.set(i);
                    }
                }
                return present;
            }

            @Override
            public void move(Info info, Path from, Path to) throws IOException {
                if (from.equals(to)) {
                    return;
                }
                for (FileEntry f : info.files()) {
                    Path src = f.resolveIn(from);
                    if (Files.exists(src)) {
                        Path dst = f.resolveIn(to);
                        Files.createDirectories(dst.getParent());
                        Files.move(src, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Path parts = partFile(info, from);
                if (Files.exists(parts)) {
                    Files.createDirectories(to);
                    Files.move(parts, partFile(info, to), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                // the directories the move emptied go too (never one that still holds anything, never `from`)
                for (FileEntry f : info.files()) {
                    for (Path dir = f.resolveIn(from).getParent(); dir != null && dir.startsWith(from) && !dir.equals(from);
                         dir = dir.getParent()) {
                        try {
                            Files.deleteIfExists(dir);
                        } catch (java.nio.file.DirectoryNotEmptyException stillUsed) {
                            break;
                        }
                    }
                }
            }

            @Override
            public void rename(Info before, Info after, Path saveDir) throws IOException {
                for (int i = 0; i < before.files().size(); i++) {
                    java.util.List<String> a = before.files().get(i).path();
                    java.util.List<String> b = after.files().get(i).path();
                    if (!a.equals(b)) {
                        int k = 0;
                        while (a.get(k).equals(b.get(k))) {
                            k++;
                        }
                        Path from = new FileEntry(a.subList(0, k + 1), 0, 0, false, false, false, java.util.List.of(), false).resolveIn(saveDir);
                        Path to = from.resolveSibling(b.get(k));
                        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                            throw new java.nio.file.FileAlreadyExistsException(to.toString(), null, "a file of that name exists already");
                        }
                        if (Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                            Files.move(from, to);
                        }
                        break;
                    }
                }
                Path parts = partFile(before, saveDir);
                Path renamedParts = partFile(after, saveDir);
                if (!parts.equals(renamedParts) && Files.exists(parts)) {
                    Files.move(parts, renamedParts);
                }
            }

            @Override
            public void deleteBookkeeping(Info info, Path saveDir) throws IOException {
                Files.deleteIfExists(partFile(info, saveDir));
            }
        };
    }

    /** Creates a directory and any missing parents, each new one with the storage's permissions. */
    private void createDirectories(Path dir) throws IOException {
        if (umask < 0 || Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            return;
        }
        Path first = dir;
        while (first.getParent() != null && !Files.exists(first.getParent())) {
            first = first.getParent();
        }
        Files.createDirectories(dir);
        for (Path d = dir; d != null && d.startsWith(first); d = d.getParent()) {
            permit(d, 0777);
        }
    }

    /** Sets a file or directory this storage created to {@code mode} less the umask (when one is set). */
    private void permit(Path p, int mode) throws IOException {
        if (umask < 0) {
            return;
        }
        try {
            Files.setPosixFilePermissions(p, posix(mode & ~umask));
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions: its own defaults stand
        }
    }

    static java.util.Set<java.nio.file.attribute.PosixFilePermission> posix(int mode) {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> set = java.util.EnumSet.noneOf(java.nio.file.attribute.PosixFilePermission.class);
        java.nio.file.attribute.PosixFilePermission[] order = java.nio.file.attribute.PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }

    /** All files wanted. */
    public static FileStorage allWanted(Info info, Path saveDir) throws IOException {
        BitSet all = new BitSet();
        all.set(0, info.files().size());
        return new FileStorage(info, saveDir, all);
    }

    @Override
    public void write(int piece, int offset, ByteBuffer data) throws IOException {
        long pos = position(piece, offset, data.remaining());
        forEachSegment(pos, data.remaining(), (file, filePos, length) -> {
            ByteBuffer slice = data.slice().limit(length);
            data.position(data.position() + length);
            if (files.get(file).pad()) {
                return;
            }
            boolean toPartFile = !wanted.get(file);
            long at = toPartFile ? offsets[file] + filePos : filePos;
            while (slice.hasRemaining()) {
                at += io(toPartFile ? -1 : file, true, slice, at);
            }
            synchronized (this) {
                dirty.set(toPartFile ? files.size() : file);
            }
        });
    }

    @Override
    public void read(int piece, int offset, ByteBuffer dst) throws IOException {
        long pos = position(piece, offset, dst.remaining());
        forEachSegment(pos, dst.remaining(), (file, filePos, length) -> {
            ByteBuffer slice = dst.slice().limit(length);
            dst.position(dst.position() + length);
            if (files.get(file).pad()) {
                while (slice.hasRemaining()) {
                    slice.put((byte) 0);
                }
                return;
            }
            boolean fromPartFile = !wanted.get(file);
            long at = fromPartFile ? offsets[file] + filePos : filePos;
            while (slice.hasRemaining()) {
                int n = io(fromPartFile ? -1 : file, false, slice, at);
                if (n < 0) {
                    throw new EOFException(describe(file) + ": ends before byte " + (filePos + length));
                }
                at += n;
            }
        });
    }

    private String describe(int file) {
        return file < 0 ? partFile.toString() : files.get(file).resolveIn(saveDir).toString();
    }

    @FunctionalInterface
    private interface Segment {
        void accept(int file, long filePos, int length) throws IOException;
    }

    private long position(int piece, int offset, int length) {
        if (piece < 0 || piece >= info.pieceCount() || offset < 0 || offset + (long) length > info.pieceSize(piece)) {
            throw new IllegalArgumentException("block " + piece + "/" + offset + "+" + length + " outside the torrent");
        }
        return piece * info.pieceLength() + offset;
    }

    private void forEachSegment(long pos, int length, Segment segment) throws IOException {
        int i = Arrays.binarySearch(offsets, pos);
        if (i < 0) {
            i = -i - 2;
        }
        while (i > 0 && offsets[i - 1] == pos) {
            i--;
        }
        long end = pos + length;
        while (pos < end) {
            FileEntry f = files.get(i);
            long inFile = pos - offsets[i];
            int n = (int) Math.min(end - pos, f.length() - inFile);
            if (n > 0) {
                segment.accept(i, inFile, n);
                pos += n;
            }
            i++;
        }
    }

    /** Positional read or write through a cached channel; reopens once if it was closed by eviction. */
    private int io(int file, boolean forWrite, ByteBuffer buffer, long at) throws IOException {
        for (int attempt = 0; ; attempt++) {
            FileChannel ch = channel(file, forWrite);
            try {
                return forWrite ? ch.write(buffer, at) : ch.read(buffer, at);
            } catch (ClosedChannelException e) {
                if (attempt > 0 || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
            }
        }
    }

    private synchronized FileChannel channel(int file, boolean forWrite) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        FileChannel ch = open.get(file);
        if (ch != null && ch.isOpen() && (!forWrite || writable.contains(file))) {
            return ch;
        }
        if (ch != null) {
            ch.close(); // opened read-only while checking; reopened for writing
            open.remove(file);
        }
        Path path = file < 0 ? partFile : files.get(file).resolveIn(saveDir);
        refuseLinks(path);
        if (forWrite) {
            createDirectories(path.getParent());
            boolean existed = Files.exists(path, LinkOption.NOFOLLOW_LINKS);
            ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            if (!existed) {
                created.set(file < 0 ? files.size() : file);
                permit(path, 0666);
            }
            writable.add(file);
        } else {
            ch = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS); // NoSuchFileException if absent
        }
        open.put(file, ch);
        if (open.size() > MAX_OPEN_FILES) {
            var eldest = open.entrySet().iterator().next();
            if (dirty.get(eldest.getKey() < 0 ? files.size() : eldest.getKey())) {
                eldest.getValue().force(false);
                dirty.clear(eldest.getKey() < 0 ? files.size() : eldest.getKey());
            }
            eldest.getValue().close();
            open.remove(eldest.getKey());
            writable.remove(eldest.getKey());
        }
        return ch;
    }

    @Override
    public void flush() throws IOException {
        List<FileChannel> toSync = new ArrayList<>();
        synchronized (this) {
            for (var e : open.entrySet()) {
                int bit = e.getKey() < 0 ? files.size() : e.getKey();
                if (dirty.get(bit) && e.getValue().isOpen()) {
                    toSync.add(e.getValue());
                }
            }
            dirty.clear();
        }
        for (FileChannel ch : toSync) {
            try {
                ch.force(false);
            } catch (ClosedChannelException e) {
                // evicted meanwhile: eviction forced it first
            }
        }
    }

    @Override
    public void close() throws IOException {
        flush();
        synchronized (this) {
            closed = true;
            IOException first = null;
            for (FileChannel ch : open.values()) {
                try {
                    ch.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            open.clear();
            if (first != null) {
                throw first;
            }
        }
    }

    /**
     * Refuses a path with a symbolic link anywhere below the save directory (the last component
     * included; {@code NOFOLLOW_LINKS} on the open guards that one again).
     */
    private void refuseLinks(Path path) throws IOException {
        Path rel = saveDir.relativize(path);
        Path at = saveDir;
        for (Path part : rel) {
            at = at.resolve(part);
            if (Files.isSymbolicLink(at)) {
                throw new IOException(at + " is a symbolic link; data is never written or read through a link "
                        + "inside the save directory");
            }
        }
    }

    /** The files this storage created, by index; bit {@code files().size()} stands for the part file. */
    @Override
    public synchronized BitSet createdFiles() {
        return (BitSet) created.clone();
    }

    /** Where file {@code index} is stored. */
    public Path pathOf(int index) {
        return files.get(index).resolveIn(saveDir);
    }
}
