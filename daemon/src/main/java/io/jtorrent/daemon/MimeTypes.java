package io.jtorrent.daemon;

import io.jtorrent.metainfo.FileEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Transmission's {@code primary-mime-type}: the media type that holds the most of a torrent's
 * bytes, judged by file name extensions (what front-ends show as the torrent's icon).
 */
final class MimeTypes {
    private MimeTypes() {}

    static final String UNKNOWN = "application/octet-stream";
    private static final Map<String, String> BY_EXTENSION = table();

    private static Map<String, String> table() {
        Map<String, String> m = new HashMap<>();
        String[][] groups = {
            {"video/mp4", "mp4", "m4v"}, {"video/x-matroska", "mkv"}, {"video/webm", "webm"}, {"video/x-msvideo", "avi"},
            {"video/quicktime", "mov"}, {"video/mpeg", "mpg", "mpeg", "vob"}, {"video/mp2t", "ts", "m2ts"},
            {"video/x-ms-wmv", "wmv"}, {"video/x-flv", "flv"}, {"video/ogg", "ogv"},
            {"audio/mpeg", "mp3"}, {"audio/flac", "flac"}, {"audio/ogg", "ogg", "oga", "opus"}, {"audio/mp4", "m4a", "m4b"},
            {"audio/aac", "aac"}, {"audio/wav", "wav"}, {"audio/x-ape", "ape"}, {"audio/x-ms-wma", "wma"},
            {"image/jpeg", "jpg", "jpeg"}, {"image/png", "png"}, {"image/gif", "gif"}, {"image/webp", "webp"},
            {"image/svg+xml", "svg"}, {"image/tiff", "tif", "tiff"}, {"image/bmp", "bmp"},
            {"text/plain", "txt", "nfo", "md", "log", "srt", "sub"}, {"text/html", "html", "htm"},
            {"application/pdf", "pdf"}, {"application/epub+zip", "epub"}, {"application/zip", "zip"},
            {"application/x-7z-compressed", "7z"}, {"application/vnd.rar", "rar"}, {"application/gzip", "gz", "tgz"},
            {"application/x-xz", "xz"}, {"application/x-bzip2", "bz2"}, {"application/x-tar", "tar"},
            {"application/zstd", "zst"}, {"application/x-iso9660-image", "iso"}, {"application/x-raw-disk-image", "img"},
            {"application/vnd.debian.binary-package", "deb"}, {"application/x-rpm", "rpm"},
            {"application/x-msdownload", "exe", "msi"}, {"application/x-apple-diskimage", "dmg"},
            {"application/vnd.android.package-archive", "apk"}, {"application/x-bittorrent", "torrent"},
        };
        for (String[] g : groups) {
            for (int i = 1; i < g.length; i++) {
                m.put(g[i], g[0]);
            }
        }
        return Map.copyOf(m);
    }

    /** The media type of a file name, or {@link #UNKNOWN}. */
    static String of(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? UNKNOWN : BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), UNKNOWN);
    }

    /** The type with the most bytes among the files (pad files left out); ties go to the first seen. */
    static String primary(List<FileEntry> files) {
        Map<String, Long> bytes = new java.util.LinkedHashMap<>();
        for (FileEntry f : files) {
            if (!f.pad()) {
                bytes.merge(of(f.path().get(f.path().size() - 1)), f.length(), Long::sum);
            }
        }
        String best = UNKNOWN;
        long most = -1;
        for (Map.Entry<String, Long> e : bytes.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }
}
