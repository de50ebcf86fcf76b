package io.jtorrent.metainfo;

import io.jtorrent.bencode.BBytes;
import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BInteger;
import io.jtorrent.bencode.BList;
import io.jtorrent.bencode.BValue;
import io.jtorrent.bencode.BencodeEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Creates a v1 torrent from a file or a directory.
 *
 * <p>Layout: a directory's regular files, found recursively, in byte-wise order of their
 * {@code /}-separated relative paths (UTF-8), as mktorrent orders them, so both tools give the
 * same info-hash for the same data and piece size. Hidden files are included (as mktorrent does).
 * Symbolic links are followed and stored as the files they point to; a link cycle is an error.
 * Files that are neither regular files nor directories (sockets, devices) are skipped.
 *
 * <p>Piece size: explicit (a power of two from 16 KiB to 512 MiB) or automatic: the power of two
 * that makes 1,000 to 2,000 pieces, clamped to 16 KiB..16 MiB.
 *
 * <pre>{@code
 * TorrentBuilder.Created t = TorrentBuilder.from(Path.of("photos"))
 *         .tracker("http://tracker.example/announce")
 *         .build();
 * Files.write(Path.of("photos.torrent"), t.bytes());
 * }</pre>
 */
public final class TorrentBuilder {
    public static final long MIN_PIECE_LENGTH = 16 << 10;
    public static final long MAX_PIECE_LENGTH = 1L << 29;
    public static final long MAX_AUTO_PIECE_LENGTH = 16 << 20;

    /** A created torrent: the file's bytes and their parsed form. */
    public record Created(byte[] bytes, Metainfo metainfo) {}

    private final Path root;
    private final List<List<String>> trackerTiers = new ArrayList<>();
    private final List<String> webSeeds = new ArrayList<>();
    private long pieceLength;
    private boolean isPrivate;
    private String comment;
    private String createdBy = "jtorrent";
    private Instant creationDate = Instant.now();
    private String source;
    private int threads = Runtime.getRuntime().availableProcessors();
    private PieceHasher.Progress progress = PieceHasher.Progress.NONE;

    private TorrentBuilder(Path root) {
        this.root = root;
    }

    /** A builder for the torrent of {@code path}, a file or a directory. */
    public static TorrentBuilder from(Path path) {
        return new TorrentBuilder(Objects.requireNonNull(path));
    }

    /** Adds a tracker as a tier of its own (BEP 12). */
    public TorrentBuilder tracker(String url) {
        return trackerTier(List.of(url));
    }

    /** Adds a tier of trackers that clients try in random order. */
    public TorrentBuilder trackerTier(List<String> urls) {
        if (!urls.isEmpty()) {
            trackerTiers.add(List.copyOf(urls));
        }
        return this;
    }

    /** Adds a BEP 19 web seed. */
    public TorrentBuilder webSeed(String url) {
        webSeeds.add(url);
        return this;
    }

    /** Explicit piece length: a power of two from 16 KiB to 512 MiB; 0 chooses automatically. */
    public TorrentBuilder pieceLength(long bytes) {
        if (bytes != 0 && (Long.bitCount(bytes) != 1 || bytes < MIN_PIECE_LENGTH || bytes > MAX_PIECE_LENGTH)) {
            throw new IllegalArgumentException("piece size " + bytes + " must be a power of two from "
                    + MIN_PIECE_LENGTH + " (16 KiB) to " + MAX_PIECE_LENGTH + " (512 MiB)");
        }
        this.pieceLength = bytes;
        return this;
    }

    /** BEP 27: peers only from this torrent's trackers. */
    public TorrentBuilder privateFlag(boolean value) {
        this.isPrivate = value;
        return this;
    }

    public TorrentBuilder comment(String text) {
        this.comment = text;
        return this;
    }

    /** The {@code created by} field; {@code null} leaves it out. Default "jtorrent". */
    public TorrentBuilder createdBy(String text) {
        this.createdBy = text;
        return this;
    }

    /** The {@code creation date}; {@code null} leaves it out. Default now. */
    public TorrentBuilder creationDate(Instant when) {
        this.creationDate = when;
        return this;
    }

    /** The {@code info.source} field private trackers use to tell cross-seeded copies apart. */
    public TorrentBuilder source(String text) {
        this.source = text;
        return this;
    }

