package io.jtorrent.metainfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed, validated {@code .torrent} file (BEP 3, with BEP 12 tracker tiers, BEP 19 web seeds,
 * BEP 27 private flag, BEP 47 file attributes).
 *
 * <pre>{@code
 * Metainfo m = Metainfo.read(Path.of("ubuntu.torrent"));
 * System.out.println(m.infoHash().hex() + " " + m.info().name());
 * }</pre>
 */
public final class Metainfo {
    /** Torrent files larger than this are refused before they are read. */
    public static final int MAX_TORRENT_FILE_BYTES = 64 << 20;

    /** A DHT node given in the torrent's {@code nodes} list (BEP 5). */
    public record Node(String host, int port) {}

    private final InfoHash infoHash;
    private final InfoHash infoHashV2;
    private final Map<String, byte[]> pieceLayers;
    private final Info info;
    private final byte[] infoBytes;
    private final List<List<String>> trackerTiers;
    private final List<String> webSeeds;
    private final List<String> httpSeeds;
    private final List<Node> nodes;
    private final Instant creationDate;
    private final String comment;
    private final String createdBy;
    private final List<String> warnings;

    Metainfo(InfoHash infoHash, InfoHash infoHashV2, Map<String, byte[]> pieceLayers, Info info, byte[] infoBytes,
             List<List<String>> trackerTiers, List<String> webSeeds, List<String> httpSeeds, List<Node> nodes,
             Instant creationDate, String comment, String createdBy, List<String> warnings) {
        this.infoHash = infoHash;
        this.infoHashV2 = infoHashV2;
        this.pieceLayers = Map.copyOf(pieceLayers);
        this.info = info;
        this.infoBytes = infoBytes;
        List<List<String>> tiers = new java.util.ArrayList<>(trackerTiers.size());
        for (List<String> tier : trackerTiers) {
            tiers.add(List.copyOf(tier));
        }
        this.trackerTiers = List.copyOf(tiers);
        this.webSeeds = List.copyOf(webSeeds);
        this.httpSeeds = List.copyOf(httpSeeds);
        this.nodes = List.copyOf(nodes);
        this.creationDate = creationDate;
        this.comment = comment;
        this.createdBy = createdBy;
        this.warnings = List.copyOf(warnings);
    }

    /** Parses and validates a torrent file's bytes. */
    public static Metainfo parse(byte[] torrent) throws MetainfoException {
        return MetainfoParser.parse(torrent);
    }

    /** Reads, parses and validates a torrent file. */
    public static Metainfo read(Path file) throws IOException, MetainfoException {
        long size = Files.size(file);
        if (size > MAX_TORRENT_FILE_BYTES) {
            throw new MetainfoException(file + ": " + size + " bytes is larger than the "
                    + MAX_TORRENT_FILE_BYTES + "-byte limit for torrent files");
        }
        return parse(Files.readAllBytes(file));
    }

    /**
     * A torrent made of an info dictionary received from peers (BEP 9) and what a magnet link
     * said: its trackers (one tier each, as clients do for {@code tr}) and web seeds. The info
     * dictionary is validated as in a file; the caller checks its hash.
     */
    public static Metainfo ofInfo(byte[] infoBytes, List<String> trackers, List<String> webSeeds) throws MetainfoException {
        return parse(torrentFile(infoBytes, trackers, webSeeds));
    }

    /** This torrent with v2 piece layers added (each checked against its file's root), e.g. fetched from peers. */
    public Metainfo withPieceLayers(Map<String, byte[]> layers) throws MetainfoException {
        Map<String, byte[]> all = new java.util.HashMap<>(pieceLayers);
        all.putAll(layers);
        return parse(torrentFile(infoBytes, trackers(), webSeeds, all));
    }

    /**
     * This torrent with a file or directory stored under another name ({@link Info#renamed}): the
     * same info-hash and info dictionary (what peers are sent), another layout on disk.
     */
    public Metainfo renamed(String path, String newName) throws MetainfoException {
        return new Metainfo(infoHash, infoHashV2, pieceLayers, info.renamed(path, newName), infoBytes, trackerTiers, webSeeds,
                httpSeeds, nodes, creationDate, comment, createdBy, warnings);
    }

    /** The bytes of a {@code .torrent} file holding {@code infoBytes} exactly, with trackers and web seeds. */
    public static byte[] torrentFile(byte[] infoBytes, List<String> trackers, List<String> webSeeds) {
        return torrentFile(infoBytes, trackers, webSeeds, Map.of());
    }

