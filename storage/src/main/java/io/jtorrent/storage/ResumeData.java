package io.jtorrent.storage;

import io.jtorrent.bencode.BBytes;
import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BInteger;
import io.jtorrent.bencode.BList;
import io.jtorrent.bencode.BValue;
import io.jtorrent.bencode.BencodeDecoder;
import io.jtorrent.bencode.BencodeException;
import io.jtorrent.metainfo.FileEntry;
import io.jtorrent.metainfo.Info;
import io.jtorrent.metainfo.InfoHash;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Fast-resume state of one torrent: which pieces were verified, and the size and modification
 * time of every file when they were, so that a restart need not hash unchanged files.
 *
 * <p>Stored bencoded: {@code {"info-hash": 20 bytes, "pieces": bitfield, "files": [[size, mtime_ms], ...],
 * "uploaded": n, "downloaded": n}}, written atomically (temporary file, fsync, rename, fsync of the
 * directory). The engine writes it only after flushing the data the bitfield claims.
 *
 * @param infoHash the torrent it belongs to
 * @param verified pieces that passed their hash check
 * @param fileSizes sizes of the files on disk when saved (-1 if absent), in torrent order
 * @param fileMtimes their modification times in ms since the epoch (-1 if absent)
 * @param uploaded payload bytes uploaded over the torrent's life
 * @param downloaded payload bytes downloaded over the torrent's life
 */
public record ResumeData(InfoHash infoHash, BitSet verified, long[] fileSizes, long[] fileMtimes,
                         long uploaded, long downloaded) {

    /** Resume files larger than this are not read. */
    public static final int MAX_BYTES = 64 << 20;

    /** The state of {@code verified} pieces with the files as they are now under {@code saveDir}. */
    public static ResumeData capture(InfoHash infoHash, Info info, Path saveDir, BitSet verified,
                                     long uploaded, long downloaded) {
        int n = info.files().size();
        long[] sizes = new long[n];
        long[] mtimes = new long[n];
        for (int i = 0; i < n; i++) {
            Path p = info.files().get(i).resolveIn(saveDir);
            try {
                sizes[i] = Files.size(p);
                mtimes[i] = Files.getLastModifiedTime(p).toMillis();
            } catch (IOException e) {
                sizes[i] = -1;
                mtimes[i] = -1;
            }
        }
        return new ResumeData(infoHash, (BitSet) verified.clone(), sizes, mtimes, uploaded, downloaded);
    }

    /**
     * The pieces that can still be trusted: those verified whose every file is unchanged since
     * (same size, same modification time). Everything else must be hashed again.
     */
    public BitSet trustedPieces(Info info, Path saveDir) {
        ResumeData now = capture(infoHash, info, saveDir, new BitSet(), 0, 0);
        BitSet trusted = (BitSet) verified.clone();
        trusted.clear(info.pieceCount(), Math.max(info.pieceCount(), trusted.length()));
        List<FileEntry> files = info.files();
        if (files.size() != fileSizes.length) {
            return new BitSet();
        }
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            if (f.length() == 0 || f.pad()) {
                continue;
            }
            boolean unchanged = now.fileSizes[i] == fileSizes[i] && now.fileMtimes[i] == fileMtimes[i] && fileSizes[i] >= 0;
            if (!unchanged) {
                int first = (int) (f.offset() / info.pieceLength());
                int last = (int) ((f.end() - 1) / info.pieceLength());
                trusted.clear(first, last + 1);
            }
        }
        return trusted;
    }

    public byte[] encode(int pieceCount) {
        byte[] bits = new byte[(pieceCount + 7) / 8];
        for (int i = verified.nextSetBit(0); i >= 0 && i < pieceCount; i = verified.nextSetBit(i + 1)) {
            bits[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
        List<BValue> files = new ArrayList<>();
        for (int i = 0; i < fileSizes.length; i++) {
            files.add(BList.of(BInteger.of(fileSizes[i]), BInteger.of(fileMtimes[i])));
        }
        return BDictionary.builder()
                .put("info-hash", infoHash.bytes())
                .put("pieces", bits)
                .put("files", BList.of(files))
                .put("uploaded", uploaded)
                .put("downloaded", downloaded)
                .build().encode();
    }

    /** Parses a resume file; any inconsistency is an {@link IOException} and the caller rechecks. */
    public static ResumeData decode(byte[] bytes, int pieceCount) throws IOException {
        try {
            BValue v = new BencodeDecoder(BencodeDecoder.Limits.DEFAULT.withMaxInputBytes(MAX_BYTES)).decode(bytes);
            if (!(v instanceof BDictionary d) || !(d.get("info-hash").orElse(null) instanceof BBytes hash)
                    || hash.length() != 20 || !(d.get("pieces").orElse(null) instanceof BBytes bits)
                    || bits.length() != (pieceCount + 7) / 8 || !(d.get("files").orElse(null) instanceof BList files)) {
                throw new IOException("resume data: missing or malformed fields");
            }
            BitSet verified = new BitSet(pieceCount);
            for (int i = 0; i < pieceCount; i++) {
                if ((bits.byteAt(i >>> 3) & (0x80 >>> (i & 7))) != 0) {
                    verified.set(i);
                }
            }
            long[] sizes = new long[files.size()];
            long[] mtimes = new long[files.size()];
            for (int i = 0; i < files.size(); i++) {
                if (!(files.get(i) instanceof BList pair) || pair.size() != 2
                        || !(pair.get(0) instanceof BInteger size) || !(pair.get(1) instanceof BInteger mtime)) {
                    throw new IOException("resume data: files[" + i + "] malformed");
                }
                sizes[i] = size.value();
                mtimes[i] = mtime.value();
            }
            long up = d.get("uploaded").orElse(null) instanceof BInteger u ? u.value() : 0;
            long down = d.get("downloaded").orElse(null) instanceof BInteger dn ? dn.value() : 0;
            return new ResumeData(InfoHash.v1(hash.bytes()), verified, sizes, mtimes, up, down);
        } catch (BencodeException e) {
            throw new IOException("resume data: " + e.getMessage(), e);
        }
    }

    /** Writes {@code bytes} to {@code target} atomically and durably. */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // not every file system lets a directory be synced; the rename is still atomic
        }
    }

    /** Reads a resume file, or null if there is none. */
    public static ResumeData read(Path file, int pieceCount) throws IOException {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IOException(file + ": larger than " + MAX_BYTES + " bytes");
            }
            return decode(Files.readAllBytes(file), pieceCount);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