    /** Hashing threads; default every core. */
    public TorrentBuilder threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.threads = n;
        return this;
    }

    public TorrentBuilder progress(PieceHasher.Progress listener) {
        this.progress = Objects.requireNonNull(listener);
        return this;
    }

    /** The automatic piece length for {@code totalBytes} of data. */
    public static long autoPieceLength(long totalBytes) {
        long p = MIN_PIECE_LENGTH;
        while (p < MAX_AUTO_PIECE_LENGTH && totalBytes / (p * 2) >= 1000) {
            p *= 2;
        }
        return p;
    }

    /** Reads and hashes the data and returns the torrent. */
    public Created build() throws IOException, InterruptedException {
        if (!Files.exists(root)) {
            throw new IOException(root + ": no such file or directory");
        }
        Path absolute = root.toAbsolutePath().normalize();
        Path fileName = absolute.getFileName();
        if (fileName == null) {
            throw new IOException(root + ": cannot make a torrent of a file system root");
        }
        String name = fileName.toString();
        boolean single = Files.isRegularFile(absolute);
        List<Entry> entries = single ? List.of(new Entry(List.of(), absolute, Files.size(absolute))) : scan(absolute);
        long total = entries.stream().mapToLong(Entry::length).sum();
        if (total == 0) {
            throw new IOException(root + (entries.isEmpty() ? ": no files to share" : ": all files are empty"));
        }
        long piece = pieceLength != 0 ? pieceLength : autoPieceLength(total);
        List<PieceHasher.DataFile> data = entries.stream()
                .map(e -> new PieceHasher.DataFile(e.file(), e.length(), false)).toList();
        PieceHasher.Result hashed = PieceHasher.hash(data, piece, threads, progress);
        if (!hashed.fileProblems().isEmpty()) {
            Map.Entry<Integer, String> first = hashed.fileProblems().entrySet().iterator().next();
            throw new IOException(entries.get(first.getKey()).file() + ": " + first.getValue()
                    + " (did it change while the torrent was being made?)");
        }

        BDictionary.Builder info = BDictionary.builder()
                .put("name", name)
                .put("piece length", piece)
                .put("pieces", hashed.hashes());
        if (single) {
            info.put("length", total);
        } else {
            List<BValue> files = new ArrayList<>();
            for (Entry e : entries) {
                files.add(BDictionary.builder()
                        .put("length", e.length())
                        .put("path", BList.of(e.path().stream().map(BBytes::of).toList()))
                        .build());
            }
            info.put("files", BList.of(files));
        }
        if (isPrivate) {
            info.put("private", 1);
        }
        if (source != null) {
            info.put("source", source);
        }

        BDictionary.Builder top = BDictionary.builder().put("info", info.build());
        if (!trackerTiers.isEmpty()) {
            top.put("announce", trackerTiers.get(0).get(0));
            if (trackerTiers.size() > 1 || trackerTiers.get(0).size() > 1) {
                top.put("announce-list", BList.of(trackerTiers.stream()
                        .map(tier -> (BValue) BList.of(tier.stream().map(BBytes::of).toList())).toList()));
            }
        }
        if (!webSeeds.isEmpty()) {
            top.put("url-list", webSeeds.size() == 1 ? BBytes.of(webSeeds.get(0))
                    : BList.of(webSeeds.stream().map(BBytes::of).toList()));
        }
        if (comment != null) {
            top.put("comment", comment);
        }
        if (createdBy != null) {
            top.put("created by", createdBy);
        }
        if (creationDate != null) {
            top.put("creation date", BInteger.of(creationDate.getEpochSecond()));
        }
        byte[] bytes = BencodeEncoder.encode(top.build());
        try {
            return new Created(bytes, Metainfo.parse(bytes));
        } catch (MetainfoException e) {
            throw new IllegalStateException("built an invalid torrent: " + e.getMessage(), e);
        }
    }

    private record Entry(List<String> path, Path file, long length) {}

    private static List<Entry> scan(Path dir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try {
            Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        List<String> rel = new ArrayList<>();
                        dir.relativize(file).forEach(p -> rel.add(p.toString()));
                        entries.add(new Entry(rel, file, attrs.size()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    throw e;
                }
            });
        } catch (FileSystemLoopException e) {
            throw new IOException(e.getFile() + ": symbolic link cycle", e);
        }
        entries.sort(Comparator.comparing(e -> String.join("/", e.path()).getBytes(StandardCharsets.UTF_8),
                Arrays::compareUnsigned));
        return entries;
    }
}
