package io.jtorrent.metainfo;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SHA-1 of every piece of a torrent's data, read from the files that hold it, on several threads.
 *
 * <p>The data is the files concatenated in torrent order; a piece may span several files. Each
 * worker claims the next piece, reads it with positional reads through its own buffer and hashes
 * it, so the data is read once, memory stays at one buffer per thread whatever the piece size, and
 * all cores hash. Pad files are zeros and never read. A file that is missing, shorter than
 * declared or unreadable makes the pieces it touches unreadable, and is reported; it does not stop
 * the others.
 */
public final class PieceHasher {
    private static final int CHUNK = 1 << 20;

    /** One file of the torrent's data, where it is on disk and how long the torrent says it is. */
    public record DataFile(Path path, long length, boolean pad) {}

    /** Told how many bytes are hashed so far; called from the hashing threads. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void update(long bytesDone, long bytesTotal);
    }

    /**
     * @param hashes the 20-byte SHA-1 of each piece, concatenated (zeros for unreadable pieces);
     *     empty when v1 hashes were not asked for
     * @param v2Hashes the 32-byte v2 hash of each piece (BEP 52: the root of its 16 KiB leaves'
     *     subtree, see {@link MerkleTree#pieceHash}), concatenated; empty when not asked for
     * @param readable the pieces whose data could be read in full
     * @param fileProblems by file index, what went wrong reading it
     */
    public record Result(byte[] hashes, byte[] v2Hashes, BitSet readable, Map<Integer, String> fileProblems) {
        public byte[] hash(int piece) {
            return Arrays.copyOfRange(hashes, piece * 20, piece * 20 + 20);
        }

        public byte[] v2Hash(int piece) {
            return Arrays.copyOfRange(v2Hashes, piece * MerkleTree.HASH, (piece + 1) * MerkleTree.HASH);
        }
    }

    private final List<DataFile> files;
    private final long[] offsets;
    private final long pieceLength;
    private final long total;
    private final int pieceCount;
    private final Map<Integer, String> problems = new ConcurrentHashMap<>();

    private final boolean v1;
    private final boolean v2;

    private PieceHasher(List<DataFile> files, long pieceLength, boolean v1, boolean v2) {
        this.v1 = v1;
        this.v2 = v2;
        this.files = List.copyOf(files);
        this.pieceLength = pieceLength;
        this.offsets = new long[files.size()];
        long o = 0;
        for (int i = 0; i < files.size(); i++) {
            offsets[i] = o;
            o += files.get(i).length();
        }
        this.total = o;
        this.pieceCount = (int) ((o + pieceLength - 1) / pieceLength);
    }

    /** SHA-1 of every piece of {@code files} laid end to end, on {@code threads} threads. */
    public static Result hash(List<DataFile> files, long pieceLength, int threads, Progress progress)
            throws InterruptedException {
        return hash(files, pieceLength, threads, progress, true, false);
    }

    /**
     * The v1 (SHA-1) and/or v2 (Merkle) hash of every piece, reading the data once. For v2 the
     * layout must be v2's: every file that holds data starts a piece (pad files between), and
     * the piece length is a power of two of at least 16 KiB.
     */
    public static Result hash(List<DataFile> files, long pieceLength, int threads, Progress progress,
                              boolean v1, boolean v2) throws InterruptedException {
        if (pieceLength <= 0) {
            throw new IllegalArgumentException("piece length must be positive");
        }
        if (v2 && (Long.bitCount(pieceLength) != 1 || pieceLength < MerkleTree.BLOCK)) {
            throw new IllegalArgumentException("a v2 piece length must be a power of two of at least 16 KiB");
        }
        return new PieceHasher(files, pieceLength, v1, v2).run(Math.max(1, threads), progress);
    }

