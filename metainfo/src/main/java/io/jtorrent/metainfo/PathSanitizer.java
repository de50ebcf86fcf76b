package io.jtorrent.metainfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the path names a torrent declares into names that are safe to create under a save
 * directory, on every common file system, whatever the torrent says. The info-hash is unaffected:
 * only where the data is stored changes.
 *
 * <p>Rules, applied to each path element (modelled on libtorrent's and Transmission's):
 * <ul>
 *   <li>path separators ({@code /}, {@code \}) inside an element are removed, so one element
 *       never becomes several;</li>
 *   <li>elements that are empty, {@code .} or {@code ..} (before or after the above) are dropped,
 *       so a path can never climb out of the save directory or be absolute;</li>
 *   <li>control characters and the characters Windows forbids ({@code < > : " | ? *}) become
 *       {@code _}; trailing spaces and dots are removed (Windows cannot name such files);</li>
 *   <li>names Windows reserves for devices ({@code CON}, {@code NUL}, {@code COM1}, ... with any
 *       extension) get a {@code _} prefix;</li>
 *   <li>an element longer than 255 UTF-8 bytes is shortened, keeping a short extension;</li>
 *   <li>a file whose path ends up empty is called {@code _}.</li>
 * </ul>
 * Files whose paths then coincide (with each other, or with a directory another file needs) are
 * renamed {@code name.1.ext}, {@code name.2.ext}, ... in torrent order, as libtorrent does; more
 * than {@value #MAX_DUPLICATES} copies of one name reject the torrent.
 */
final class PathSanitizer {
    static final int MAX_ELEMENT_BYTES = 255;
    /** More copies of one name than this reject the torrent, as libtorrent does. */
    static final int MAX_DUPLICATES = 100;
    private static final int MAX_KEPT_EXTENSION = 16;
    private static final Set<String> RESERVED = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private PathSanitizer() {}

    /**
     * One safe element from a declared one; empty when nothing usable remains (the caller then
     * drops it, or substitutes a name).
     */
    static String element(String declared) {
        StringBuilder b = new StringBuilder(declared.length());
        for (int i = 0; i < declared.length(); ) {
            int cp = declared.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '/' || cp == '\\') {
                continue;
            }
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || "<>:\"|?*".indexOf(cp) >= 0) {
                b.append('_');
            } else {
                b.appendCodePoint(cp);
            }
        }
        int end = b.length();
        while (end > 0 && (b.charAt(end - 1) == ' ' || b.charAt(end - 1) == '.')) {
            end--;
        }
        String s = b.substring(0, end);
        if (s.isEmpty() || s.equals(".") || s.equals("..")) {
            return "";
        }
        int dot = s.indexOf('.');
        String stem = (dot < 0 ? s : s.substring(0, dot)).toUpperCase(Locale.ROOT);
        if (RESERVED.contains(stem)) {
            s = "_" + s;
        }
        return truncate(s);
    }

    /** The safe relative path for a declared list of elements; never empty. */
    static List<String> path(List<String> declared) {
        List<String> out = new ArrayList<>(declared.size());
        for (String e : declared) {
            String safe = element(e);
            if (!safe.isEmpty()) {
                out.add(safe);
            }
        }
        if (out.isEmpty()) {
            out.add("_");
        }
        return out;
    }

    /** A file's (or a symlink target's) safe path under the torrent's directory {@code name}. */
    static List<String> under(String name, List<String> declared) {
        List<String> out = new ArrayList<>();
        out.add(name);
        out.addAll(path(declared));
        return out;
    }

    /** As {@link #under}, or no path for an empty declared one (a file that is no symlink). */
    static List<String> symlinkUnder(String name, List<String> declared) {
        return declared.isEmpty() ? List.of() : under(name, declared);
    }

    private static String truncate(String s) {
        if (utf8Length(s) <= MAX_ELEMENT_BYTES) {
            return s;
        }
        int dot = s.lastIndexOf('.');
        String ext = dot > 0 && s.length() - dot <= MAX_KEPT_EXTENSION ? s.substring(dot) : "";
        String stem = s.substring(0, s.length() - ext.length());
        return fit(stem, MAX_ELEMENT_BYTES - utf8Length(ext)) + ext;
    }

    /** The longest prefix of {@code s}, whole code points only, that takes at most {@code bytes}. */
    private static String fit(String s, int bytes) {
        int used = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (used + n > bytes) {
                break;
            }
            used += n;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Renames paths that collide, in order: a file whose path equals an earlier file's or an
     * earlier file's directory gets a suffix on its name; a file one of whose directories is an
     * earlier file gets a suffix on that directory. Comparison ignores case, so the layout also
     * works on case-insensitive file systems.
     *
     * @return the paths, with every collision resolved; the input list is not changed
     */
    static List<List<String>> deduplicate(List<List<String>> paths) throws MetainfoException {
        Set<String> files = new HashSet<>();
        Set<String> directories = new HashSet<>();
        // next suffix to try per renamed prefix, so that many copies of one name stay linear
        Map<String, Integer> nextSuffix = new HashMap<>();
        List<List<String>> out = new ArrayList<>(paths.size());
        for (List<String> p : paths) {
            List<String> candidate = p;
            int at;
            while ((at = conflictAt(candidate, files, directories)) >= 0) {
                String prefix = key(candidate.subList(0, at + 1));
                int n = nextSuffix.getOrDefault(prefix, 1);
                if (n > MAX_DUPLICATES) {
                    throw new MetainfoException("info.files: too many duplicate file names ('"
                            + String.join("/", candidate.subList(0, at + 1)) + "' more than " + MAX_DUPLICATES + " times)");
                }
                nextSuffix.put(prefix, n + 1);
                candidate = withSuffix(candidate, at, n);
            }
            files.add(key(candidate));
            for (int i = 1; i < candidate.size(); i++) {
                directories.add(key(candidate.subList(0, i)));
            }
            out.add(List.copyOf(candidate));
        }
        return out;
    }

    /** Index of the element to rename so that {@code p} stops colliding, or -1 if it does not. */
    private static int conflictAt(List<String> p, Set<String> files, Set<String> directories) {
        for (int i = 1; i < p.size(); i++) {
            if (files.contains(key(p.subList(0, i)))) {
                return i - 1;
            }
        }
        String k = key(p);
        return files.contains(k) || directories.contains(k) ? p.size() - 1 : -1;
    }

    private static List<String> withSuffix(List<String> p, int index, int n) {
        List<String> copy = new ArrayList<>(p);
        String name = copy.get(index);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String tail = "." + n + (dot > 0 ? name.substring(dot) : "");
        copy.set(index, fit(stem, MAX_ELEMENT_BYTES - utf8Length(tail)) + tail);
        return copy;
    }

    private static String key(List<String> p) {
        return String.join("/", p).toLowerCase(Locale.ROOT);
    }
}