    /**
     * The bytes of a {@code .torrent} file holding {@code infoBytes} exactly, with trackers, web
     * seeds and v2 piece layers (by 64-hex pieces root).
     */
    public static byte[] torrentFile(byte[] infoBytes, List<String> trackers, List<String> webSeeds,
                                     Map<String, byte[]> pieceLayers) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(infoBytes.length + 256);
        out.write('d');
        // keys in sorted order: announce, announce-list, info, url-list
        if (!trackers.isEmpty()) {
            io.jtorrent.bencode.BencodeEncoder.write(io.jtorrent.bencode.BBytes.of("announce"), out);
            io.jtorrent.bencode.BencodeEncoder.write(io.jtorrent.bencode.BBytes.of(trackers.get(0)), out);
            io.jtorrent.bencode.BencodeEncoder.write(io.jtorrent.bencode.BBytes.of("announce-list"), out);
            io.jtorrent.bencode.BencodeEncoder.write(io.jtorrent.bencode.BList.of(trackers.stream()
                    .map(t -> io.jtorrent.bencode.BList.of(io.jtorrent.bencode.BBytes.of(t))).toList()), out);
        }
        io.jtorrent.bencode.BencodeEncoder.write(io.jtorrent.bencode.BBytes.of("info"), out);
        out.writeBytes(infoBytes);
        if (!pieceLayers.isEmpty()) {
            io.jtorrent.bencode.BencodeEncoder.write(io.jtorrent.bencode.BBytes.of("piece layers"), out);
            java.util.Map<io.jtorrent.bencode.BBytes, io.jtorrent.bencode.BValue> layers = new java.util.HashMap<>();
            pieceLayers.forEach((root, layer) -> layers.put(io.jtorrent.bencode.BBytes.of(
                    java.util.HexFormat.of().parseHex(root)), io.jtorrent.bencode.BBytes.of(layer)));
            io.jtorrent.bencode.BencodeEncoder.write(io.jtorrent.bencode.BDictionary.of(layers), out);
        }
        if (!webSeeds.isEmpty()) {
            io.jtorrent.bencode.BencodeEncoder.write(io.jtorrent.bencode.BBytes.of("url-list"), out);
            io.jtorrent.bencode.BencodeEncoder.write(io.jtorrent.bencode.BList.of(
                    webSeeds.stream().map(io.jtorrent.bencode.BBytes::of).toList()), out);
        }
        out.write('e');
        return out.toByteArray();
    }

    /** The bytes of a {@code .torrent} file for this torrent (its info dictionary exactly as received). */
    public byte[] toTorrentFile() {
        return torrentFile(infoBytes, trackers(), webSeeds, pieceLayers);
    }

    /**
     * The hash that names the torrent: the v1 info-hash (SHA-1 of the info dictionary's exact
     * bytes) for v1 and hybrid torrents, the v2 one (SHA-256) for a v2-only torrent.
     */
    public InfoHash infoHash() {
        return infoHash;
    }

    /** The v1 info-hash, unless the torrent is v2-only. */
    public Optional<InfoHash> infoHashV1() {
        return info.hasV1() ? Optional.of(infoHash) : Optional.empty();
    }

    /** The v2 info-hash (SHA-256 of the info dictionary), for v2 and hybrid torrents. */
    public Optional<InfoHash> infoHashV2() {
        return Optional.ofNullable(infoHashV2);
    }

    /**
     * The piece layer of a v2 file that spans several pieces (one 32-byte hash per piece), if
     * the torrent carries it; validated against the file's root.
     */
    public Optional<byte[]> pieceLayer(Info.V2File file) {
        byte[] layer = pieceLayers.get(java.util.HexFormat.of().formatHex(file.piecesRoot()));
        return layer == null ? Optional.empty() : Optional.of(layer.clone());
    }

    /** Whether every v2 file that spans several pieces has its piece layer here. */
    public boolean hasAllPieceLayers() {
        return info.v2Files().stream().filter(Info.V2File::hasPieceLayer)
                .allMatch(f -> pieceLayers.containsKey(java.util.HexFormat.of().formatHex(f.piecesRoot())));
    }

    /**
     * The v2 hash of piece {@code index}: its entry in its file's piece layer, or the file's root
     * when the file fits in one piece. Empty when the piece layer is not known.
     */
    public Optional<byte[]> v2PieceHash(int index) {
        Info.V2File f = info.v2FileOfPiece(index);
        if (!f.hasPieceLayer()) {
            return Optional.of(f.piecesRoot());
        }
        byte[] layer = pieceLayers.get(java.util.HexFormat.of().formatHex(f.piecesRoot()));
        if (layer == null) {
            return Optional.empty();
        }
        int at = (index - f.firstPiece()) * MerkleTree.HASH;
        return Optional.of(java.util.Arrays.copyOfRange(layer, at, at + MerkleTree.HASH));
    }

    public Info info() {
        return info;
    }

    /** The info dictionary's bytes exactly as they were in the file (what metadata exchange sends). */
    public byte[] infoBytes() {
        return infoBytes.clone();
    }

    /**
     * Tracker URLs in tiers (BEP 12): {@code announce-list} when present, otherwise one tier
     * holding {@code announce}; empty for a trackerless torrent. Order as in the file.
     */
    public List<List<String>> trackerTiers() {
        return trackerTiers;
    }

    /** All tracker URLs, tier by tier. */
    public List<String> trackers() {
        List<String> all = new java.util.ArrayList<>();
        for (List<String> tier : trackerTiers) {
            all.addAll(tier);
        }
        return java.util.Collections.unmodifiableList(all);
    }

    /** BEP 19 web seeds ({@code url-list}). */
    public List<String> webSeeds() {
        return webSeeds;
    }

    /** BEP 17 HTTP seeds ({@code httpseeds}). */
    public List<String> httpSeeds() {
        return httpSeeds;
    }

    /** DHT bootstrap nodes carried by the torrent. */
    public List<Node> nodes() {
        return nodes;
    }

    public Optional<Instant> creationDate() {
        return Optional.ofNullable(creationDate);
    }

    public Optional<String> comment() {
        return Optional.ofNullable(comment);
    }

    public Optional<String> createdBy() {
        return Optional.ofNullable(createdBy);
    }

    /**
     * What the parser tolerated: unsorted keys, odd piece lengths, ignored malformed optional
     * fields, sanitized paths. Empty for a clean torrent.
     */
    public List<String> warnings() {
        return warnings;
    }
}
