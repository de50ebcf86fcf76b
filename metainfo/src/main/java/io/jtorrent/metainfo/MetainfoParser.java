package io.jtorrent.metainfo;

import io.jtorrent.bencode.BBytes;
import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BInteger;
import io.jtorrent.bencode.BList;
import io.jtorrent.bencode.BValue;
import io.jtorrent.bencode.BencodeDecoder;
import io.jtorrent.bencode.BencodeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a decoded torrent and builds a {@link Metainfo}. Required fields that are missing or
 * of the wrong type reject the torrent, naming the field ({@code info.files[2].length}); optional
 * fields that are malformed are ignored with a warning, as libtorrent and Transmission do.
 *
 * <p>Limits: the file is at most {@link Metainfo#MAX_TORRENT_FILE_BYTES}; the decoder's depth and
 * value-count limits apply; a piece is at most {@link #MAX_PIECE_LENGTH} bytes and a torrent at
 * most {@link #MAX_PIECES} pieces (both libtorrent's limits).
 */
final class MetainfoParser {
    static final long MAX_PIECE_LENGTH = (1L << 29) - (16 << 10);
    static final int MAX_PIECES = 1 << 21;

    private static final BencodeDecoder DECODER = new BencodeDecoder(BencodeDecoder.Limits.DEFAULT
            .withMaxInputBytes(Metainfo.MAX_TORRENT_FILE_BYTES)
            .withLenientKeyOrder(true));

    private final List<String> warnings = new ArrayList<>();

    private MetainfoParser() {}

    static Metainfo parse(byte[] torrent) throws MetainfoException {
        return new MetainfoParser().metainfo(torrent);
    }

    private Metainfo metainfo(byte[] torrent) throws MetainfoException {
        BencodeDecoder.Decoded decoded;
        try {
            decoded = DECODER.decodePrefix(torrent, 0, torrent.length);
        } catch (BencodeException e) {
            throw new MetainfoException("not a valid torrent file: bencode error " + e.getMessage(), e);
        }
        warnings.addAll(decoded.warnings());
        if (decoded.length() < torrent.length) {
            // libtorrent and Transmission ignore what follows the dictionary (often a newline)
            warnings.add("ignored " + (torrent.length - decoded.length()) + " bytes after the torrent's dictionary");
        }
        if (!(decoded.value() instanceof BDictionary top)) {
            throw new MetainfoException("not a valid torrent file: expected a dictionary at the top level, found "
                    + decoded.value().typeName());
        }
        BValue infoValue = required(top, "info", "info");
        if (!(infoValue instanceof BDictionary info)) {
            throw new MetainfoException("info: expected a dictionary, found " + infoValue.typeName());
        }
        byte[] infoBytes = info.span().orElseThrow().copyFrom(torrent);
        boolean v2 = metaVersion(info) == 2;
        InfoHash v1Hash = InfoHash.v1Of(infoBytes);
        InfoHash v2Hash = v2 ? InfoHash.v2Of(infoBytes) : null;
        InfoHash primary = v2 && !info.containsKey("pieces") ? v2Hash : v1Hash;

        Info parsedInfo = info(info, primary, v2);
        Map<String, byte[]> layers = v2
                ? FileTreeParser.pieceLayers(top, declaredV2, parsedInfo.pieceLength(), warnings) : Map.of();
        return new Metainfo(primary, v2Hash, layers, parsedInfo, infoBytes, trackerTiers(top), urlList(top),
                stringList(top, "httpseeds"), nodes(top), creationDate(top),
                text(top, "comment").orElse(null), text(top, "created by").orElse(null), warnings);
    }

    /** 1 or 2: {@code meta version} 2 with a {@code file tree} makes a v2 (or hybrid) torrent. */
    private int metaVersion(BDictionary info) throws MetainfoException {
        Optional<BValue> metaVersion = info.get("meta version");
        if (metaVersion.isEmpty()) {
            return 1;
        }
        long v = metaVersion.get() instanceof BInteger i ? i.value() : -1;
        if (v != 1 && v != 2) {
            throw new MetainfoException("info.meta version: unsupported value " + metaVersion.get());
        }
        if (v == 2 && !info.containsKey("file tree")) {
            if (!info.containsKey("pieces")) {
                throw new MetainfoException("info.file tree: missing (info has 'meta version' 2)");
            }
            warnings.add("info: 'meta version' 2 without a file tree; read as v1");
            return 1;
        }
        return (int) v;
    }

    private List<FileTreeParser.Declared> declaredV2 = List.of();
    private List<List<String>> declaredV1Paths = List.of();

    private Info info(BDictionary info, InfoHash infoHash, boolean v2) throws MetainfoException {
        Optional<String> nameText = text(info, "name");
        if (nameText.isEmpty()) {
            throw new MetainfoException(info.containsKey("name")
                    ? "info.name: expected a string, found " + info.get("name").get().typeName()
                    : "info.name: missing");
        }
        String declaredName = nameText.get();
        String name = PathSanitizer.element(declaredName);
        if (name.isEmpty()) {
            name = infoHash.hex();
        }
        if (!name.equals(declaredName)) {
            warnings.add("info.name: '" + declaredName + "' is stored as '" + name + "'");
        }

        long pieceLength = integer(info, "piece length", "info.piece length");
        if (pieceLength <= 0 || pieceLength > MAX_PIECE_LENGTH) {
            throw new MetainfoException("info.piece length: " + pieceLength + " is outside 1.." + MAX_PIECE_LENGTH);
        }
        if (Long.bitCount(pieceLength) != 1 || pieceLength < 16 << 10) {
            if (v2) {
                throw new MetainfoException("info.piece length: " + pieceLength
                        + " must be a power of two of at least 16 KiB in a v2 torrent");
            }
            warnings.add("info.piece length: " + pieceLength + " is not a power of two of at least 16 KiB");
        }
        if (v2) {
            declaredV2 = FileTreeParser.files(info);
        }
        boolean hasV1 = info.containsKey("pieces") || !v2;
        boolean singleFile;
        List<FileEntry> files;
        int[] v2Indexes = new int[declaredV2.size()];
        if (!hasV1) {
            singleFile = declaredV2.size() == 1 && declaredV2.get(0).path().size() == 1;
            files = FileTreeParser.layout(declaredV2, name, singleFile, pieceLength, v2Indexes, warnings);
        } else if (info.containsKey("files")) {
            singleFile = false;
            files = multiFile(info, name);
        } else if (info.containsKey("length")) {
            singleFile = true;
            long length = integer(info, "length", "info.length");
            if (length < 0) {
                throw new MetainfoException("info.length: negative length " + length);
            }
            String attr = text(info, "attr").orElse("");
            declaredV1Paths = List.of(List.of(declaredName));
            files = List.of(new FileEntry(List.of(name), length, 0, false, attr.indexOf('x') >= 0,
                    attr.indexOf('h') >= 0, List.of(), !name.equals(declaredName)));
        } else {
            throw new MetainfoException("info: has neither 'length' (single file) nor 'files' (no files)");
        }
        long total = files.isEmpty() ? 0 : files.get(files.size() - 1).end();
        if (total == 0) {
            throw new MetainfoException("info: the torrent holds no data (total length is 0)");
        }

        long expectedPieces = (total + pieceLength - 1) / pieceLength;
        if (expectedPieces > MAX_PIECES) {
            throw new MetainfoException("info: too many pieces: " + expectedPieces + " pieces of " + pieceLength
                    + " bytes, the limit is " + MAX_PIECES);
        }
        byte[] pieces = null;
        if (hasV1) {
            pieces = v1Pieces(info, total, pieceLength, expectedPieces);
        }
        List<Info.V2File> v2Files = List.of();
        if (v2) {
            if (hasV1) {
                v2Indexes = FileTreeParser.matchHybrid(declaredV2, files, declaredV1Paths);
            }
            v2Files = FileTreeParser.place(declaredV2, files, v2Indexes, pieceLength);
            long v2Pieces = 0;
            for (Info.V2File f : v2Files) {
                v2Pieces += f.pieceCount();
            }
            if (v2Pieces != expectedPieces) {
                throw new MetainfoException("hybrid torrent: the v1 data makes " + expectedPieces
                        + " pieces, the v2 file tree " + v2Pieces);
            }
        }
        boolean isPrivate = info.get("private").orElse(null) instanceof BInteger p && p.value() == 1;
        return new Info(name, pieceLength, pieces, singleFile, isPrivate, files, total, v2Files);
    }

    private static byte[] v1Pieces(BDictionary info, long total, long pieceLength, long expectedPieces)
            throws MetainfoException {
        BValue piecesValue = required(info, "pieces", "info.pieces");
        if (!(piecesValue instanceof BBytes piecesBytes)) {
            throw new MetainfoException("info.pieces: expected a string, found " + piecesValue.typeName());
        }
        if (piecesBytes.length() % 20 != 0) {
            throw new MetainfoException("info.pieces: length " + piecesBytes.length() + " is not a multiple of 20");
        }
        if (piecesBytes.length() / 20 != expectedPieces) {
            throw new MetainfoException("info.pieces: " + piecesBytes.length() / 20 + " piece hashes, but "
                    + total + " bytes in pieces of " + pieceLength + " make " + expectedPieces);
        }
        return piecesBytes.bytes();
    }

    private List<FileEntry> multiFile(BDictionary info, String name) throws MetainfoException {
        BValue filesValue = info.get("files").get();
        if (!(filesValue instanceof BList list)) {
            throw new MetainfoException("info.files: expected a list, found " + filesValue.typeName());
        }
        if (list.size() == 0) {
            throw new MetainfoException("info.files: the list is empty (no files)");
        }
        record Declared(List<String> path, long length, boolean pad, String attr, List<String> symlink) {}
        List<Declared> declared = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String where = "info.files[" + i + "]";
            if (!(list.get(i) instanceof BDictionary file)) {
                throw new MetainfoException(where + ": expected a dictionary, found " + list.get(i).typeName());
            }
            String attr = text(file, "attr").orElse("");
            boolean symlinkAttr = attr.indexOf('l') >= 0;
            long length = symlinkAttr && !file.containsKey("length") ? 0 : integer(file, "length", where + ".length");
            if (length < 0) {
                throw new MetainfoException(where + ".length: negative length " + length);
            }
            boolean pad = attr.indexOf('p') >= 0;
            List<String> path;
            if (file.containsKey("path") || file.containsKey("path.utf-8")) {
                path = pathList(file, where);
                // BitComet's padding files predate the attribute; libtorrent recognises them by name
                if (!path.isEmpty() && path.get(path.size() - 1).startsWith("_____padding_file_")) {
                    pad = true;
                }
            } else if (pad) {
                path = List.of(".pad", Long.toString(length));
            } else {
                throw new MetainfoException(where + ".path: missing");
            }
            List<String> symlink = List.of();
            if (symlinkAttr) {
                BValue target = file.get("symlink path").orElse(null);
                if (target == null) {
                    throw new MetainfoException(where + ".symlink path: missing for a symlink");
                }
                symlink = strings(target, where + ".symlink path");
                length = 0; // a symlink holds no data (libtorrent lays it out so, whatever it declares)
            }
            declared.add(new Declared(path, length, pad, attr, symlink));
        }

        List<List<String>> declaredPaths = new ArrayList<>(declared.size());
        List<List<String>> safe = new ArrayList<>(declared.size());
        for (Declared d : declared) {
            declaredPaths.add(d.path());
            safe.add(PathSanitizer.under(name, d.path()));
        }
        declaredV1Paths = declaredPaths;
        safe = PathSanitizer.deduplicate(safe);

        List<FileEntry> files = new ArrayList<>(declared.size());
        long offset = 0;
        int renamed = 0;
        for (int i = 0; i < declared.size(); i++) {
            Declared d = declared.get(i);
            List<String> path = safe.get(i);
            boolean changed = !path.subList(1, path.size()).equals(d.path());
            if (changed) {
                renamed++;
            }
            files.add(new FileEntry(path, d.length(), offset, d.pad(), d.attr().indexOf('x') >= 0,
                    d.attr().indexOf('h') >= 0, PathSanitizer.symlinkUnder(name, d.symlink()), changed));
            try {
                offset = Math.addExact(offset, d.length());
            } catch (ArithmeticException e) {
                throw new MetainfoException("info.files[" + i + "].length: the total length overflows 64 bits");
            }
        }
        if (renamed > 0) {
            warnings.add(renamed + " file path(s) were sanitized or renamed to be safe and unique");
        }
        return files;
    }

    private List<String> pathList(BDictionary file, String where) throws MetainfoException {
        Optional<BValue> utf8 = file.get("path.utf-8");
        if (utf8.isPresent()) {
            try {
                return strings(utf8.get(), where + ".path.utf-8");
            } catch (MetainfoException e) {
                warnings.add(e.getMessage() + "; using path");
            }
        }
        return strings(required(file, "path", where + ".path"), where + ".path");
    }

    /** A list of strings (a path), or an error naming {@code where}. */
    static List<String> strings(BValue value, String where) throws MetainfoException {
        if (!(value instanceof BList list)) {
            throw new MetainfoException(where + ": expected a list of strings, found " + value.typeName());
        }
        List<String> out = new ArrayList<>(list.size());
        for (int j = 0; j < list.size(); j++) {
            if (!(list.get(j) instanceof BBytes s)) {
                throw new MetainfoException(where + "[" + j + "]: expected a string, found " + list.get(j).typeName());
            }
            out.add(s.asString());
        }
        return out;
    }

    /**
     * {@code d[key]}, or an error "WHERE: missing". (No lambdas on the parser's path: the first
     * one a JVM links costs a cold {@code jtorrent info} about 15 ms.)
     */
    private static BValue required(BDictionary d, String key, String where) throws MetainfoException {
        Optional<BValue> v = d.get(key);
        if (v.isEmpty()) {
            throw new MetainfoException(where + ": missing");
        }
        return v.get();
    }

    private static long integer(BDictionary d, String key, String where) throws MetainfoException {
        BValue v = required(d, key, where);
        if (!(v instanceof BInteger i)) {
            throw new MetainfoException(where + ": expected an integer, found " + v.typeName());
        }
        return i.value();
    }

    /** A text field, preferring its {@code .utf-8} twin when that is well-formed. */
    private static Optional<String> text(BDictionary d, String key) {
        if (d.get(key + ".utf-8").orElse(null) instanceof BBytes u && u.isUtf8()) {
            return Optional.of(u.asString());
        }
        return d.get(key).orElse(null) instanceof BBytes s ? Optional.of(s.asString()) : Optional.empty();
    }

    private List<List<String>> trackerTiers(BDictionary top) {
        Set<String> seen = new LinkedHashSet<>();
        List<List<String>> tiers = new ArrayList<>();
        Optional<BValue> announceList = top.get("announce-list");
        if (announceList.isPresent()) {
            if (announceList.get() instanceof BList outer) {
                for (BValue tierValue : outer) {
                    if (!(tierValue instanceof BList tierList)) {
                        warnings.add("announce-list: ignored a tier that is a " + tierValue.typeName());
                        continue;
                    }
                    List<String> tier = new ArrayList<>();
                    for (BValue url : tierList) {
                        if (url instanceof BBytes s && !s.asString().isBlank() && seen.add(s.asString().trim())) {
                            tier.add(s.asString().trim());
                        }
                    }
                    if (!tier.isEmpty()) {
                        tiers.add(tier);
                    }
                }
            } else {
                warnings.add("announce-list: ignored, it is a " + announceList.get().typeName());
            }
        }
        if (tiers.isEmpty()) {
            String announce = text(top, "announce").orElse("").trim();
            if (!announce.isEmpty()) {
                tiers.add(List.of(announce));
            }
        }
        return tiers;
    }

    private List<String> urlList(BDictionary top) {
        Optional<BValue> v = top.get("url-list");
        if (v.isEmpty()) {
            return List.of();
        }
        Set<String> urls = new LinkedHashSet<>();
        if (v.get() instanceof BBytes s) {
            addUrl(urls, s);
        } else if (v.get() instanceof BList l) {
            for (BValue item : l) {
                if (item instanceof BBytes s) {
                    addUrl(urls, s);
                }
            }
        } else {
            warnings.add("url-list: ignored, it is a " + v.get().typeName());
        }
        return List.copyOf(urls);
    }

    private static void addUrl(Set<String> urls, BBytes s) {
        String u = s.asString().trim();
        if (!u.isEmpty()) {
            urls.add(u);
        }
    }

    private static List<String> stringList(BDictionary top, String key) {
        List<String> out = new ArrayList<>();
        if (top.get(key).orElse(null) instanceof BList l) {
            for (BValue item : l) {
                if (item instanceof BBytes s && !s.asString().isBlank()) {
                    out.add(s.asString().trim());
                }
            }
        }
        return out;
    }

    private List<Metainfo.Node> nodes(BDictionary top) {
        List<Metainfo.Node> out = new ArrayList<>();
        if (top.get("nodes").orElse(null) instanceof BList l) {
            for (BValue item : l) {
                if (item instanceof BList pair && pair.size() == 2 && pair.get(0) instanceof BBytes host
                        && pair.get(1) instanceof BInteger port && port.value() > 0 && port.value() < 65536) {
                    out.add(new Metainfo.Node(host.asString(), (int) port.value()));
                } else {
                    warnings.add("nodes: ignored a malformed entry");
                }
            }
        }
        return out;
    }

    private Instant creationDate(BDictionary top) {
        Optional<BValue> v = top.get("creation date");
        if (v.isEmpty()) {
            return null;
        }
        if (v.get() instanceof BInteger i && i.value() >= 0 && i.value() < 253402300800L) {
            return Instant.ofEpochSecond(i.value());
        }
        warnings.add("creation date: ignored " + v.get());
        return null;
    }
}
