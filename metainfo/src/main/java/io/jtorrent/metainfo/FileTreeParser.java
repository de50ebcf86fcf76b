package io.jtorrent.metainfo;

import io.jtorrent.bencode.BBytes;
import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BInteger;
import io.jtorrent.bencode.BValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The BitTorrent v2 parts of a torrent (BEP 52): the info dictionary's {@code file tree} and the
 * top-level {@code piece layers}, and for hybrids the check that the v1 and v2 views describe the
 * same data. Every error names the field it is about.
 *
 * <p>Limits: a path has at most {@link #MAX_DEPTH} components; a file at most
 * {@link #MAX_FILE_LENGTH} bytes (libtorrent's limit); the bencode decoder's limits bound the
 * rest.
 */
final class FileTreeParser {
    static final int MAX_DEPTH = 64;
    static final long MAX_FILE_LENGTH = (1L << 48) - 1;

    /** A file as the tree declares it, its path relative to the torrent's directory. */
    record Declared(List<String> path, long length, byte[] root, String attr, List<String> symlink) {
        boolean executable() {
            return attr.indexOf('x') >= 0;
        }

        boolean hidden() {
            return attr.indexOf('h') >= 0;
        }
    }

    private FileTreeParser() {}

    /** The files of {@code info.file tree}, in tree order (sorted by path component). */
    static List<Declared> files(BDictionary info) throws MetainfoException {
        BValue tree = info.get("file tree").orElseThrow(() -> new MetainfoException("info.file tree: missing"));
        if (!(tree instanceof BDictionary root)) {
            throw new MetainfoException("info.file tree: expected a dictionary, found " + tree.typeName());
        }
        List<Declared> out = new ArrayList<>();
        walk(root, new ArrayList<>(), out);
        if (out.isEmpty()) {
            throw new MetainfoException("info.file tree: no files");
        }
        return out;
    }

    private static void walk(BDictionary node, List<String> path, List<Declared> out) throws MetainfoException {
        String where = path.isEmpty() ? "info.file tree" : "info.file tree/" + String.join("/", path);
        if (path.size() > MAX_DEPTH) {
            throw new MetainfoException(where + ": deeper than " + MAX_DEPTH + " directories");
        }
        BBytes previous = null;
        for (Map.Entry<BBytes, BValue> e : node.entries().entrySet()) {
            BBytes key = e.getKey();
            if (previous != null && previous.compareTo(key) >= 0) {
                // the tree's order is the files' order, so it must be the canonical one
                throw new MetainfoException(where + ": names are not in sorted order ('" + key.asString()
                        + "' after '" + previous.asString() + "')");
            }
            previous = key;
            if (key.length() == 0) {
                if (path.isEmpty()) {
                    throw new MetainfoException("info.file tree: a file with an empty name");
                }
                if (node.size() != 1) {
                    throw new MetainfoException(where + ": is both a file and a directory");
                }
                out.add(file(e.getValue(), List.copyOf(path), where));
                continue;
            }
            if (!(e.getValue() instanceof BDictionary child)) {
                throw new MetainfoException(where + "/" + key.asString() + ": expected a dictionary, found "
                        + e.getValue().typeName());
            }
            if (child.size() == 0) {
                throw new MetainfoException(where + "/" + key.asString() + ": an empty directory entry");
            }
            path.add(key.asString());
            walk(child, path, out);
            path.remove(path.size() - 1);
        }
    }

    private static Declared file(BValue value, List<String> path, String where) throws MetainfoException {
        if (!(value instanceof BDictionary file)) {
            throw new MetainfoException(where + ": expected a dictionary, found " + value.typeName());
        }
        BValue lengthValue = file.get("length").orElseThrow(() -> new MetainfoException(where + ".length: missing"));
        if (!(lengthValue instanceof BInteger l)) {
            throw new MetainfoException(where + ".length: expected an integer, found " + lengthValue.typeName());
        }
        long length = l.value();
        if (length < 0 || length > MAX_FILE_LENGTH) {
            throw new MetainfoException(where + ".length: " + length + " is outside 0.." + MAX_FILE_LENGTH);
        }
        String attr = file.get("attr").orElse(null) instanceof BBytes a ? a.asString() : "";
        if (attr.indexOf('p') >= 0) {
            throw new MetainfoException(where + ": a pad file in a v2 file tree (v2 files are aligned without them)");
        }
        List<String> symlink = List.of();
        if (attr.indexOf('l') >= 0) {
            BValue target = file.get("symlink path").orElseThrow(
                    () -> new MetainfoException(where + ".symlink path: missing for a symlink"));
            symlink = MetainfoParser.strings(target, where + ".symlink path");
            length = 0;
        }
        byte[] root = new byte[0];
        if (length == 0 && attr.indexOf('l') < 0 && file.containsKey("pieces root")) {
            throw new MetainfoException(where + ".pieces root: an empty file has no root");
        }
        if (length > 0) {
            BValue r = file.get("pieces root").orElseThrow(
                    () -> new MetainfoException(where + ".pieces root: missing for a file of " + l.value() + " bytes"));
            if (!(r instanceof BBytes rb) || rb.length() != MerkleTree.HASH) {
                throw new MetainfoException(where + ".pieces root: expected 32 bytes");
            }
            root = rb.bytes();
            if (Arrays.equals(root, new byte[MerkleTree.HASH])) {
                throw new MetainfoException(where + ".pieces root: all zeros");
            }
        }
        return new Declared(path, length, root, attr, symlink);
    }

    /**
     * The v2 files placed in {@code layout} (the storage's file list): the {@code i}-th declared
     * file is {@code layout.get(indexes[i])}.
     */
    static List<Info.V2File> place(List<Declared> declared, List<FileEntry> layout, int[] indexes, long pieceLength)
            throws MetainfoException {
        List<Info.V2File> out = new ArrayList<>(declared.size());
        for (int i = 0; i < declared.size(); i++) {
            FileEntry f = layout.get(indexes[i]);
            Declared d = declared.get(i);
            if (d.length() > 0 && f.offset() % pieceLength != 0) {
                throw new MetainfoException("info.files: '" + String.join("/", d.path())
                        + "' does not start at a piece boundary, as the v2 file tree requires");
            }
            out.add(new Info.V2File(indexes[i], d.length(), d.root(), (int) (f.offset() / pieceLength),
                    (int) MerkleTree.pieces(d.length(), pieceLength)));
        }
        return out;
    }

    /**
     * The v2-only layout: the declared files in tree order, each starting a piece, with a pad
     * entry (never written) after every file that does not end on a piece boundary, the last one
     * included (as libtorrent lays it out, so total sizes agree).
     */
    static List<FileEntry> layout(List<Declared> declared, String name, boolean single, long pieceLength,
                                  int[] indexes, List<String> warnings) throws MetainfoException {
        List<List<String>> paths = new ArrayList<>();
        List<Long> lengths = new ArrayList<>();
        List<Integer> source = new ArrayList<>();
        for (int i = 0; i < declared.size(); i++) {
            Declared d = declared.get(i);
            List<String> p = new ArrayList<>();
            if (single) {
                // the file is named by its key in the tree, as libtorrent reads it (usually the name)
                String key = PathSanitizer.element(d.path().get(0));
                p.add(key.isEmpty() ? name : key);
            } else {
                p.addAll(PathSanitizer.under(name, d.path()));
            }
            paths.add(p);
            lengths.add(d.length());
            source.add(i);
            long tail = d.length() % pieceLength;
            if (tail != 0 && !single) {
                long pad = pieceLength - tail;
                paths.add(List.of(name, ".pad", Long.toString(pad)));
                lengths.add(pad);
                source.add(-1);
            }
        }
        List<List<String>> safe = PathSanitizer.deduplicate(paths);
        List<FileEntry> files = new ArrayList<>(safe.size());
        long offset = 0;
        int renamed = 0;
        for (int j = 0; j < safe.size(); j++) {
            int i = source.get(j);
            if (i < 0) {
                files.add(new FileEntry(safe.get(j), lengths.get(j), offset, true, false, false, List.of(), false));
            } else {
                Declared d = declared.get(i);
                List<String> path = safe.get(j);
                boolean changed = single ? !path.equals(d.path()) : !path.subList(1, path.size()).equals(d.path());
                renamed += changed ? 1 : 0;
                indexes[i] = files.size();
                files.add(new FileEntry(path, d.length(), offset, false, d.executable(), d.hidden(),
                        PathSanitizer.symlinkUnder(name, d.symlink()), changed));
            }
            try {
                offset = Math.addExact(offset, lengths.get(j));
            } catch (ArithmeticException e) {
                throw new MetainfoException("info.file tree: the total length overflows 64 bits");
            }
        }
        if (renamed > 0) {
            warnings.add(renamed + " file path(s) were sanitized or renamed to be safe and unique");
        }
        return files;
    }

    /**
     * Matches a hybrid's v1 file list with its v2 tree: the same files, paths and lengths in the
     * same order, pad files only between them (a single-file v1 torrent's one path is its name).
     * Returns, for each declared v2 file, its index in
     * {@code v1}.
     */
    static int[] matchHybrid(List<Declared> declared, List<FileEntry> v1, List<List<String>> v1Declared)
            throws MetainfoException {
        int[] indexes = new int[declared.size()];
        int j = 0;
        for (int i = 0; i < declared.size(); i++) {
            while (j < v1.size() && v1.get(j).pad()) {
                j++;
            }
            Declared d = declared.get(i);
            if (j >= v1.size()) {
                throw new MetainfoException("hybrid torrent: the v2 file tree has '" + String.join("/", d.path())
                        + "', which the v1 file list lacks");
            }
            FileEntry f = v1.get(j);
            boolean samePath = v1Declared.get(j).equals(d.path());
            if (!samePath || f.length() != d.length()) {
                throw new MetainfoException("hybrid torrent: the v1 and v2 views disagree at file " + i + " ('"
                        + String.join("/", d.path()) + "', " + d.length() + " bytes, against '"
                        + String.join("/", v1Declared.get(j)) + "', " + f.length() + " bytes)");
            }
            indexes[i] = j++;
        }
        while (j < v1.size() && v1.get(j).pad()) {
            j++;
        }
        if (j < v1.size()) {
            throw new MetainfoException("hybrid torrent: the v1 file list has '" + v1.get(j).pathString()
                    + "', which the v2 file tree lacks");
        }
        return indexes;
    }

    /**
     * The top-level {@code piece layers}, by 64-hex root: each must belong to a file of the tree
     * that spans several pieces, hold one hash per piece and hash to the file's root.
     */
    static Map<String, byte[]> pieceLayers(BDictionary top, List<Declared> declared, long pieceLength,
                                           List<String> warnings) throws MetainfoException {
        Optional<BValue> value = top.get("piece layers");
        Map<String, byte[]> out = new HashMap<>();
        if (value.isEmpty()) {
            if (declared.stream().anyMatch(d -> d.length() > pieceLength)) {
                warnings.add("piece layers: missing (they will be fetched from peers)");
            }
            return out;
        }
        if (!(value.get() instanceof BDictionary layers)) {
            throw new MetainfoException("piece layers: expected a dictionary, found " + value.get().typeName());
        }
        HexFormat hex = HexFormat.of();
        Map<String, Declared> byRoot = new HashMap<>();
        for (Declared d : declared) {
            if (d.length() > pieceLength) {
                byRoot.put(hex.formatHex(d.root()), d);
            }
        }
        for (Map.Entry<BBytes, BValue> e : layers.entries().entrySet()) {
            String root = hex.formatHex(e.getKey().bytes());
            Declared d = byRoot.get(root);
            if (d == null) {
                throw new MetainfoException("piece layers: an entry for " + root
                        + ", which is not the root of a file longer than a piece");
            }
            if (!(e.getValue() instanceof BBytes layer)) {
                throw new MetainfoException("piece layers." + root + ": expected a string, found " + e.getValue().typeName());
            }
            long pieces = MerkleTree.pieces(d.length(), pieceLength);
            if (layer.length() != pieces * MerkleTree.HASH) {
                throw new MetainfoException("piece layers." + root + ": " + layer.length() + " bytes, expected "
                        + pieces + " hashes of 32 bytes for '" + String.join("/", d.path()) + "'");
            }
            byte[] bytes = layer.bytes();
            if (!Arrays.equals(MerkleTree.rootFromLayer(bytes, (int) pieces, pieceLength), d.root())) {
                throw new MetainfoException("piece layers." + root + ": does not hash to the pieces root of '"
                        + String.join("/", d.path()) + "'");
            }
            out.put(root, bytes);
        }
        if (out.size() < byRoot.size()) {
            warnings.add("piece layers: " + (byRoot.size() - out.size()) + " of " + byRoot.size()
                    + " missing (they will be fetched from peers)");
        }
        return out;
    }
}
