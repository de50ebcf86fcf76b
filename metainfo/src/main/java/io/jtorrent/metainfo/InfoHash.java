package io.jtorrent.metainfo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The identity of a torrent: the hash of its bencoded {@code info} dictionary, exactly as it
 * appears in the torrent file.
 *
 * <p>Version 1 (BEP 3) is a 20-byte SHA-1. Version 2 (BEP 52) is a 32-byte SHA-256; it is
 * representable here so that magnet links and hybrid torrents can carry it, though only v1
 * swarms are joined for now.
 */
public final class InfoHash implements Comparable<InfoHash> {

    /** Which protocol version the hash belongs to, and so its length and algorithm. */
    public enum Version {
        V1(20, "SHA-1"), V2(32, "SHA-256");

        private final int length;
        private final String algorithm;

        Version(int length, String algorithm) {
            this.length = length;
            this.algorithm = algorithm;
        }

        public int length() {
            return length;
        }
    }

    private static final HexFormat HEX = HexFormat.of();

    private final Version version;
    private final byte[] bytes;

    private InfoHash(Version version, byte[] bytes) {
        this.version = version;
        this.bytes = bytes;
    }

    /** A hash from its raw bytes: 20 for v1, 32 for v2. */
    public static InfoHash of(Version version, byte[] bytes) {
        if (bytes.length != version.length) {
            throw new IllegalArgumentException(version + " info-hash must be " + version.length
                    + " bytes, got " + bytes.length);
        }
        return new InfoHash(version, bytes.clone());
    }

    /** A v1 hash from 20 raw bytes. */
    public static InfoHash v1(byte[] bytes) {
        return of(Version.V1, bytes);
    }

    /** The v1 info-hash of the given bencoded info dictionary. */
    public static InfoHash v1Of(byte[] infoDictionary) {
        return new InfoHash(Version.V1, digest(Version.V1, infoDictionary));
    }

    /** The v2 info-hash of the given bencoded info dictionary. */
    public static InfoHash v2Of(byte[] infoDictionary) {
        return new InfoHash(Version.V2, digest(Version.V2, infoDictionary));
    }

    /**
     * Parses the textual forms magnet links and users use: 40 hex digits or 32 base32 characters
     * for v1, 64 hex digits for v2. Case is ignored.
     *
     * @throws IllegalArgumentException naming what was wrong with the text
     */
    public static InfoHash parse(String text) {
        String t = text.trim();
        if (t.length() == 40 || t.length() == 64) {
            Version v = t.length() == 40 ? Version.V1 : Version.V2;
            try {
                return new InfoHash(v, HEX.parseHex(t.toLowerCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("info-hash '" + text + "' is not valid hex");
            }
        }
        if (t.length() == 32) {
            return new InfoHash(Version.V1, Base32.decode(t));
        }
        throw new IllegalArgumentException("info-hash '" + text + "' must be 40 hex digits, 32 base32 characters "
                + "or 64 hex digits (v2), not " + t.length() + " characters");
    }

    public Version version() {
        return version;
    }

    /** A copy of the raw hash bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Lower-case hex: 40 digits for v1, 64 for v2. */
    public String hex() {
        return HEX.formatHex(bytes);
    }

    /** Upper-case RFC 4648 base32 without padding, as some magnet links carry it. */
    public String base32() {
        return Base32.encode(bytes);
    }

    /** The first 20 bytes: what the v1 wire protocol carries (BEP 52 truncates v2 hashes so). */
    public byte[] truncated20() {
        return Arrays.copyOf(bytes, 20);
    }

    static byte[] digest(Version version, byte[] data) {
        if (version == Version.V1 && data.length <= SmallSha1.MAX) {
            return SmallSha1.digest(data);
        }
        try {
            return MessageDigest.getInstance(version.algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + version.algorithm, e);
        }
    }

    @Override
    public int compareTo(InfoHash o) {
        int c = version.compareTo(o.version);
        return c != 0 ? c : Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InfoHash other && other.version == version && Arrays.equals(other.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