    private Result run(int threads, Progress progress) throws InterruptedException {
        byte[] hashes = new byte[v1 ? pieceCount * 20 : 0];
        byte[] v2Hashes = new byte[v2 ? pieceCount * MerkleTree.HASH : 0];
        BitSet readable = new BitSet(pieceCount);
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        int workers = Math.min(threads, Math.max(1, pieceCount));
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "jtorrent-hash");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Callable<BitSet>> tasks = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                tasks.add(() -> new Worker().run(next, hashes, v2Hashes, done, progress));
            }
            for (Future<BitSet> f : pool.invokeAll(tasks)) {
                try {
                    readable.or(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("hashing failed", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(hashes, v2Hashes, readable, new TreeMap<>(problems));
    }

    /** One hashing thread: its own digest, buffer and open file. */
    private final class Worker {
        private final MessageDigest sha1 = newSha1();
        private final MessageDigest sha256 = v2 ? MerkleTree.sha256() : null;
        /** The v2 leaf hashes of the piece being hashed, and how many. */
        private final byte[] leaves = v2 ? new byte[(int) (pieceLength / MerkleTree.BLOCK) * MerkleTree.HASH] : null;
        private int leafCount;
        /** The length of the file whose data the piece holds (v2 pieces hold one file's data). */
        private long leafFileLength;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(CHUNK, Math.max(pieceLength, 1)));
        private FileChannel channel;
        private int channelFile = -1;

        BitSet run(AtomicInteger next, byte[] hashes, byte[] v2Hashes, AtomicLong done, Progress progress)
                throws InterruptedException {
            BitSet ok = new BitSet(pieceCount);
            try {
                int piece;
                while ((piece = next.getAndIncrement()) < pieceCount) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    long start = piece * pieceLength;
                    long end = Math.min(total, start + pieceLength);
                    leafCount = 0;
                    leafFileLength = 0;
                    if (hashRange(start, end)) {
                        if (v1) {
                            System.arraycopy(sha1.digest(), 0, hashes, piece * 20, 20);
                        }
                        if (v2) {
                            byte[] h = MerkleTree.pieceHash(leaves, 0, leafCount, pieceLength, leafFileLength);
                            System.arraycopy(h, 0, v2Hashes, piece * MerkleTree.HASH, MerkleTree.HASH);
                        }
                        ok.set(piece);
                    } else {
                        sha1.reset();
                    }
                    progress.update(done.addAndGet(end - start), total);
                }
            } finally {
                close();
            }
            return ok;
        }

        /** Feeds bytes [start, end) of the data to the digest; false if any of them could not be read. */
        private boolean hashRange(long start, long end) {
            int i = fileAt(start);
            long pos = start;
            while (pos < end) {
                DataFile f = files.get(i);
                long inFile = pos - offsets[i];
                long n = Math.min(end - pos, f.length() - inFile);
                if (n > 0) {
                    if (f.pad()) {
                        if (v1) {
                            zeros(n); // v2 pads with zero hashes, not hashes of zeros
                        }
                    } else if (!read(i, inFile, n)) {
                        return false;
                    }
                    pos += n;
                }
                i++;
            }
            return true;
        }

        private boolean read(int file, long position, long length) {
            if (problems.containsKey(file)) {
                return false;
            }
            try {
                FileChannel ch = open(file);
                long remaining = length;
                long at = position;
                while (remaining > 0) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), remaining));
                    while (buffer.hasRemaining()) {
                        int r = ch.read(buffer, at + buffer.position());
                        if (r < 0) {
                            throw new EOFException("shorter than the " + files.get(file).length() + " bytes expected");
                        }
                    }
                    buffer.flip();
                    at += buffer.remaining();
                    remaining -= buffer.remaining();
                    if (v2) {
                        leafFileLength = files.get(file).length();
                        leaves(buffer);
                    }
                    if (v1) {
                        sha1.update(buffer);
                    }
                }
                return true;
            } catch (NoSuchFileException e) {
                problems.putIfAbsent(file, "missing");
            } catch (EOFException e) {
                problems.putIfAbsent(file, e.getMessage());
            } catch (IOException e) {
                problems.putIfAbsent(file, "unreadable: " + e);
            }
            return false;
        }

        /** Hashes the buffer's 16 KiB blocks into leaves, leaving its position where it was. */
        private void leaves(ByteBuffer data) {
            int start = data.position();
            int limit = data.limit();
            for (int p = start; p < limit; p += MerkleTree.BLOCK) {
                data.limit(Math.min(limit, p + MerkleTree.BLOCK)).position(p);
                sha256.update(data);
                try {
                    sha256.digest(leaves, leafCount++ * MerkleTree.HASH, MerkleTree.HASH);
                } catch (java.security.DigestException e) {
                    throw new IllegalStateException(e);
                }
            }
            data.limit(limit).position(start);
        }

        private FileChannel open(int file) throws IOException {
            if (channelFile != file) {
                close();
                channel = FileChannel.open(files.get(file).path(), StandardOpenOption.READ);
                channelFile = file;
            }
            return channel;
        }

        private void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // read-only: nothing to lose
                }
                channel = null;
                channelFile = -1;
            }
        }

        private void zeros(long n) {
            byte[] zero = new byte[(int) Math.min(n, 16384)];
            for (long left = n; left > 0; left -= zero.length) {
                sha1.update(zero, 0, (int) Math.min(left, zero.length));
            }
        }
    }

    /** Index of the file holding byte {@code pos} of the data (the first non-empty one there). */
    private int fileAt(long pos) {
        int i = Arrays.binarySearch(offsets, pos);
        if (i < 0) {
            return -i - 2;
        }
        while (i > 0 && offsets[i - 1] == pos) {
            i--; // empty files share an offset with the next one: start at the first
        }
        return i;
    }

    static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
