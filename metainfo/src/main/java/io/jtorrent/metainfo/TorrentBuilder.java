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
 * Creates a v1, v2 (BEP 52) or hybrid torrent from a file or a directory.
 *
 * <p>v1 layout: a directory's regular files, found recursively, in byte-wise order of their
 * {@code /}-separated relative paths (UTF-8), as mktorrent orders them, so both tools give the
 * same info-hash for the same data and piece size. Hidden files are included (as mktorrent does).
 * Symbolic links are followed and stored as the files they point to; a link cycle is an error.
 * Files that are neither regular files nor directories (sockets, devices) are skipped.
 *
 * <p>v2 and hybrid layout, as libtorrent's {@code create_torrent} makes it so that both give the
 * same info-hashes: files ordered by path component (the file tree's order), each starting a
 * piece; a hybrid's v1 list has a pad file ({@code attr p}, path {@code .pad/N}) after every
 * file that does not end on a piece boundary, the last one included; executable files get
 * {@code attr x}.
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

    /** Which BitTorrent versions the torrent speaks. */
    public enum Version { V1, V2, HYBRID }

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
    private Version version = Version.V1;

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

    /** v1 (the default), v2 only, or hybrid (both, for the same data). */
    public TorrentBuilder version(Version v) {
        this.version = Objects.requireNonNull(v);
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
        if (version != Version.V1) {
            return finish(v2Info(name, single, entries, piece));
        }
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
        return finish(new Built(info, Map.of()));
    }

    /** An info dictionary being built, and the v2 piece layers that go beside it. */
    private record Built(BDictionary.Builder info, Map<BBytes, BValue> pieceLayers) {}

    private Created finish(Built built) throws IOException {
        BDictionary.Builder info = built.info();
        if (isPrivate) {
            info.put("private", 1);
        }
        if (source != null) {
            info.put("source", source);
        }

        BDictionary.Builder top = BDictionary.builder().put("info", info.build());
        if (!built.pieceLayers().isEmpty()) {
            top.put("piece layers", BDictionary.of(built.pieceLayers()));
        }
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

    /** The v2 or hybrid info dictionary and piece layers: one read of the data makes both hashes. */
    private Built v2Info(String name, boolean single, List<Entry> entries, long piece)
            throws IOException, InterruptedException {
        boolean hybrid = version == Version.HYBRID;
        List<Entry> ordered = new ArrayList<>(entries);
        ordered.sort((a, b) -> {
            for (int i = 0; i < Math.min(a.path().size(), b.path().size()); i++) {
                int c = Arrays.compareUnsigned(a.path().get(i).getBytes(StandardCharsets.UTF_8),
                        b.path().get(i).getBytes(StandardCharsets.UTF_8));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a.path().size(), b.path().size());
        });
        List<PieceHasher.DataFile> data = new ArrayList<>();
        List<Integer> dataIndex = new ArrayList<>();
        List<BValue> v1Files = new ArrayList<>();
        for (Entry e : ordered) {
            dataIndex.add(data.size());
            data.add(new PieceHasher.DataFile(e.file(), e.length(), false));
            BDictionary.Builder f = BDictionary.builder();
            if (executable(e)) {
                f.put("attr", "x");
            }
            v1Files.add(f.put("length", e.length())
                    .put("path", BList.of(e.path().stream().map(BBytes::of).toList())).build());
            long tail = e.length() % piece;
            if (tail != 0 && !single) {
                long pad = piece - tail;
                data.add(new PieceHasher.DataFile(Path.of(".pad"), pad, true));
                v1Files.add(BDictionary.builder().put("attr", "p").put("length", pad)
                        .put("path", BList.of(BBytes.of(".pad"), BBytes.of(Long.toString(pad)))).build());
            }
        }
        PieceHasher.Result hashed = PieceHasher.hash(data, piece, threads, progress, hybrid, true);
        if (!hashed.fileProblems().isEmpty()) {
            Map.Entry<Integer, String> first = hashed.fileProblems().entrySet().iterator().next();
            throw new IOException(data.get(first.getKey()).path() + ": " + first.getValue()
                    + " (did it change while the torrent was being made?)");
        }

        Map<BBytes, BValue> layers = new java.util.TreeMap<>();
        Map<List<String>, BValue> leaves = new java.util.LinkedHashMap<>();
        long[] offsets = new long[data.size() + 1];
        for (int j = 0; j < data.size(); j++) {
            offsets[j + 1] = offsets[j] + data.get(j).length();
        }
        for (int i = 0; i < ordered.size(); i++) {
            Entry e = ordered.get(i);
            long offset = offsets[dataIndex.get(i)];
            BDictionary.Builder leaf = BDictionary.builder();
            if (executable(e)) {
                leaf.put("attr", "x");
            }
            leaf.put("length", e.length());
            if (e.length() > 0) {
                int first = (int) (offset / piece);
                int pieces = (int) MerkleTree.pieces(e.length(), piece);
                byte[] root;
                if (pieces == 1) {
                    root = hashed.v2Hash(first);
                } else {
                    byte[] layer = Arrays.copyOfRange(hashed.v2Hashes(), first * MerkleTree.HASH,
                            (first + pieces) * MerkleTree.HASH);
                    root = MerkleTree.rootFromLayer(layer, pieces, piece);
                    layers.put(BBytes.of(root), BBytes.of(layer));
                }
                leaf.put("pieces root", root);
            }
            leaves.put(single ? List.of(name) : e.path(), leaf.build());
        }
        BDictionary.Builder info = BDictionary.builder()
                .put("name", name)
                .put("piece length", piece)
                .put("meta version", 2)
                .put("file tree", tree(leaves, 0));
        if (hybrid) {
            info.put("pieces", hashed.hashes());
            if (single) {
                info.put("length", ordered.get(0).length());
                if (executable(ordered.get(0))) {
                    info.put("attr", "x");
                }
            } else {
                info.put("files", BList.of(v1Files));
            }
        }
        return new Built(info, layers);
    }

    /** The nested {@code file tree} dictionary of the files whose paths share the first {@code depth} components. */
    private static BDictionary tree(Map<List<String>, BValue> leaves, int depth) {
        Map<BBytes, Map<List<String>, BValue>> children = new java.util.TreeMap<>();
        Map<BBytes, BValue> node = new java.util.TreeMap<>();
        for (Map.Entry<List<String>, BValue> e : leaves.entrySet()) {
            BBytes key = BBytes.of(e.getKey().get(depth));
            if (e.getKey().size() == depth + 1) {
                node.put(key, BDictionary.of(Map.of(BBytes.of(""), e.getValue())));
            } else {
                children.computeIfAbsent(key, k -> new java.util.LinkedHashMap<>()).put(e.getKey(), e.getValue());
            }
        }
        children.forEach((k, sub) -> node.put(k, tree(sub, depth + 1)));
        return BDictionary.of(node);
    }

    private static boolean executable(Entry e) {
        return Files.isExecutable(e.file()) && Files.isRegularFile(e.file());
    }

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
