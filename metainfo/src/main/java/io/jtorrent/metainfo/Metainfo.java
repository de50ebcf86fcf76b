package io.jtorrent.metainfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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

    Metainfo(InfoHash infoHash, Info info, byte[] infoBytes, List<List<String>> trackerTiers,
             List<String> webSeeds, List<String> httpSeeds, List<Node> nodes, Instant creationDate,
             String comment, String createdBy, List<String> warnings) {
        this.infoHash = infoHash;
        this.info = info;
        this.infoBytes = infoBytes;
        this.trackerTiers = trackerTiers.stream().map(List::copyOf).toList();
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

    /** The bytes of a {@code .torrent} file holding {@code infoBytes} exactly, with trackers and web seeds. */
    public static byte[] torrentFile(byte[] infoBytes, List<String> trackers, List<String> webSeeds) {
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
        return torrentFile(infoBytes, trackers(), webSeeds);
    }

    /** SHA-1 of the info dictionary's exact bytes. */
    public InfoHash infoHash() {
        return infoHash;
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
        return trackerTiers.stream().flatMap(List::stream).toList();
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
