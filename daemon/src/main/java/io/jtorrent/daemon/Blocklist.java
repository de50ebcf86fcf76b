package io.jtorrent.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An IP blocklist (Transmission's and qBittorrent's formats): P2P plain text
 * ({@code description:1.2.3.0-1.2.3.255}) and eMule DAT ({@code 1.2.3.0 - 1.2.3.255 , 100 , desc},
 * entries with an access level above 127 allow and are skipped), gzip-compressed or not, IPv4 and
 * IPv6. Comments ({@code #}, {@code //}) and lines that parse as neither are skipped and counted.
 * Ranges are merged and looked up by binary search. Limits: {@link #MAX_RANGES} ranges,
 * {@link #MAX_LINE} characters a line, {@link #MAX_BYTES} of text after decompression.
 */
final class Blocklist {
    static final int MAX_RANGES = 2_000_000;
    static final int MAX_LINE = 1024;
    static final long MAX_BYTES = 256L << 20;

    /** Each range's first and last address as 128-bit numbers (IPv4 mapped into ::ffff:0:0/96), sorted, disjoint. */
    private final long[] startHi;
    private final long[] startLo;
    private final long[] endHi;
    private final long[] endLo;
    private final int skipped;

    private Blocklist(long[][] ranges, int count, int skipped) {
        this.startHi = Arrays.copyOf(ranges[0], count);
        this.startLo = Arrays.copyOf(ranges[1], count);
        this.endHi = Arrays.copyOf(ranges[2], count);
        this.endLo = Arrays.copyOf(ranges[3], count);
        this.skipped = skipped;
    }

    /** The ranges, after merging. */
    int size() {
        return startHi.length;
    }

    /** Lines that were neither a range nor a comment. */
    int skipped() {
        return skipped;
    }

    boolean contains(InetAddress address) {
        long[] k = key(address.getAddress());
        int lo = 0;
        int hi = startHi.length - 1;
        while (lo <= hi) { // the last range starting at or before the address
            int mid = (lo + hi) >>> 1;
            if (compare(startHi[mid], startLo[mid], k[0], k[1]) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi >= 0 && compare(k[0], k[1], endHi[hi], endLo[hi]) <= 0;
    }

    /** Reads a blocklist (gzip detected by its magic bytes); refuses what exceeds the limits. */
    static Blocklist read(InputStream raw) throws IOException {
        return read(raw, MAX_BYTES);
    }

    /** As {@link #read(InputStream)}, with a limit of {@code maxBytes} characters of text. */
    static Blocklist read(InputStream raw, long maxBytes) throws IOException {
        InputStream in = new java.io.BufferedInputStream(raw);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            in = new GZIPInputStream(in);
        }
        long[][] r = new long[4][1024];
        int n = 0;
        int skipped = 0;
        long bytes = 0;
        java.io.Reader text = new java.io.BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        StringBuilder line = new StringBuilder();
        boolean overlong = false;
        int c;
        while (true) {
            c = text.read();
            if (c >= 0 && ++bytes > maxBytes) {
                throw new IOException("blocklist: more than " + maxBytes + " bytes of text");
            }
            if (c >= 0 && c != '\n') {
                if (line.length() < MAX_LINE) {
                    line.append((char) c);
                } else {
                    overlong = true; // the rest of the line is dropped as it comes: never held
                }
                continue;
            }
            String l = line.toString().strip();
            line.setLength(0);
            if (overlong) {
                skipped++;
            } else if (!l.isEmpty() && !l.startsWith("#") && !l.startsWith("//")) {
                long[] range = parse(l);
                if (range == null) {
                    skipped++;
                } else {
                    if (n == MAX_RANGES) {
                        throw new IOException("blocklist: more than " + MAX_RANGES + " ranges");
                    }
                    if (n == r[0].length) {
                        for (int i = 0; i < 4; i++) {
                            r[i] = Arrays.copyOf(r[i], n * 2);
                        }
                    }
                    for (int i = 0; i < 4; i++) {
                        r[i][n] = range[i];
                    }
                    n++;
                }
            }
            overlong = false;
            if (c < 0) {
                break;
            }
        }
        return merged(r, n, skipped);
    }

    /** One line's range as {startHi, startLo, endHi, endLo}, or null. */
    private static long[] parse(String l) {
        String first;
        String last;
        int comma = l.indexOf(',');
        int dash = l.lastIndexOf('-');
        if (comma > 0 && l.indexOf('-') < comma) { // DAT: "a - b , level , description"
            String[] f = l.split(",", 3);
            String[] ab = f[0].split("-");
            if (ab.length != 2 || f.length < 2) {
                return null;
            }
            try {
                if (Integer.parseInt(f[1].strip()) > 127) {
                    return null; // an "allow" entry
                }
            } catch (NumberFormatException e) {
                return null;
            }
            first = ab[0].strip();
            last = ab[1].strip();
        } else if (dash > 0) { // P2P: "description:a-b" (the description may hold colons; IPv6 addresses too)
            last = l.substring(dash + 1).strip();
            String head = l.substring(0, dash).strip();
            first = (last.contains(":") ? v6Start(head) : head.substring(head.lastIndexOf(':') + 1)).strip();
        } else {
            return null;
        }
        long[] a = address(first);
        long[] b = address(last);
        if (a == null || b == null || compare(a[0], a[1], b[0], b[1]) > 0) {
            return null;
        }
        return new long[] {a[0], a[1], b[0], b[1]};
    }

    /** The IPv6 address at the end of "description:addr": the longest suffix that parses. */
    private static String v6Start(String head) {
        for (int i = 0; i < head.length(); i++) {
            if (head.charAt(i) == ':' && address(head.substring(i + 1)) != null) {
                return head.substring(i + 1);
            }
        }
        return head;
    }

    private static long[] address(String text) {
        if (text.isEmpty() || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            return null; // literals only: never a name lookup
        }
        try {
            return key(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static long[] key(byte[] a) {
        byte[] v6 = a;
        if (a.length == 4) {
            v6 = new byte[16];
            v6[10] = (byte) 0xff;
            v6[11] = (byte) 0xff;
            System.arraycopy(a, 0, v6, 12, 4);
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(v6);
        return new long[] {b.getLong(), b.getLong()};
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    private static Blocklist merged(long[][] r, int n, int skipped) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> compare(r[0][x], r[1][x], r[0][y], r[1][y]));
        long[][] m = new long[4][Math.max(1, n)];
        int k = 0;
        for (int idx : order) {
            if (k > 0 && compare(r[0][idx], r[1][idx], m[2][k - 1], m[3][k - 1]) <= 0) { // overlaps: extend
                if (compare(r[2][idx], r[3][idx], m[2][k - 1], m[3][k - 1]) > 0) {
                    m[2][k - 1] = r[2][idx];
                    m[3][k - 1] = r[3][idx];
                }
                continue;
            }
            for (int i = 0; i < 4; i++) {
                m[i][k] = r[i][idx];
            }
            k++;
        }
        return new Blocklist(m, k, skipped);
    }
}
