package io.jtorrent.metainfo;

/**
 * SHA-1 (FIPS 180-4) of a byte array, in plain Java, for the info dictionaries a short-lived
 * command hashes once: the JDK's {@link java.security.MessageDigest} first loads and registers its
 * security providers, about 15 ms of a cold start, a tenth of {@code jtorrent info}. Used for inputs
 * up to {@link #MAX} bytes; longer ones and every piece hash go to the JDK, whose compiled code uses
 * the processor's SHA instructions. Identifies torrents; it is not used to verify data.
 */
final class SmallSha1 {
    /** Inputs longer than this go to the JDK. */
    static final int MAX = 64 * 1024;

    private SmallSha1() {
    }

    static byte[] digest(byte[] data) {
        int h0 = 0x67452301;
        int h1 = 0xEFCDAB89;
        int h2 = 0x98BADCFE;
        int h3 = 0x10325476;
        int h4 = 0xC3D2E1F0;
        // the message, a 1 bit, zeros, and its length in bits: a whole number of 64-byte blocks
        int blocks = (data.length + 8) / 64 + 1;
        byte[] tail = new byte[128];
        int whole = data.length / 64;
        int rest = data.length - whole * 64;
        System.arraycopy(data, whole * 64, tail, 0, rest);
        tail[rest] = (byte) 0x80;
        long bits = (long) data.length * 8;
        int end = (blocks - whole) * 64;
        for (int i = 0; i < 8; i++) {
            tail[end - 1 - i] = (byte) (bits >>> (8 * i));
        }
        int[] w = new int[80];
        for (int b = 0; b < blocks; b++) {
            byte[] src = b < whole ? data : tail;
            int off = b < whole ? b * 64 : (b - whole) * 64;
            for (int i = 0; i < 16; i++) {
                int p = off + 4 * i;
                w[i] = (src[p] << 24) | ((src[p + 1] & 0xFF) << 16) | ((src[p + 2] & 0xFF) << 8) | (src[p + 3] & 0xFF);
            }
            for (int i = 16; i < 80; i++) {
                w[i] = Integer.rotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
            }
            int a = h0;
            int bb = h1;
            int c = h2;
            int d = h3;
            int e = h4;
            for (int i = 0; i < 80; i++) {
                int f;
                int k;
                if (i < 20) {
                    f = (bb & c) | (~bb & d);
                    k = 0x5A827999;
                } else if (i < 40) {
                    f = bb ^ c ^ d;
                    k = 0x6ED9EBA1;
                } else if (i < 60) {
                    f = (bb & c) | (bb & d) | (c & d);
                    k = 0x8F1BBCDC;
                } else {
                    f = bb ^ c ^ d;
                    k = 0xCA62C1D6;
                }
                int t = Integer.rotateLeft(a, 5) + f + e + k + w[i];
                e = d;
                d = c;
                c = Integer.rotateLeft(bb, 30);
                bb = a;
                a = t;
            }
            h0 += a;
            h1 += bb;
            h2 += c;
            h3 += d;
            h4 += e;
        }
        byte[] out = new byte[20];
        int[] h = {h0, h1, h2, h3, h4};
        for (int i = 0; i < 5; i++) {
            out[4 * i] = (byte) (h[i] >>> 24);
            out[4 * i + 1] = (byte) (h[i] >>> 16);
            out[4 * i + 2] = (byte) (h[i] >>> 8);
            out[4 * i + 3] = (byte) h[i];
        }
        return out;
    }
}
